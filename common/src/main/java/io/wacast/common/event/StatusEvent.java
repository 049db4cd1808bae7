package io.wacast.common.event;

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
        Instant receivedAt) {

    public static final int SCHEMA_VERSION = 1;

    public StatusEvent {
        Objects.requireNonNull(eventId, "eventId");
    }

    public static StatusEvent of(String jobId, String wamid, Long campaignId, String phoneNumberId, String recipient,
            DeliveryStatus status, Instant metaTimestamp, Integer errorCode, String errorTitle, String errorMessage,
            Pricing pricing, String conversationId, Instant receivedAt) {
        return new StatusEvent(UUID.randomUUID().toString(), SCHEMA_VERSION, jobId, wamid, campaignId, phoneNumberId,
                recipient, status, metaTimestamp, errorCode, errorTitle, errorMessage, pricing, conversationId,
                receivedAt);
    }

    /** Meta's {@code pricing} object; since July 2025 a message is billed when delivered. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Pricing(Boolean billable, String pricingModel, String category) {
    }
}
