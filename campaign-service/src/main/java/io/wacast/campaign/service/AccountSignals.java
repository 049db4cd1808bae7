package io.wacast.campaign.service;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.wacast.campaign.config.CampaignConfig;
import io.wacast.campaign.domain.Template;
import io.wacast.campaign.domain.TemplateCategory;
import io.wacast.campaign.domain.TemplateStatus;
import io.wacast.campaign.repository.CampaignRepository;
import io.wacast.campaign.repository.ProcessedEventRepository;
import io.wacast.campaign.repository.SignalRepository;
import io.wacast.common.event.AccountSignal;

/**
 * Acts on what Meta says about the account (docs/DESIGN.md §4, "Account signals"): a template that
 * can no longer be sent pauses every campaign sending it; a RED marketing template, a flagged number
 * and a restricted or banned account pause the campaigns they concern, each with the reason in the
 * campaign's status. Qualities, categories, tiers and restrictions are stored for the API and the
 * pre-flight plan. Idempotent on the event id; a signal older than what is stored changes nothing.
 * Nothing is resumed automatically: the operator resumes, and resume refuses a template that is not
 * approved.
 */
@ApplicationScoped
public class AccountSignals {

    private static final Logger LOG = Logger.getLogger(AccountSignals.class);

    /** What a signal did, for the consumer's metric. */
    public enum Result {
        APPLIED, DUPLICATE, STALE, UNMATCHED
    }

    /** Meta's template events that end sending, and the status each leaves. */
    static final Map<String, TemplateStatus> STATUS_OF_EVENT = Map.of(
            "APPROVED", TemplateStatus.APPROVED,
            "REINSTATED", TemplateStatus.APPROVED,
            "UNARCHIVED", TemplateStatus.APPROVED,
            "PAUSED", TemplateStatus.PAUSED,
            "DISABLED", TemplateStatus.DISABLED,
            "REJECTED", TemplateStatus.REJECTED,
            "ARCHIVED", TemplateStatus.ARCHIVED,
            "DELETED", TemplateStatus.ARCHIVED,
            "PENDING_DELETION", TemplateStatus.ARCHIVED,
            "PENDING", TemplateStatus.PENDING);
    /** Restrictions that stop the business-initiated messages campaigns are made of. */
    private static final Set<String> STOPPING_RESTRICTIONS = Set.of("RESTRICTED_BIZ_INITIATED_MESSAGING");
    /** {@code waba_ban_state} values that take the account away. */
    private static final Set<String> BANNED = Set.of("DISABLE", "SCHEDULE_FOR_DISABLE");

    private final CampaignConfig config;
    private final CampaignLifecycle lifecycle;
    private final CampaignRepository campaigns;
    private final SignalRepository signals;
    private final ProcessedEventRepository processed;
    private final ObjectMapper json;

    AccountSignals(CampaignConfig config, CampaignLifecycle lifecycle, CampaignRepository campaigns,
            SignalRepository signals, ProcessedEventRepository processed, ObjectMapper json) {
        this.config = config;
        this.lifecycle = lifecycle;
        this.campaigns = campaigns;
        this.signals = signals;
        this.processed = processed;
        this.json = json;
    }

    @Transactional
    public Result apply(AccountSignal signal) {
        if (!processed.alreadyProcessed(List.of(signal.eventId())).isEmpty()) {
            return Result.DUPLICATE;
        }
        Instant now = Instant.now();
        Result result = switch (signal.field()) {
            case AccountSignal.TEMPLATE_STATUS -> templateStatus(signal, now);
            case AccountSignal.TEMPLATE_QUALITY -> templateQuality(signal, now);
            case AccountSignal.TEMPLATE_CATEGORY -> templateCategory(signal, now);
            case AccountSignal.NUMBER_QUALITY -> numberQuality(signal, now);
            case AccountSignal.BUSINESS_CAPABILITY -> businessCapability(signal, now);
            case AccountSignal.ACCOUNT_UPDATE -> accountUpdate(signal, now);
            default -> Result.UNMATCHED;
        };
        processed.record(List.of(signal.eventId()), now);
        return result;
    }

    private Result templateStatus(AccountSignal signal, Instant now) {
        Optional<Template> found = template(signal);
        if (found.isEmpty()) {
            return Result.UNMATCHED;
        }
        Template template = found.get();
        TemplateStatus status = STATUS_OF_EVENT.get(signal.event());
        if (status == null) {
            // FLAGGED, LOCKED, LIMIT_EXCEEDED, IN_APPEAL…: the template stays as it is; the reason is shown
            template.statusReason = describe(signal);
            template.updatedAt = now;
            return Result.APPLIED;
        }
        if (isOlder(signal, template.statusAt)) {
            return Result.STALE;
        }
        changeStatus(template, status, signal.reason() == null || "NONE".equalsIgnoreCase(signal.reason()) ? null
                : signal.reason(), signal.metaTimestamp() != null ? signal.metaTimestamp() : now, now);
        return Result.APPLIED;
    }

    /**
     * Sets the template's status as Meta reports it (by webhook or template sync); a status that cannot
     * be sent pauses every sending campaign of the template and marks the scheduled ones.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void changeStatus(Template template, TemplateStatus status, String reason, Instant at, Instant now) {
        template.status = status;
        template.statusReason = reason;
        template.statusAt = at;
        template.updatedAt = now;
        if (status != TemplateStatus.APPROVED) {
            String why = "template " + template.name + " (" + template.language + ") " + status.value() + " by Meta"
                    + (reason == null ? "" : ": " + reason);
            pause(signals.sendingWithTemplate(template.name, template.language), why);
            int scheduled = campaigns.noteScheduledWithTemplate(template.name, template.language,
                    why + "; it will start paused unless the template is approved again");
            if (scheduled > 0) {
                LOG.warnf("%d scheduled campaign(s) of %s will start paused", scheduled, template.name);
            }
        } else {
            LOG.infof("template %s (%s) approved by Meta; campaigns it paused can be resumed", template.name,
                    template.language);
        }
    }

    private Result templateQuality(AccountSignal signal, Instant now) {
        Optional<Template> found = template(signal);
        if (found.isEmpty()) {
            return Result.UNMATCHED;
        }
        Template template = found.get();
        if (isOlder(signal, template.qualityAt)) {
            return Result.STALE;
        }
        template.quality = signal.newValue().toLowerCase(Locale.ROOT);
        template.qualityAt = signal.metaTimestamp() != null ? signal.metaTimestamp() : now;
        template.updatedAt = now;
        if ("RED".equals(signal.newValue()) && template.category == TemplateCategory.MARKETING
                && config.signals().pauseMarketingOnRedTemplate()) {
            pause(signals.sendingWithTemplate(template.name, template.language), "template " + template.name + " ("
                    + template.language + ") quality dropped to RED"
                    + (signal.previousValue() == null ? "" : " from " + signal.previousValue()));
        }
        return Result.APPLIED;
    }

    /** Only a completed change sets the category; an impending one is shown as upcoming. */
    private Result templateCategory(AccountSignal signal, Instant now) {
        Optional<Template> found = template(signal);
        if (found.isEmpty()) {
            return Result.UNMATCHED;
        }
        Template template = found.get();
        TemplateCategory category = TemplateCategory.fromString(signal.newValue());
        if (AccountSignal.CATEGORY_IMPENDING.equals(signal.event())) {
            template.upcomingCategory = category;
            template.upcomingCategoryAt = signal.effectiveAt();
            template.updatedAt = now;
            return Result.APPLIED;
        }
        if (isOlder(signal, template.categoryAt)) {
            return Result.STALE;
        }
        template.category = category;
        template.categoryAt = signal.metaTimestamp() != null ? signal.metaTimestamp() : now;
        template.upcomingCategory = null;
        template.upcomingCategoryAt = null;
        template.updatedAt = now;
        LOG.infof("template %s (%s) is now %s (was %s)", template.name, template.language, category.value(),
                signal.previousValue());
        return Result.APPLIED;
    }

    private Result numberQuality(AccountSignal signal, Instant now) {
        String phoneNumberId = phoneNumberIdOf(signal.displayPhoneNumber());
        Boolean flagged = switch (signal.event()) {
            case "FLAGGED" -> Boolean.TRUE;
            case "UNFLAGGED", "UPGRADE" -> Boolean.FALSE;
            default -> null;
        };
        Boolean upgraded = "THROUGHPUT_UPGRADE".equals(signal.event()) ? Boolean.TRUE : null;
        if (!signals.recordNumber(signal.displayPhoneNumber(), phoneNumberId, signal.wabaId(), signal.event(), flagged,
                upgraded, signal.newValue(), signal.metaTimestamp(), now)) {
            return Result.STALE;
        }
        if (signal.messagingLimit() != null && signal.wabaId() != null) {
            signals.recordMessagingLimit(signal.wabaId(), signal.messagingLimit(), signal.metaTimestamp(), now);
        }
        if (Boolean.TRUE.equals(flagged) && config.signals().pauseMarketingOnFlaggedNumber()) {
            if (phoneNumberId == null) {
                LOG.warnf("number %s was flagged by Meta but is not in wacast.campaign.signals.display-numbers;"
                        + " its campaigns cannot be told apart and were not paused", signal.displayPhoneNumber());
            } else {
                pause(signals.sendingMarketing(phoneNumberId), "number " + phoneNumberId + " flagged by Meta (quality)");
            }
        }
        return Result.APPLIED;
    }

    private Result businessCapability(AccountSignal signal, Instant now) {
        if (signal.wabaId() == null || signal.messagingLimit() == null) {
            return Result.UNMATCHED;
        }
        return signals.recordMessagingLimit(signal.wabaId(), signal.messagingLimit(), signal.metaTimestamp(), now)
                ? Result.APPLIED : Result.STALE;
    }

    /**
     * A restriction of business-initiated messaging, a ban or a deletion stops every campaign sending
     * from the account's numbers (every number when none is known for it yet), as a 190/401 does.
     */
    private Result accountUpdate(AccountSignal signal, Instant now) {
        if (signal.wabaId() == null) {
            return Result.UNMATCHED;
        }
        String event = signal.event();
        boolean restricted = "ACCOUNT_RESTRICTION".equals(event)
                && signal.restrictions().stream().anyMatch(r -> STOPPING_RESTRICTIONS.contains(r.type()));
        boolean banned = "DISABLED_UPDATE".equals(event) && signal.reason() != null && BANNED.contains(signal.reason());
        boolean deleted = "ACCOUNT_DELETED".equals(event) || "ACCOUNT_OFFBOARDED".equals(event);
        boolean stateful = "ACCOUNT_RESTRICTION".equals(event) || "DISABLED_UPDATE".equals(event) || deleted
                || "ACCOUNT_RECONNECTED".equals(event);
        if (!stateful) {
            return Result.APPLIED; // violations, partner and pricing events: nothing campaigns depend on
        }
        boolean blocked = restricted || banned || deleted;
        String reason = blocked ? "account " + signal.wabaId() + " " + describe(signal) : null;
        String restrictions;
        try {
            restrictions = json.writeValueAsString(signal.restrictions());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        if (!signals.recordAccount(signal.wabaId(), restrictions, "DISABLED_UPDATE".equals(event) ? signal.reason() : null,
                blocked, reason, signal.metaTimestamp(), now)) {
            return Result.STALE;
        }
        if (blocked) {
            LOG.errorf("ALERT Meta stopped account %s: %s; its sending campaigns are paused", signal.wabaId(), reason);
            pause(signals.sendingOnNumbers(signals.numbersOfWaba(signal.wabaId())), reason);
        }
        return Result.APPLIED;
    }

    /**
     * A business number: configured ({@code phoneNumberId}, its cap, the name of the secret holding its
     * token — never the token —, {@code registered} when the registry names it) and as Meta's webhooks
     * describe it ({@code lastEvent} null until one arrived; quality: {@code flagged}; tier:
     * {@code currentLimit}). {@code capPerSecond} is Meta's higher throughput once it reported an upgrade.
     */
    public record NumberView(String phoneNumberId, String displayPhoneNumber, String wabaId, int capPerSecond,
            String lastEvent, boolean flagged, boolean throughputUpgraded, String currentLimit, Instant eventAt,
            Instant updatedAt, String accessTokenRef, boolean registered) {
    }

    /** A business portfolio (WABA): the messaging limit Meta reported and what stops it sending. */
    public record PortfolioView(String wabaId, Long messagingLimit, boolean unlimited, Instant messagingLimitAt,
            List<AccountSignal.Restriction> restrictions, String banState, boolean blocked, String blockedReason,
            Instant accountAt, Instant updatedAt) {
    }

    /** What {@code GET /api/whatsapp/numbers} shows. */
    public record Numbers(List<NumberView> numbers, List<PortfolioView> portfolios) {
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public Numbers numbers() {
        Map<String, NumberView> byKey = new java.util.LinkedHashMap<>();
        java.util.Set<String> configured = new java.util.TreeSet<>(config.signals().displayNumbers().keySet());
        configured.add(config.defaultPhoneNumberId());
        configured.addAll(config.numberCaps().keySet());
        configured.addAll(config.numbers().keySet());
        for (String id : configured) {
            String display = config.displayDigitsOf(id);
            CampaignConfig.NumberRegistration registration = config.numbers().get(id);
            byKey.put(display != null ? display : "id:" + id, new NumberView(id, display,
                    registration == null ? null : registration.wabaId().orElse(null), config.capPerSecond(id),
                    null, false, false, null, null, null,
                    registration == null ? null : registration.accessTokenRef().orElse(null), registration != null));
        }
        for (SignalRepository.NumberRow row : signals.numbers()) {
            String id = row.phoneNumberId() != null ? row.phoneNumberId() : phoneNumberIdOf(row.displayPhoneNumber());
            int cap = id == null ? config.numberCapPerSecond() : config.capPerSecond(id);
            byKey.put(row.displayPhoneNumber(), new NumberView(id, row.displayPhoneNumber(), row.wabaId(),
                    row.throughputUpgraded() ? Math.max(cap, config.upgradedCapPerSecond()) : cap, row.lastEvent(),
                    row.flagged(), row.throughputUpgraded(), row.currentLimit(), row.eventAt(), row.updatedAt(),
                    row.accessTokenRef(), row.registeredAt() != null));
        }
        List<PortfolioView> portfolios = signals.portfolios().stream().map(row -> new PortfolioView(row.wabaId(),
                row.messagingLimit() == null || row.messagingLimit() < 0 ? null : row.messagingLimit(),
                row.messagingLimit() != null && row.messagingLimit() < 0, row.limitAt(), restrictions(row.restrictions()),
                row.banState(), row.blocked(), row.blockedReason(), row.accountAt(), row.updatedAt())).toList();
        return new Numbers(List.copyOf(byKey.values()), portfolios);
    }

    private List<AccountSignal.Restriction> restrictions(String stored) {
        try {
            return List.of(json.readValue(stored, AccountSignal.Restriction[].class));
        } catch (JsonProcessingException e) {
            return List.of();
        }
    }

    private void pause(List<Long> ids, String reason) {
        for (long id : ids) {
            lifecycle.transition(id, CampaignLifecycle.Action.PAUSE, reason);
        }
    }

    /** The template by Meta's id, else by name and language; remembers Meta's id. */
    private Optional<Template> template(AccountSignal signal) {
        Optional<Template> found = signal.templateId() == null ? Optional.empty()
                : Template.find("metaTemplateId", signal.templateId()).firstResultOptional();
        if (found.isEmpty() && signal.templateName() != null) {
            found = signal.templateLanguage() != null
                    ? Template.findByNameAndLanguage(signal.templateName(), signal.templateLanguage())
                    : Template.find("name", signal.templateName()).firstResultOptional();
        }
        found.ifPresent(t -> {
            if (signal.templateId() != null) {
                t.metaTemplateId = signal.templateId();
            }
        });
        if (found.isEmpty()) {
            LOG.debugf("%s for template %s (%s, id %s) that is not registered here", signal.field(),
                    signal.templateName(), signal.templateLanguage(), signal.templateId());
        }
        return found;
    }

    private String phoneNumberIdOf(String displayDigits) {
        java.util.Set<String> ids = new java.util.TreeSet<>(config.numbers().keySet());
        ids.addAll(config.signals().displayNumbers().keySet());
        return ids.stream().filter(id -> displayDigits != null && displayDigits.equals(config.displayDigitsOf(id)))
                .findFirst().orElse(null);
    }

    private static boolean isOlder(AccountSignal signal, Instant stored) {
        return stored != null && signal.metaTimestamp() != null && signal.metaTimestamp().isBefore(stored);
    }

    private static String describe(AccountSignal signal) {
        StringBuilder text = new StringBuilder(signal.event().toLowerCase(Locale.ROOT).replace('_', ' '));
        if (signal.reason() != null) {
            text.append(": ").append(signal.reason());
        }
        signal.restrictions().forEach(r -> text.append("; ").append(r.type())
                .append(r.expiration() == null ? "" : " until " + r.expiration()));
        return text.toString();
    }
}
