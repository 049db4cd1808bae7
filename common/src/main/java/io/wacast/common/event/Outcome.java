package io.wacast.common.event;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.wacast.common.meta.MetaErrorPolicy;
import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * The result of one send attempt, published by a sender to {@code wacast.outcomes} (keyed by
 * campaign id) after the attempt is recorded in its ledger.
 *
 * @param wamid Meta's message id when sent
 * @param messageStatus Meta's {@code message_status} on success: accepted, held_for_quality_assessment
 *     or paused
 * @param action how the error was classified; null without an error
 * @param retryAt when the next attempt is due, for {@link OutcomeStatus#RETRY_SCHEDULED}
 * @param attempt the attempt this outcome is about, 1 for the first
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Outcome(
        String eventId,
        int schemaVersion,
        String jobId,
        long campaignId,
        long recipientId,
        OutcomeStatus status,
        String wamid,
        String messageStatus,
        Integer errorCode,
        String errorMessage,
        MetaErrorPolicy.Action action,
        Instant retryAt,
        int attempt,
        Instant occurredAt) {

    public static final int SCHEMA_VERSION = 1;

    public Outcome {
        Objects.requireNonNull(eventId, "eventId");
    }

    public static Outcome of(String jobId, long campaignId, long recipientId, OutcomeStatus status, String wamid,
            String messageStatus, Integer errorCode, String errorMessage, MetaErrorPolicy.Action action,
            Instant retryAt, int attempt, Instant occurredAt) {
        return new Outcome(UUID.randomUUID().toString(), SCHEMA_VERSION, jobId, campaignId, recipientId, status,
                wamid, messageStatus, errorCode, errorMessage, action, retryAt, attempt, occurredAt);
    }
}
