package io.wacast.sender.service;

import java.util.concurrent.CompletableFuture;

/**
 * Where outcomes go ({@code wacast.outcomes}, keyed by campaign id; {@code messaging.EventPublisher}).
 * The future completes on the broker's ack: a job's offset is committed only after that.
 */
public interface OutcomeSink {

    /** Publishes an outcome exactly as serialised (a republished one keeps its eventId, so consumers dedupe it). */
    CompletableFuture<Void> outcomeJson(long campaignId, String outcomeJson);
}
