package io.wacast.common.event;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * One entry of a status webhook ({@code statuses[]}), published by the webhook service to
 * {@code wacast.events}. Duplicates and any order are possible; consumers apply it with
 * {@link io.wacast.common.status.RecipientStatus#advance}.
 *
 * @param jobId Meta's echo of {@code biz_opaque_callback_data}; null for messages we did not send
 * @param campaignId null when the webhook service cannot tell
 * @param recipient Meta's {@code recipient_id} (the user's number without '+')
 * @param metaTimestamp when Meta says the status happened
 * @param pricing null when Meta sends none
 * @param recipientUserId the user's business-scoped user id ({@code recipient_user_id}, or the
 *     {@code user_id} of the change's {@code contacts[]}), schema version 2; null when Meta sends none
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record StatusEvent(
        String eventId,
        int schemaVersion,
        String jobId,
        String wamid,
        Long campaignId,
        String phoneNumberId,
        String recipient,
        DeliveryStatus status,
        Instant metaTimestamp,
        Integer errorCode,
        String errorTitle,
        String errorMessage,
        Pricing pricing,
        String conversationId,
        Instant receivedAt,
        String recipientUserId) {

    /** Version 2 adds {@code recipientUserId} and {@code pricing.type}; readers read both versions. */
    public static final int SCHEMA_VERSION = 2;

    @JsonCreator
    public StatusEvent {
        Objects.requireNonNull(eventId, "eventId");
    }

    /** A status event without a business-scoped user id (the shape of schema version 1). */
    public StatusEvent(String eventId, int schemaVersion, String jobId, String wamid, Long campaignId,
            String phoneNumberId, String recipient, DeliveryStatus status, Instant metaTimestamp, Integer errorCode,
            String errorTitle, String errorMessage, Pricing pricing, String conversationId, Instant receivedAt) {
        this(eventId, schemaVersion, jobId, wamid, campaignId, phoneNumberId, recipient, status, metaTimestamp,
                errorCode, errorTitle, errorMessage, pricing, conversationId, receivedAt, null);
    }

    public static StatusEvent of(String jobId, String wamid, Long campaignId, String phoneNumberId, String recipient,
            DeliveryStatus status, Instant metaTimestamp, Integer errorCode, String errorTitle, String errorMessage,
            Pricing pricing, String conversationId, Instant receivedAt) {
        return new StatusEvent(UUID.randomUUID().toString(), SCHEMA_VERSION, jobId, wamid, campaignId, phoneNumberId,
                recipient, status, metaTimestamp, errorCode, errorTitle, errorMessage, pricing, conversationId,
                receivedAt, null);
    }

    /**
     * Meta's {@code pricing} object; since July 2025 a message is billed when delivered. Meta sends it
     * on {@code sent} and {@code delivered} (and {@code read}) statuses of the same message.
     *
     * @param billable false for a message Meta does not charge; absent in newer payloads
     * @param type {@code regular} (charged), {@code free_customer_service}, {@code free_entry_point}
     *     (schema version 2; null when Meta sends none)
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Pricing(Boolean billable, String pricingModel, String category, String type) {

        @JsonCreator
        public Pricing {
        }

        public Pricing(Boolean billable, String pricingModel, String category) {
            this(billable, pricingModel, category, null);
        }

        /**
         * Whether Meta charges the message: {@code billable} is not false and {@code type}, when given,
         * is {@code regular}.
         */
        public boolean charged() {
            return !Boolean.FALSE.equals(billable) && (type == null || "regular".equalsIgnoreCase(type));
        }
    }
}
