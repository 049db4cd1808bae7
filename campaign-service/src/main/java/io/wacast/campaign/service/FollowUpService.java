package io.wacast.campaign.service;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import org.jboss.logging.Logger;

import io.quarkus.narayana.jta.runtime.TransactionConfiguration;
import io.wacast.campaign.config.CampaignConfig;
import io.wacast.campaign.domain.Campaign;
import io.wacast.campaign.domain.FollowUpOutcome;
import io.wacast.campaign.domain.Template;
import io.wacast.campaign.domain.TemplateVariables;
import io.wacast.campaign.repository.CounterRepository;
import io.wacast.campaign.repository.EngagementRepository;
import io.wacast.campaign.repository.FollowUpRepository;
import io.wacast.campaign.repository.FollowUpRepository.Candidate;
import io.wacast.campaign.repository.FollowUpRepository.FollowUp;
import io.wacast.campaign.repository.LoadedRecipients;
import io.wacast.campaign.repository.RecipientRepository;
import io.wacast.campaign.repository.RecipientRepository.NewRecipient;
import io.wacast.common.problem.Problem.FieldError;
import io.wacast.common.status.CampaignStatus;
import io.wacast.common.status.RecipientStatus;

/**
 * Follow-ups (docs/DESIGN.md §4): a draft campaign whose recipients are another campaign's recipients
 * in one outcome, each with its own variables, made in one transaction (a refused follow-up leaves
 * nothing behind). A recipient is never in two follow-ups of the same source for the same outcome
 * ({@link FollowUpRepository#take}); numbers suppressed now are never taken.
 */
@ApplicationScoped
public class FollowUpService {

    private static final Logger LOG = Logger.getLogger(FollowUpService.class);
    /** Source recipients read, judged and inserted per round. */
    static final int PAGE = 2000;

    /**
     * Source recipients in the outcome's status that were left out, by reason.
     *
     * @param suppressed on the suppression list now
     * @param alreadyInFollowUp another follow-up of this source and outcome has them
     * @param notRetryable failed for a reason that would fail again (docs/DESIGN.md §4)
     * @param tooRecent 131049 within the quiet period, or delivered less than afterHours ago: eligible later
     * @param missingVariables lack a value the template needs (neither their own nor a default), or have
     *     one it refuses
     */
    public record Skipped(long suppressed, long alreadyInFollowUp, long notRetryable, long tooRecent,
            long missingVariables) {
    }

    /** @param added recipients of the follow-up, all pending */
    public record Report(long added, Skipped skipped) {
    }

    public record Created(Campaign campaign, FollowUp followUp, Report recipients) {
    }

    /** A follow-up as its source lists it; {@code recipients} counts all of them, whatever their status. */
    public record Listed(long campaignId, String name, CampaignStatus status, FollowUpOutcome outcome, Integer afterHours,
            String payload, long recipients, Instant createdAt) {
    }

    private final CampaignConfig config;
    private final CampaignService campaigns;
    private final TemplateService templates;
    private final FollowUpRepository followUps;
    private final RecipientRepository recipients;
    private final CounterRepository counters;
    private final EngagementRepository engagement;
    private final LoadedRecipients loaded;

    FollowUpService(CampaignConfig config, CampaignService campaigns, TemplateService templates,
            FollowUpRepository followUps, RecipientRepository recipients, CounterRepository counters,
            EngagementRepository engagement, LoadedRecipients loaded) {
        this.engagement = engagement;
        this.loaded = loaded;
        this.config = config;
        this.campaigns = campaigns;
        this.templates = templates;
        this.followUps = followUps;
        this.recipients = recipients;
        this.counters = counters;
    }

    @Transactional
    @TransactionConfiguration(timeout = 600)
    public Created create(long sourceId, FollowUpSpec spec) {
        FollowUpOutcome outcome = outcome(spec.outcome());
        if (spec.afterHours() != null && outcome != FollowUpOutcome.DELIVERED_NOT_READ) {
            throw ProblemException.invalidField("afterHours", "only a follow-up to delivered_not_read takes afterHours");
        }
        String payload = spec.payload();
        if (outcome == FollowUpOutcome.CLICKED && (payload == null || payload.isEmpty())) {
            throw ProblemException.invalidField("payload", "a follow-up to clicked names the button payload the"
                    + " recipients pressed");
        }
        if (outcome != FollowUpOutcome.CLICKED && payload != null) {
            throw ProblemException.invalidField("payload", "only a follow-up to clicked takes a button payload");
        }
        Campaign source = campaigns.get(sourceId);
        if (source.startedAt == null) {
            ProblemException problem = ProblemException.conflict("campaign " + sourceId + " is " + source.status.value()
                    + " and never sent; a follow-up is made of what a campaign sent");
            throw new ProblemException(problem.status(), problem.slug(), problem.title(), problem.getMessage(),
                    List.of(new FieldError("status", null, "never sent", source.status.value())));
        }
        if (outcome == FollowUpOutcome.CLICKED) {
            Map<String, Long> pressed = engagement.totals(sourceId).of(EngagementRepository.Metric.BUTTON);
            if (!pressed.containsKey(payload)) {
                String known = pressed.isEmpty() ? "no button of it was pressed"
                        : "payloads pressed: " + String.join(", ", pressed.keySet().stream().limit(20).toList());
                throw ProblemException.unprocessable("no recipient of campaign " + sourceId
                        + " pressed a button with this payload (" + known + "); nothing was created",
                        List.of(FieldError.of("payload", "unknown button payload for campaign " + sourceId)));
            }
        }
        String templateName = spec.templateName() == null ? source.templateName : spec.templateName().strip();
        String language = spec.templateLanguage() != null ? spec.templateLanguage()
                : source.templateLanguage;
        Template template = templates.sendable(templateName, language);
        TemplateVariables variables = template.variables();
        Map<String, String> defaults = spec.templateVariables() != null ? spec.templateVariables()
                : known(source.templateVariables, variables);
        Integer afterHours = outcome == FollowUpOutcome.DELIVERED_NOT_READ
                ? (spec.afterHours() == null ? (int) FollowUpOutcome.DEFAULT_AFTER.toHours() : spec.afterHours())
                : null;

        Campaign followUp = campaigns.createInTransaction(new CampaignSpec(name(spec, source, outcome), spec.description(), templateName,
                language, defaults, source.phoneNumberId,
                Math.min(source.rateLimit, config.capPerSecond(source.phoneNumberId) * 60),
                source.sendWindow() == null ? null : new CampaignSpec.SendWindowSpec(source.windowStartHour,
                        source.windowEndHour, source.windowTimeZone),
                null, null)).campaign();

        Instant now = Instant.now();
        Instant quietSince = now.minus(config.followUps().marketingLimitQuietPeriod());
        Instant deliveredBy = afterHours == null ? now : now.minusSeconds(afterHours * 3600L);
        long added = 0;
        long suppressed = 0;
        long taken = 0;
        long notRetryable = 0;
        long tooRecent = 0;
        long missing = 0;
        long afterId = 0;
        LoadedRecipients.Tally tally = new LoadedRecipients.Tally();
        List<Candidate> page;
        do {
            page = followUps.candidates(sourceId, outcome, payload, afterId, PAGE);
            Map<Long, NewRecipient> rows = new LinkedHashMap<>();
            for (Candidate candidate : page) {
                afterId = candidate.id();
                if (candidate.suppressed()) {
                    suppressed++;
                    continue;
                }
                if (candidate.taken()) {
                    taken++;
                    continue;
                }
                switch (outcome.judge(candidate.errorCode(), candidate.updatedAt(), quietSince, deliveredBy)) {
                    case NOT_RETRYABLE -> notRetryable++;
                    case TOO_RECENT -> tooRecent++;
                    case TAKE -> {
                        Map<String, String> own = known(candidate.variables(), variables);
                        if (usable(variables, defaults, own)) {
                            rows.put(candidate.id(), new NewRecipient(candidate.phone(), candidate.name(), own,
                                    RecipientStatus.PENDING));
                        } else {
                            missing++;
                        }
                    }
                }
            }
            Set<Long> mine = followUps.take(sourceId, outcome.key(payload), followUp.id, List.copyOf(rows.keySet()));
            taken += rows.size() - mine.size();
            rows.keySet().retainAll(mine);
            List<NewRecipient> stored = new ArrayList<>(rows.values());
            recipients.insert(followUp.id, stored, now);
            loaded.storedWithoutWritingContacts(followUp.id, stored, tally);
            added += rows.size();
        } while (page.size() == PAGE);

        Skipped skipped = new Skipped(suppressed, taken, notRetryable, tooRecent, missing);
        if (added == 0) {
            throw ProblemException.unprocessable("no recipient of campaign " + sourceId + " qualifies for a follow-up to "
                    + outcome.value() + " (" + describe(skipped) + "); nothing was created",
                    List.of(FieldError.of("outcome", "no recipient qualifies")));
        }
        CounterRepository.Deltas deltas = new CounterRepository.Deltas();
        deltas.add(followUp.id, RecipientStatus.PENDING, added);
        counters.apply(deltas);
        loaded.loaded(followUp.id, tally);
        FollowUp recorded = new FollowUp(followUp.id, sourceId, outcome, afterHours, now, payload);
        followUps.record(recorded);
        LOG.infof("campaign %d follows up campaign %d (%s): %d recipients, skipped %s", followUp.id, sourceId,
                outcome.value(), added, describe(skipped));
        return new Created(followUp, recorded, new Report(added, skipped));
    }

    /** The follow-ups of a campaign, oldest first. */
    @Transactional
    public List<Listed> list(long sourceId) {
        campaigns.get(sourceId);
        List<Listed> listed = new ArrayList<>();
        for (FollowUp followUp : followUps.ofSource(sourceId)) {
            Campaign campaign = Campaign.findById(followUp.campaignId());
            long total = counters.read(followUp.campaignId()).values().stream().mapToLong(Long::longValue).sum();
            listed.add(new Listed(followUp.campaignId(), campaign.name, campaign.status, followUp.outcome(),
                    followUp.afterHours(), followUp.payload(), total, followUp.createdAt()));
        }
        return listed;
    }

    /** What each of the campaigns follows up, for those that are follow-ups. */
    @Transactional
    public Map<Long, FollowUp> sourcesOf(List<Long> campaignIds) {
        return followUps.of(campaignIds);
    }

    private static FollowUpOutcome outcome(String value) {
        String allowed = String.join(", ", Arrays.stream(FollowUpOutcome.values()).map(FollowUpOutcome::value).toList());
        for (FollowUpOutcome outcome : FollowUpOutcome.values()) {
            if (outcome.value().equals(value.strip().toLowerCase(Locale.ROOT))) {
                return outcome;
            }
        }
        throw ProblemException.invalidField("outcome", "unknown outcome; use one of " + allowed);
    }

    private static String name(FollowUpSpec spec, Campaign source, FollowUpOutcome outcome) {
        if (spec.name() != null && !spec.name().isBlank()) {
            return spec.name();
        }
        String suffix = " · follow-up: " + outcome.value().replace('_', ' ')
                + (outcome == FollowUpOutcome.CLICKED ? " " + clip(spec.payload()) : "");
        String base = source.name.length() + suffix.length() <= 200 ? source.name
                : source.name.substring(0, 199 - suffix.length()) + "…";
        return base + suffix;
    }

    /** A payload for a campaign name: one line of printable characters, at most 40 of them. */
    private static String clip(String payload) {
        String line = payload.replaceAll("[\\p{Cntrl}\\p{Cf}]", " ").strip();
        return "\"" + (line.length() <= 40 ? line : line.substring(0, 39) + "…") + "\"";
    }

    /** The values among {@code values} the template takes. */
    private static Map<String, String> known(Map<String, String> values, TemplateVariables template) {
        Map<String, String> kept = new LinkedHashMap<>(values == null ? Map.of() : values);
        kept.keySet().retainAll(template.keys());
        return kept;
    }

    private static boolean usable(TemplateVariables template, Map<String, String> defaults, Map<String, String> own) {
        if (!template.missing(defaults, own).isEmpty()) {
            return false;
        }
        return own.entrySet().stream().allMatch(e -> template.valueProblem(e.getKey(), e.getValue()) == null);
    }

    private static String describe(Skipped s) {
        return s.suppressed() + " suppressed, " + s.alreadyInFollowUp() + " already in a follow-up to this outcome, "
                + s.notRetryable() + " failed for a reason that is not retryable, " + s.tooRecent()
                + " too recent, " + s.missingVariables() + " missing template variables";
    }
}
