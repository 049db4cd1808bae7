package io.wacast.common.event;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One change of a WhatsApp Business Account webhook field that is about the account rather than a
 * message: a template's status, quality or category, a business number's quality or throughput, the
 * portfolio's messaging limit, a restriction or ban. Published by the webhook service to
 * {@code wacast.account-signals}, keyed by WABA id; duplicates and any order are possible, so
 * consumers compare {@link #metaTimestamp} with what they hold and are idempotent on {@link #eventId}.
 * Fields that do not belong to the {@link #field} are null.
 *
 * @param field Meta's webhook field: {@value #TEMPLATE_STATUS}, {@value #TEMPLATE_QUALITY},
 *     {@value #TEMPLATE_CATEGORY}, {@value #NUMBER_QUALITY}, {@value #BUSINESS_CAPABILITY} or
 *     {@value #ACCOUNT_UPDATE}
 * @param wabaId the WhatsApp Business Account ({@code entry[].id})
 * @param event Meta's {@code event} in upper case (PAUSED, APPROVED, FLAGGED, THROUGHPUT_UPGRADE,
 *     ACCOUNT_RESTRICTION, …); for a category change {@value #CATEGORY_COMPLETED} or
 *     {@value #CATEGORY_IMPENDING}; for a quality change the new score
 * @param templateId Meta's {@code message_template_id}
 * @param reason Meta's {@code reason} of a template status change, or a ban state / violation type
 * @param previousValue the previous quality score, category or messaging-limit tier
 * @param newValue the new quality score or category, the current limit tier of a number, or for an
 *     impending category change the category Meta will set ({@code correct_category})
 * @param effectiveAt when an impending category change takes effect
 * @param displayPhoneNumber the business number of a number signal, digits only as Meta sends it
 * @param messagingLimit the portfolio's messaging limit (unique users per 24 h); -1 unlimited
 * @param restrictions the {@code restriction_info} of an account restriction (empty: lifted)
 * @param metaTimestamp the webhook's {@code entry[].time}
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record AccountSignal(
        String eventId,
        int schemaVersion,
        String field,
        String wabaId,
        String event,
        String templateId,
        String templateName,
        String templateLanguage,
        String reason,
        String previousValue,
        String newValue,
        Instant effectiveAt,
        String displayPhoneNumber,
        Long messagingLimit,
        List<Restriction> restrictions,
        Instant metaTimestamp,
        Instant receivedAt) {

    public static final int SCHEMA_VERSION = 1;

    public static final String TEMPLATE_STATUS = "message_template_status_update";
    public static final String TEMPLATE_QUALITY = "message_template_quality_update";
    public static final String TEMPLATE_CATEGORY = "template_category_update";
    public static final String NUMBER_QUALITY = "phone_number_quality_update";
    public static final String BUSINESS_CAPABILITY = "business_capability_update";
    public static final String ACCOUNT_UPDATE = "account_update";
    /** Every field this record carries. */
    public static final List<String> FIELDS = List.of(TEMPLATE_STATUS, TEMPLATE_QUALITY, TEMPLATE_CATEGORY,
            NUMBER_QUALITY, BUSINESS_CAPABILITY, ACCOUNT_UPDATE);

    /** A category change Meta has made ({@code previous_category} and {@code new_category}). */
    public static final String CATEGORY_COMPLETED = "COMPLETED";
    /** A category change Meta announces ({@code correct_category}, {@code category_update_timestamp}). */
    public static final String CATEGORY_IMPENDING = "IMPENDING";

    public AccountSignal {
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(field, "field");
        restrictions = restrictions == null ? List.of() : List.copyOf(restrictions);
    }

    /** One entry of {@code restriction_info}: what the account may not do, until when (as Meta wrote it). */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Restriction(String type, String expiration) {
    }
}
