package io.wacast.campaign.service;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

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
import io.wacast.campaign.repository.RecipientRepository;
import io.wacast.campaign.repository.StatsRepository;
import io.wacast.common.event.CampaignControl;
import io.wacast.common.problem.Problem.FieldError;
import io.wacast.common.status.CampaignStatus;
import io.wacast.common.status.RecipientStatus;

/**
 * Campaign lifecycle: create, edit while not started, and the operator's actions. Every status change
 * is a conditional UPDATE and records a CampaignControl in the outbox in the same transaction.
 */
@ApplicationScoped
public class CampaignService {

    private static final Logger LOG = Logger.getLogger(CampaignService.class);

    /** What an operator can ask a campaign to do, and from which statuses. */
    public enum Action {
        SEND(EnumSet.of(CampaignStatus.DRAFT, CampaignStatus.SCHEDULED), CampaignStatus.SENDING),
        PAUSE(EnumSet.of(CampaignStatus.SENDING), CampaignStatus.PAUSED),
        RESUME(EnumSet.of(CampaignStatus.PAUSED), CampaignStatus.SENDING),
        CANCEL(EnumSet.of(CampaignStatus.DRAFT, CampaignStatus.SCHEDULED, CampaignStatus.SENDING, CampaignStatus.PAUSED),
                CampaignStatus.CANCELLED),
        /** Back to draft before it starts: the scheduler will not start it, the operator may edit and send it. */
        UNSCHEDULE(EnumSet.of(CampaignStatus.SCHEDULED), CampaignStatus.DRAFT),
        /** Not an operator action: the scheduler's, at scheduledFor. */
        START_SCHEDULED(EnumSet.of(CampaignStatus.SCHEDULED), CampaignStatus.SENDING),
        /**
         * Not an operator action: the scheduler's, at scheduledFor, for a campaign that cannot be sent
         * then (no recipients, template not approved). Paused with the reason, for the operator to fix
         * and resume; resume checks the same.
         */
        HOLD_SCHEDULED(EnumSet.of(CampaignStatus.SCHEDULED), CampaignStatus.PAUSED),
        /** Not an operator action: the dispatcher's or the applier's, once every recipient is done. */
        COMPLETE(EnumSet.of(CampaignStatus.SENDING, CampaignStatus.PAUSED), CampaignStatus.COMPLETED);

        final Set<CampaignStatus> from;
        final CampaignStatus to;

        Action(Set<CampaignStatus> from, CampaignStatus to) {
            this.from = from;
            this.to = to;
        }

        String verb() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

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
    private final AudienceSnapshots audiences;
    /** The audience named in a create/replace request, and a duplicate's copy of it (issue 15). */
    @jakarta.inject.Inject
    AudienceService audienceTargets;

    CampaignService(CampaignConfig config, TemplateService templates, CampaignRepository campaigns,
            CounterRepository counters, RecipientRepository recipients, RecipientLoader loader, ControlOutbox control,
            StatsRepository stats, AudienceSnapshots audiences) {
        this.audiences = audiences;
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
        campaign.persist();
        campaign.flush();
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
        copy.persist();
        copy.flush();
        counters.create(copy.id);
        audienceTargets.copyTarget(id, copy.id);
        RecipientLoader.Report report = null;
        if (withRecipients) {
            Map<RecipientStatus, Long> copied = recipients.copy(id, copy.id, config.recipients().insertBatchSize(), now);
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
            throw notIn(campaign, "edited", "draft or scheduled");
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
        campaign.flush();
        control.publish(id);
        return campaign;
    }

    /** Deletes a draft; cancels a campaign that was scheduled or has started. */
    @Transactional
    @TransactionConfiguration(timeout = 600)
    public void delete(long id) {
        CampaignStatus status = campaigns.status(id).orElseThrow(() -> ProblemException.notFound("campaign", id));
        if (status == CampaignStatus.DRAFT) {
            long deleted = Campaign.delete("id = ?1 and status = ?2", id, CampaignStatus.DRAFT);
            if (deleted == 1) {
                stats.forget(id);
                LOG.infof("campaign %d deleted", id);
                return;
            }
            status = campaigns.status(id).orElseThrow(() -> ProblemException.notFound("campaign", id));
        }
        if (status == CampaignStatus.CANCELLED) {
            return;
        }
        perform(id, Action.CANCEL);
    }

    /**
     * Performs an operator action. Whoever changes the row first wins; a call that finds the
     * campaign in a status the action does not start from gets 409 with the current status.
     */
    @Transactional
    @TransactionConfiguration(timeout = 600)
    public Campaign act(long id, Action action) {
        if (action == Action.SEND || action == Action.RESUME) {
            Campaign campaign = get(id);
            if (action.from.contains(campaign.status)) { // else perform() answers 409 with the current status
                // an audience becomes recipients now, in this transaction: a refusal below leaves nothing
                audiences.snapshotIfTargeted(campaign, null, null).map(AudienceSnapshots.Outcome::problem)
                        .ifPresent(problem -> {
                            throw problem;
                        });
                cannotStart(campaign).ifPresent(problem -> {
                    throw problem;
                });
            }
            // the status changes by a conditional UPDATE: answer with the row as it is then, not this copy
            Campaign.getEntityManager().detach(campaign);
        }
        return perform(id, action);
    }

    /**
     * Starts a due scheduled campaign: sending, or paused with the reason when it cannot be sent now
     * ({@link #cannotStart}). False when another replica or the operator changed it first.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public boolean startScheduled(long id) {
        Campaign campaign = Campaign.findById(id);
        if (campaign == null || campaign.status != CampaignStatus.SCHEDULED) {
            return false;
        }
        Optional<ProblemException> problem = audiences.snapshotIfTargeted(campaign, null, null)
                .map(AudienceSnapshots.Outcome::problem).or(() -> cannotStart(campaign));
        Campaign.getEntityManager().detach(campaign);
        return problem.isPresent()
                ? transition(id, Action.HOLD_SCHEDULED, "not started at its scheduled time: " + problem.get().getMessage())
                : transition(id, Action.START_SCHEDULED, "scheduled start");
    }

    /**
     * Why the campaign cannot start sending: one without recipients would stay sending forever (nothing
     * ever completes it), and one whose template is not approved would fail every message at Meta. The
     * rest of the pre-flight plan (PlanService) is advice.
     */
    private Optional<ProblemException> cannotStart(Campaign campaign) {
        long recipientCount = counters.read(campaign.id).values().stream().mapToLong(Long::longValue).sum();
        if (recipientCount == 0) {
            ProblemException problem = ProblemException.conflict("campaign " + campaign.id
                    + " has no recipients; add them at /api/whatsapp/campaigns/" + campaign.id + "/recipients before sending");
            return Optional.of(new ProblemException(problem.status(), problem.slug(), problem.title(), problem.getMessage(),
                    List.of(FieldError.of("recipients", "no recipients"))));
        }
        return TemplateService.whyNotSendable(campaign.templateName, campaign.templateLanguage);
    }

    private Campaign perform(long id, Action action) {
        return transition(id, action, "by operator")
                ? get(id)
                : failWithCurrentState(id, action);
    }

    /**
     * The status change behind every action, shared with the scheduler and the applier: a
     * conditional UPDATE, the control message, and for a cancel the recipients not yet sent.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public boolean transition(long id, Action action, String reason) {
        Instant now = Instant.now();
        boolean whenDue = action == Action.START_SCHEDULED || action == Action.HOLD_SCHEDULED;
        if (!campaigns.transition(id, action.from, action.to, reason, now, whenDue)) {
            return false;
        }
        if (action == Action.CANCEL) {
            Map<RecipientStatus, Long> moved = recipients.cancelUnsent(id, now);
            CounterRepository.Deltas deltas = new CounterRepository.Deltas();
            moved.forEach((from, count) -> deltas.move(id, from, RecipientStatus.CANCELLED, count));
            counters.apply(deltas);
        }
        control.publish(id);
        LOG.infof("campaign %d: %s (%s)", id, action.to.value(), reason);
        return true;
    }

    /**
     * Completes a sending or paused campaign whose recipients are all done ({@link RecipientStatus#isDone}:
     * unknown counts as done, a late webhook still settles it). Reads the counters; only when they say
     * done with unknown recipients among them, and the unknown safety net is on, it also looks for an
     * unknown recipient the net has not decided on yet, or re-sent less than {@code give-up-after} ago
     * and still unknown: the campaign stays open for those, or the sender would drop the re-send of a
     * completed campaign (a re-send that itself ended unknown holds it no longer than that).
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public boolean completeIfDone(long id) {
        Map<RecipientStatus, Long> counts = counters.read(id);
        long total = 0;
        long notDone = 0;
        for (Map.Entry<RecipientStatus, Long> count : counts.entrySet()) {
            total += count.getValue();
            notDone += count.getKey().isDone() ? 0 : count.getValue();
        }
        if (total == 0 || notDone > 0) {
            return false;
        }
        CampaignConfig.UnknownResend safetyNet = config.unknownResend();
        if (safetyNet.enabled() && counts.get(RecipientStatus.UNKNOWN) > 0
                && recipients.hasUnsettledUnknown(id, Instant.now().minus(safetyNet.giveUpAfter()))) {
            return false;
        }
        boolean completed = transition(id, Action.COMPLETE, "every recipient is done");
        if (completed) {
            LOG.infof("campaign %d completed: all %d recipients are done", id, total);
        }
        return completed;
    }

    private Campaign failWithCurrentState(long id, Action action) {
        Campaign campaign = get(id);
        String allowed = String.join(" or ", action.from.stream().map(CampaignStatus::value).toList());
        throw notIn(campaign, action == Action.SEND ? "sent" : action.verb() + (action == Action.CANCEL ? "led" : "d"), allowed);
    }

    private static ProblemException notIn(Campaign campaign, String what, String allowed) {
        ProblemException problem = ProblemException.conflict("campaign " + campaign.id + " is " + campaign.status.value()
                + "; it can be " + what + " only while " + allowed);
        return new ProblemException(problem.status(), problem.slug(), problem.title(), problem.getMessage(),
                List.of(new FieldError("status", null, "current status", campaign.status.value())));
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
