package io.wacast.common.event;

import com.fasterxml.jackson.annotation.JsonCreator;
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
 * @param fromUserId the user's business-scoped user id (schema version 2); with a username and no
 *     phone number shared, {@code from} is null and this is the only identifier
 * @param previousUserId for {@code user_id_update} (kind {@code other}, type {@code user_id_update}):
 *     the user's BSUID before it changed to {@code fromUserId}; null otherwise
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
        Instant receivedAt,
        String fromUserId,
        String previousUserId) {

    /** Version 2 adds {@code fromUserId} and {@code previousUserId}; {@code from} may be null. */
    public static final int SCHEMA_VERSION = 2;
    /** {@code messageType} of a BSUID change ({@code user_id_update} webhook field). */
    public static final String USER_ID_UPDATE = "user_id_update";

    @JsonCreator
    public InboundEvent {
        Objects.requireNonNull(eventId, "eventId");
    }

    /** An inbound event without business-scoped user ids (the shape of schema version 1). */
    public InboundEvent(String eventId, int schemaVersion, String messageId, String phoneNumberId, String from,
            InboundKind kind, String messageType, String text, String payload, String contextWamid, Long campaignId,
            Instant metaTimestamp, Instant receivedAt) {
        this(eventId, schemaVersion, messageId, phoneNumberId, from, kind, messageType, text, payload, contextWamid,
                campaignId, metaTimestamp, receivedAt, null, null);
    }

    public static InboundEvent of(String messageId, String phoneNumberId, String from, InboundKind kind,
            String messageType, String text, String payload, String contextWamid, Long campaignId,
            Instant metaTimestamp, Instant receivedAt) {
        return new InboundEvent(UUID.randomUUID().toString(), SCHEMA_VERSION, messageId, phoneNumberId, from, kind,
                messageType, text, payload, contextWamid, campaignId, metaTimestamp, receivedAt, null, null);
    }
}
