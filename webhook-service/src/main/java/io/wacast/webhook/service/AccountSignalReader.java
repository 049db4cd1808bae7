package io.wacast.webhook.service;

import com.fasterxml.jackson.databind.JsonNode;
import io.wacast.common.event.AccountSignal;
import io.wacast.webhook.domain.WebhookBatch.IgnoredReason;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Reads the account-level webhook fields (templates, numbers, portfolio, account) in Meta's documented
 * shapes (docs/META.md, "Account signals") into {@link AccountSignal}s. A value wacast does not know
 * (a new event, score, category or tier) is reported, never guessed at: Meta adds values, and a
 * signal read wrongly could pause campaigns for nothing.
 */
final class AccountSignalReader {

    /** {@code message_template_status_update} events, Meta's reference as of 2026. */
    static final Set<String> TEMPLATE_EVENTS = Set.of("APPROVED", "ARCHIVED", "DELETED", "DISABLED", "FLAGGED",
            "IN_APPEAL", "LIMIT_EXCEEDED", "LOCKED", "PAUSED", "PENDING", "PENDING_DELETION", "REINSTATED", "REJECTED",
            "UNARCHIVED", "UNLOCKED");
    static final Set<String> QUALITY_SCORES = Set.of("GREEN", "YELLOW", "RED", "UNKNOWN");
    static final Set<String> CATEGORIES = Set.of("MARKETING", "UTILITY", "AUTHENTICATION");
    /**
     * {@code phone_number_quality_update} events: Meta's page lists ONBOARDING and THROUGHPUT_UPGRADE;
     * the quality events (FLAGGED, UNFLAGGED, UPGRADE, DOWNGRADE) are those of its earlier reference,
     * still sent and documented by providers.
     */
    static final Set<String> NUMBER_EVENTS = Set.of("ONBOARDING", "THROUGHPUT_UPGRADE", "FLAGGED", "UNFLAGGED",
            "UPGRADE", "DOWNGRADE");
    /** Meta's messaging-limit tiers, as unique users per 24 h (-1 unlimited, null not set). */
    static final Map<String, Long> TIERS = Map.of("TIER_50", 50L, "TIER_250", 250L, "TIER_1K", 1_000L,
            "TIER_2K", 2_000L, "TIER_10K", 10_000L, "TIER_100K", 100_000L, "TIER_UNLIMITED", -1L);
    static final Set<Long> CAPABILITY_LIMITS = Set.of(50L, 250L, 1_000L, 2_000L, 10_000L, 100_000L, -1L);
    static final Set<String> ACCOUNT_EVENTS = Set.of("ACCOUNT_RESTRICTION", "ACCOUNT_VIOLATION", "DISABLED_UPDATE",
            "ACCOUNT_DELETED", "ACCOUNT_OFFBOARDED", "ACCOUNT_RECONNECTED", "ACCOUNT_UPDATE", "PARTNER_ADDED",
            "PARTNER_REMOVED", "PARTNER_APP_INSTALLED", "PARTNER_APP_UNINSTALLED", "MM_LITE_TERMS_SIGNED",
            "VOLUME_BASED_PRICING_TIER_UPDATE", "AUTH_INTL_PRICE_ELIGIBILITY_UPDATE",
            "BUSINESS_PRIMARY_LOCATION_COUNTRY_UPDATE", "PARTNER_CLIENT_CERTIFICATION_STATUS_UPDATE");

    /** A signal, or why there is none. */
    record Result(AccountSignal signal, IgnoredReason ignored) {

        static Result of(AccountSignal signal) {
            return new Result(signal, null);
        }

        static Result ignored(IgnoredReason reason) {
            return new Result(null, reason);
        }
    }

    Result read(String eventId, String field, String wabaId, JsonNode value, Instant metaTimestamp, Instant receivedAt) {
        if (!value.isObject()) {
            return Result.ignored(IgnoredReason.UNREADABLE_ENTRY);
        }
        Builder b = new Builder(eventId, field, wabaId, metaTimestamp, receivedAt);
        return switch (field) {
            case AccountSignal.TEMPLATE_STATUS -> templateStatus(value, b);
            case AccountSignal.TEMPLATE_QUALITY -> templateQuality(value, b);
            case AccountSignal.TEMPLATE_CATEGORY -> templateCategory(value, b);
            case AccountSignal.NUMBER_QUALITY -> numberQuality(value, b);
            case AccountSignal.BUSINESS_CAPABILITY -> businessCapability(value, b);
            case AccountSignal.ACCOUNT_UPDATE -> accountUpdate(value, b);
            default -> Result.ignored(IgnoredReason.UNKNOWN_FIELD);
        };
    }

    private static Result templateStatus(JsonNode value, Builder b) {
        if (!template(value, b)) {
            return Result.ignored(IgnoredReason.UNREADABLE_ENTRY);
        }
        b.event = upper(value.path("event"));
        if (b.event == null) {
            return Result.ignored(IgnoredReason.UNREADABLE_ENTRY);
        }
        if (!TEMPLATE_EVENTS.contains(b.event)) {
            return Result.ignored(IgnoredReason.UNKNOWN_SIGNAL_VALUE);
        }
        b.reason = text(value.path("reason"));
        JsonNode disableDate = value.path("disable_info").path("disable_date");
        if (b.reason == null && !disableDate.isMissingNode()) {
            b.reason = "disabled on " + disableDate.asText();
        }
        return Result.of(b.build());
    }

    private static Result templateQuality(JsonNode value, Builder b) {
        if (!template(value, b)) {
            return Result.ignored(IgnoredReason.UNREADABLE_ENTRY);
        }
        b.newValue = upper(value.path("new_quality_score"));
        b.previousValue = upper(value.path("previous_quality_score"));
        if (b.newValue == null) {
            return Result.ignored(IgnoredReason.UNREADABLE_ENTRY);
        }
        if (!QUALITY_SCORES.contains(b.newValue)) {
            return Result.ignored(IgnoredReason.UNKNOWN_SIGNAL_VALUE);
        }
        b.event = b.newValue;
        return Result.of(b.build());
    }

    /**
     * Two shapes on one field: an impending change ({@code correct_category}, {@code new_category} = the
     * category now, {@code category_update_timestamp}) and a completed one ({@code previous_category},
     * {@code new_category}). Only a completed change changes the template's category.
     */
    private static Result templateCategory(JsonNode value, Builder b) {
        if (!template(value, b)) {
            return Result.ignored(IgnoredReason.UNREADABLE_ENTRY);
        }
        String correct = upper(value.path("correct_category"));
        String current = upper(value.path("new_category"));
        if (correct != null) {
            b.event = AccountSignal.CATEGORY_IMPENDING;
            b.previousValue = current;
            b.newValue = correct;
            JsonNode at = value.path("category_update_timestamp");
            b.effectiveAt = at.canConvertToLong() || at.isTextual() ? epochSeconds(at.asText()) : null;
        } else {
            b.event = AccountSignal.CATEGORY_COMPLETED;
            b.previousValue = upper(value.path("previous_category"));
            b.newValue = current;
        }
        if (b.newValue == null) {
            return Result.ignored(IgnoredReason.UNREADABLE_ENTRY);
        }
        if (!CATEGORIES.contains(b.newValue)) {
            return Result.ignored(IgnoredReason.UNKNOWN_SIGNAL_VALUE);
        }
        return Result.of(b.build());
    }

    private static Result numberQuality(JsonNode value, Builder b) {
        b.displayPhoneNumber = text(value.path("display_phone_number"));
        b.event = upper(value.path("event"));
        if (b.displayPhoneNumber == null || b.event == null) {
            return Result.ignored(IgnoredReason.UNREADABLE_ENTRY);
        }
        b.displayPhoneNumber = b.displayPhoneNumber.replaceAll("\\D", "");
        if (b.displayPhoneNumber.isEmpty()) {
            return Result.ignored(IgnoredReason.UNREADABLE_ENTRY);
        }
        if (!NUMBER_EVENTS.contains(b.event)) {
            return Result.ignored(IgnoredReason.UNKNOWN_SIGNAL_VALUE);
        }
        b.newValue = upper(value.path("current_limit"));
        b.previousValue = upper(value.path("old_limit"));
        String portfolioTier = upper(value.path("max_daily_conversations_per_business"));
        if (!knownTier(b.newValue) || !knownTier(b.previousValue) || !knownTier(portfolioTier)) {
            return Result.ignored(IgnoredReason.UNKNOWN_SIGNAL_VALUE);
        }
        b.messagingLimit = portfolioTier == null ? null : TIERS.get(portfolioTier);
        return Result.of(b.build());
    }

    private static Result businessCapability(JsonNode value, Builder b) {
        JsonNode limit = value.path("max_daily_conversations_per_business");
        if (limit.isMissingNode() || limit.isNull()) {
            limit = value.path("max_daily_conversation_per_phone");
        }
        if (limit.isMissingNode() || limit.isNull()) {
            return Result.ignored(IgnoredReason.UNREADABLE_ENTRY);
        }
        Long messagingLimit;
        if (limit.isIntegralNumber()) {
            messagingLimit = limit.asLong();
        } else if (limit.isTextual() && limit.asText().strip().matches("-?\\d{1,12}")) {
            messagingLimit = Long.parseLong(limit.asText().strip());
        } else if (limit.isTextual() && TIERS.containsKey(limit.asText().strip().toUpperCase(Locale.ROOT))) {
            messagingLimit = TIERS.get(limit.asText().strip().toUpperCase(Locale.ROOT));
        } else {
            return Result.ignored(IgnoredReason.UNREADABLE_ENTRY);
        }
        if (!CAPABILITY_LIMITS.contains(messagingLimit)) {
            return Result.ignored(IgnoredReason.UNKNOWN_SIGNAL_VALUE);
        }
        b.event = "CAPABILITY";
        b.messagingLimit = messagingLimit;
        return Result.of(b.build());
    }

    private static Result accountUpdate(JsonNode value, Builder b) {
        b.event = upper(value.path("event"));
        if (b.event == null) {
            return Result.ignored(IgnoredReason.UNREADABLE_ENTRY);
        }
        if (!ACCOUNT_EVENTS.contains(b.event)) {
            return Result.ignored(IgnoredReason.UNKNOWN_SIGNAL_VALUE);
        }
        JsonNode restrictionInfo = value.path("restriction_info");
        if (!restrictionInfo.isMissingNode() && !restrictionInfo.isArray()) {
            return Result.ignored(IgnoredReason.UNREADABLE_ENTRY);
        }
        List<AccountSignal.Restriction> restrictions = new ArrayList<>();
        for (JsonNode restriction : restrictionInfo) {
            String type = upper(restriction.path("restriction_type"));
            if (type == null) {
                return Result.ignored(IgnoredReason.UNREADABLE_ENTRY);
            }
            restrictions.add(new AccountSignal.Restriction(type, text(restriction.path("expiration"))));
        }
        b.restrictions = restrictions;
        String banState = upper(value.path("ban_info").path("waba_ban_state"));
        String violation = upper(value.path("violation_info").path("violation_type"));
        b.reason = banState != null ? banState : violation;
        b.displayPhoneNumber = text(value.path("phone_number"));
        if (b.displayPhoneNumber != null) {
            b.displayPhoneNumber = b.displayPhoneNumber.replaceAll("\\D", "");
        }
        return Result.of(b.build());
    }

    /** Reads the template's id, name and language; false when neither id nor name is there. */
    private static boolean template(JsonNode value, Builder b) {
        JsonNode id = value.path("message_template_id");
        b.templateId = id.isIntegralNumber() ? id.asText() : text(id);
        b.templateName = text(value.path("message_template_name"));
        b.templateLanguage = text(value.path("message_template_language"));
        return b.templateId != null || b.templateName != null;
    }

    private static boolean knownTier(String tier) {
        return tier == null || tier.equals("TIER_NOT_SET") || TIERS.containsKey(tier);
    }

    private static String text(JsonNode node) {
        if (!node.isValueNode() || node.isNull()) {
            return null;
        }
        String text = node.asText().strip();
        return text.isEmpty() ? null : text.length() > 500 ? text.substring(0, 500) : text;
    }

    private static String upper(JsonNode node) {
        String text = text(node);
        return text == null ? null : text.toUpperCase(Locale.ROOT);
    }

    private static Instant epochSeconds(String seconds) {
        try {
            return Instant.ofEpochSecond(Long.parseLong(seconds.strip()));
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static final class Builder {
        final String eventId;
        final String field;
        final String wabaId;
        final Instant metaTimestamp;
        final Instant receivedAt;
        String event;
        String templateId;
        String templateName;
        String templateLanguage;
        String reason;
        String previousValue;
        String newValue;
        Instant effectiveAt;
        String displayPhoneNumber;
        Long messagingLimit;
        List<AccountSignal.Restriction> restrictions = List.of();

        Builder(String eventId, String field, String wabaId, Instant metaTimestamp, Instant receivedAt) {
            this.eventId = eventId;
            this.field = field;
            this.wabaId = wabaId;
            this.metaTimestamp = metaTimestamp;
            this.receivedAt = receivedAt;
        }

        AccountSignal build() {
            return new AccountSignal(eventId, AccountSignal.SCHEMA_VERSION, field, wabaId, event, templateId,
                    templateName, templateLanguage, reason, previousValue, newValue, effectiveAt, displayPhoneNumber,
                    messagingLimit, restrictions, metaTimestamp, receivedAt);
        }
    }
}
