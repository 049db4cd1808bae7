package io.wacast.sender.service;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

/** An {@link OutcomeSink} that keeps what it was given and acks it at once. */
final class PublishedOutcomes implements OutcomeSink {

    final List<String> outcomeJson = new CopyOnWriteArrayList<>();

    @Override
    public CompletableFuture<Void> outcomeJson(long campaignId, String json) {
        outcomeJson.add(json);
        return CompletableFuture.completedFuture(null);
    }
}
