package io.wacast.sender.service;

import java.util.concurrent.CompletableFuture;

/**
 * Puts a job back onto {@code wacast.send-jobs} (keyed by recipient phone; {@code messaging.EventPublisher}):
 * a due retry, or a job too early to hold in memory. The future completes on the broker's ack.
 */
public interface SendJobSink {

    CompletableFuture<Void> jobJson(String key, String jobJson);
}
