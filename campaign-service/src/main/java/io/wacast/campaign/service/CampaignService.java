package io.wacast.campaign.service;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import org.jboss.logging.Logger;

import io.quarkus.hibernate.orm.panache.PanacheQuery;
import io.quarkus.narayana.jta.runtime.TransactionConfiguration;
import io.quarkus.panache.common.Page;
import io.quarkus.panache.common.Parameters;
import io.quarkus.panache.common.Sort;
import io.wacast.campaign.config.CampaignConfig;
import io.wacast.campaign.domain.Campaign;
import io.wacast.campaign.domain.Template;
import io.wacast.campaign.domain.TemplateVariables;
import io.wacast.campaign.messaging.ControlOutbox;
import io.wacast.campaign.repository.CampaignRepository;
import io.wacast.campaign.repository.CounterRepository;
import io.wacast.campaign.repository.LoadedRecipients;
import io.wacast.campaign.repository.RecipientRepository;
import io.wacast.campaign.repository.StatsRepository;
import io.wacast.common.event.CampaignControl;
import io.wacast.common.problem.Problem.FieldError;
import io.wacast.common.status.CampaignStatus;
import io.wacast.common.status.RecipientStatus;

/**
 * Campaigns as operators keep them: list, read, create, duplicate, edit while not started, delete a
 * draft. Every change records a CampaignControl in the outbox in the same transaction; status changes
 * are the {@link CampaignLifecycle}'s.
 */
@ApplicationScoped
public class CampaignService {

    private static final Logger LOG = Logger.getLogger(CampaignService.class);

    /** A page of campaigns, newest first. */
    public record CampaignPage(List<Campaign> items, int page, int size, long total) {
    }

    /** A created campaign and what happened to the recipients given with it. */
    public record Created(Campaign campaign, RecipientLoader.Report recipients) {
    }

    private final CampaignConfig config;
    private final TemplateService templates;
    private final CampaignRepository campaigns;
    private final CounterRepository counters;
    private final RecipientRepository recipients;
    private final RecipientLoader loader;
    private final ControlOutbox control;
    private final StatsRepository stats;
    private final LoadedRecipients loaded;
    private final CampaignLifecycle lifecycle;
    /** The audience named in a create/replace request, and a duplicate's copy of it (issue 15). */
    @jakarta.inject.Inject
    AudienceService audienceTargets;

    CampaignService(CampaignConfig config, TemplateService templates, CampaignRepository campaigns,
            CounterRepository counters, RecipientRepository recipients, RecipientLoader loader, ControlOutbox control,
            StatsRepository stats, LoadedRecipients loaded, CampaignLifecycle lifecycle) {
        this.lifecycle = lifecycle;
        this.loaded = loaded;
        this.config = config;
        this.templates = templates;
        this.campaigns = campaigns;
        this.counters = counters;
        this.recipients = recipients;
        this.loader = loader;
        this.control = control;
        this.stats = stats;
    }

    @Transactional
    public CampaignPage list(int page, int size, CampaignStatus status, String search) {
        StringBuilder query = new StringBuilder("1 = 1");
        Parameters parameters = new Parameters();
        if (status != null) {
            query.append(" and status = :status");
            parameters.and("status", status);
        }
        if (search != null && !search.isBlank()) {
            query.append(" and lower(name) like :search");
            parameters.and("search", "%" + search.strip().toLowerCase(java.util.Locale.ROOT)
                    .replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%");
        }
        PanacheQuery<Campaign> found = Campaign.find(query.toString(), Sort.descending("createdAt", "id"), parameters);
        return new CampaignPage(found.page(Page.of(page, size)).list(), page, size, found.count());
    }

    @Transactional
    public Campaign get(long id) {
        return Campaign.<Campaign>findByIdOptional(id).orElseThrow(() -> ProblemException.notFound("campaign", id));
    }

    /**
     * Creates a draft, or a scheduled campaign when {@code scheduledFor} is set. Recipients given here
     * must all be valid: a campaign is created whole or not at all (422 listing the bad rows).
     */
    @Transactional
    @TransactionConfiguration(timeout = 600)
    public Created create(CampaignSpec spec) {
        return createInTransaction(spec);
    }

    /** {@link #create} inside the caller's transaction (a follow-up's, which adds its own recipients). */
    @Transactional(Transactional.TxType.MANDATORY)
    public Created createInTransaction(CampaignSpec spec) {
        Instant now = Instant.now();
        Template template = templates.sendable(spec.templateName(), spec.templateLanguage());
        Campaign campaign = new Campaign();
        apply(campaign, spec, template, now);
        campaign.status = spec.scheduledFor() == null ? CampaignStatus.DRAFT : CampaignStatus.SCHEDULED;
        campaign.createdAt = now;
        campaign.updatedAt = now;
        campaign.controlVersion = 1;
        campaigns.insert(campaign);
        counters.create(campaign.id);
        audienceTargets.targetFromSpec(campaign, spec);
        RecipientLoader.Report report = null;
        if (spec.recipients() != null && !spec.recipients().isEmpty()) {
            RecipientLoader.Load load = loader.begin(campaign.id, template.variables(), campaign.templateVariables, false);
            for (int i = 0; i < spec.recipients().size(); i++) {
                CampaignSpec.RecipientSpec recipient = spec.recipients().get(i);
                load.add(new RecipientLoader.Input(i + 1, recipient.phoneNumber(), recipient.name(), recipient.variables(), null));
            }
            if (load.rejectedCount() > 0) {
                throw ProblemException.unprocessable(load.rejectedCount() + " of " + spec.recipients().size()
                        + " recipients are invalid; nothing was created",
                        load.rejected().stream()
                                .map(r -> FieldError.atRow(r.row(), "recipients[" + (r.row() - 1) + "]." + r.field(), r.reason(), r.value()))
                                .toList());
            }
            report = load.finish();
        }
        control.publish(campaign.id);
        LOG.infof("campaign %d '%s' created as %s", campaign.id, campaign.name, campaign.status.value());
        return new Created(campaign, report);
    }

    /**
     * A new draft with the settings of campaign {@code id} (template, defaults, number, rate, send
     * window; not its schedule) and, when asked, its recipients with their variables, re-checked against
     * the suppression list now (read without locking the source's rows). The template must still be
     * approved (422 otherwise).
     */
    @Transactional
    @TransactionConfiguration(timeout = 600)
    public Created duplicate(long id, String name, boolean withRecipients) {
        Campaign source = get(id);
        Template template = templates.sendable(source.templateName, source.templateLanguage);
        Instant now = Instant.now();
        Campaign copy = new Campaign();
        copy.name = name != null && !name.isBlank() ? name.strip()
                : source.name.length() <= 193 ? source.name + " (copy)" : source.name.substring(0, 192) + "… (copy)";
        copy.description = source.description;
        copy.templateName = template.name;
        copy.templateLanguage = template.language;
        copy.templateVariables = new LinkedHashMap<>(source.templateVariables);
        copy.phoneNumberId = source.phoneNumberId;
        copy.rateLimit = Math.min(source.rateLimit, config.capPerSecond(source.phoneNumberId) * 60);
        copy.sendWindow(source.sendWindow());
        copy.status = CampaignStatus.DRAFT;
        copy.createdAt = now;
        copy.updatedAt = now;
        copy.controlVersion = 1;
        campaigns.insert(copy);
        counters.create(copy.id);
        audienceTargets.copyTarget(id, copy.id);
        RecipientLoader.Report report = null;
        if (withRecipients) {
            LoadedRecipients.Tally tally = new LoadedRecipients.Tally();
            Map<RecipientStatus, Long> copied = recipients.copy(id, copy.id, config.recipients().insertBatchSize(), now,
                    rows -> loaded.storedWithoutWritingContacts(copy.id, rows, tally));
            loaded.loaded(copy.id, tally);
            CounterRepository.Deltas deltas = new CounterRepository.Deltas();
            copied.forEach((status, count) -> deltas.add(copy.id, status, count));
            counters.apply(deltas);
            report = new RecipientLoader.Report(copied.getOrDefault(RecipientStatus.PENDING, 0L), 0,
                    copied.getOrDefault(RecipientStatus.OPTED_OUT, 0L), 0, List.of());
        }
        control.publish(copy.id);
        LOG.infof("campaign %d duplicated as %d%s", id, copy.id, withRecipients ? " with its recipients" : "");
        return new Created(copy, report);
    }

    /** Replaces the editable fields while the campaign has not started (409 otherwise). */
    @Transactional
    public Campaign update(long id, CampaignSpec spec) {
        if (spec.recipients() != null) {
            throw ProblemException.invalidField("recipients", "recipients are managed at /api/whatsapp/campaigns/" + id + "/recipients");
        }
        Instant now = Instant.now();
        Campaign campaign = get(id);
        if (campaign.status != CampaignStatus.DRAFT && campaign.status != CampaignStatus.SCHEDULED) {
            throw CampaignLifecycle.notIn(campaign, "edited", "draft or scheduled");
        }
        Template template = templates.sendable(spec.templateName(), spec.templateLanguage());
        boolean templateChanged = !template.name.equals(campaign.templateName) || !template.language.equals(campaign.templateLanguage);
        if (templateChanged && counters.read(id).values().stream().mapToLong(Long::longValue).sum() > 0) {
            throw ProblemException.conflict("campaign " + id + " has recipients whose variables were checked against template '"
                    + campaign.templateName + "'; remove them before changing the template");
        }
        apply(campaign, spec, template, now);
        audienceTargets.targetFromSpec(campaign, spec);
        campaign.status = spec.scheduledFor() == null ? CampaignStatus.DRAFT : CampaignStatus.SCHEDULED;
        campaign.updatedAt = now;
        campaign.controlVersion++;
        campaigns.saveEdits(campaign);
        control.publish(id);
        return campaign;
    }

    /** Deletes a draft; cancels a campaign that was scheduled or has started. */
    @Transactional
    @TransactionConfiguration(timeout = 600)
    public void delete(long id) {
        CampaignStatus status = campaigns.status(id).orElseThrow(() -> ProblemException.notFound("campaign", id));
        if (status == CampaignStatus.DRAFT) {
            if (campaigns.deleteDraft(id)) {
                stats.forget(id);
                loaded.forget(id);
                LOG.infof("campaign %d deleted", id);
                return;
            }
            status = campaigns.status(id).orElseThrow(() -> ProblemException.notFound("campaign", id));
        }
        if (status == CampaignStatus.CANCELLED) {
            return;
        }
        lifecycle.actInTransaction(id, CampaignLifecycle.Action.CANCEL);
    }

    private void apply(Campaign campaign, CampaignSpec spec, Template template, Instant now) {
        List<FieldError> errors = new ArrayList<>();
        TemplateVariables variables = template.variables();
        Map<String, String> defaults = spec.templateVariables() == null ? new LinkedHashMap<>() : new LinkedHashMap<>(spec.templateVariables());
        List<String> unknown = variables.unknown(defaults);
        if (!unknown.isEmpty()) {
            errors.add(FieldError.of("templateVariables", "unknown template variables: " + String.join(", ", unknown)
                    + " (the template takes " + (variables.keys().isEmpty() ? "none" : String.join(", ", variables.keys())) + ")"));
        }
        defaults.forEach((key, value) -> {
            String problem = variables.valueProblem(key, value);
            if (problem != null) {
                errors.add(FieldError.of("templateVariables." + key, problem));
            }
        });
        String phoneNumberId = spec.phoneNumberId() == null ? config.defaultPhoneNumberId() : spec.phoneNumberId();
        int maxPerMinute = config.capPerSecond(phoneNumberId) * 60;
        int rateLimit = spec.rateLimit() == null ? maxPerMinute : spec.rateLimit();
        if (rateLimit > maxPerMinute) {
            errors.add(FieldError.of("rateLimit", "at most " + maxPerMinute + " messages per minute: number " + phoneNumberId
                    + " may send " + config.capPerSecond(phoneNumberId) + " per second"));
        }
        CampaignControl.SendWindow window = null;
        if (spec.sendWindow() != null) {
            if (Objects.equals(spec.sendWindow().startHour(), spec.sendWindow().endHour())) {
                errors.add(FieldError.of("sendWindow.endHour", "must differ from startHour; to send at any hour, leave"
                        + " sendWindow out"));
            }
            try {
                ZoneId.of(spec.sendWindow().timeZone());
                window = new CampaignControl.SendWindow(spec.sendWindow().startHour(), spec.sendWindow().endHour(),
                        spec.sendWindow().timeZone());
            } catch (DateTimeException e) {
                errors.add(FieldError.of("sendWindow.timeZone", "unknown time zone '" + spec.sendWindow().timeZone()
                        + "'; use a region id such as Asia/Kolkata"));
            }
        }
        if (spec.scheduledFor() != null && !spec.scheduledFor().toInstant().isAfter(now)) {
            errors.add(FieldError.of("scheduledFor", "must be in the future"));
        } else if (spec.scheduledFor() != null
                && spec.scheduledFor().toInstant().isAfter(now.plus(CampaignSpec.MAX_SCHEDULE_AHEAD))) {
            errors.add(FieldError.of("scheduledFor", "must be at most " + CampaignSpec.MAX_SCHEDULE_AHEAD.toDays()
                    + " days ahead"));
        }
        if (!errors.isEmpty()) {
            throw ProblemException.invalid(errors.size() == 1 ? errors.get(0).field() + ": " + errors.get(0).message()
                    : errors.size() + " fields are invalid", errors);
        }
        campaign.name = spec.name().strip();
        campaign.description = spec.description();
        campaign.templateName = template.name;
        campaign.templateLanguage = template.language;
        campaign.templateVariables = defaults;
        campaign.phoneNumberId = phoneNumberId;
        campaign.rateLimit = rateLimit;
        campaign.sendWindow(window);
        campaign.scheduledFor = spec.scheduledFor() == null ? null : spec.scheduledFor().toInstant();
    }
}
