package io.wacast.common.event;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * A message a user sent us ({@code messages[]} of a webhook), published by the webhook service to
 * {@code wacast.events}: replies and button presses count as responses, STOP keywords as opt-outs.
 *
 * @param messageId the inbound message's wamid
 * @param from the user's number as Meta sends it (no '+')
 * @param messageType Meta's {@code type}: text, button, interactive, image, …
 * @param text the text, button text or caption, if any
 * @param payload a button's payload or an interactive reply's id, if any
 * @param contextWamid the wamid of our message the user replied to, which attributes the reply to a
 *     campaign; null when not a reply
 * @param campaignId null when the webhook service cannot tell
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record InboundEvent(
        String eventId,
        int schemaVersion,
        String messageId,
        String phoneNumberId,
        String from,
        InboundKind kind,
        String messageType,
        String text,
        String payload,
        String contextWamid,
        Long campaignId,
        Instant metaTimestamp,
        Instant receivedAt) {

    public static final int SCHEMA_VERSION = 1;

    public InboundEvent {
        Objects.requireNonNull(eventId, "eventId");
    }

    public static InboundEvent of(String messageId, String phoneNumberId, String from, InboundKind kind,
            String messageType, String text, String payload, String contextWamid, Long campaignId,
            Instant metaTimestamp, Instant receivedAt) {
        return new InboundEvent(UUID.randomUUID().toString(), SCHEMA_VERSION, messageId, phoneNumberId, from, kind,
                messageType, text, payload, contextWamid, campaignId, metaTimestamp, receivedAt);
    }
}
