package io.wacast.sender.client;

import java.util.concurrent.CompletableFuture;

import io.wacast.common.event.SendJob;

/** The sender engine's port to Meta's send endpoint ({@link MetaGraphClient}): never throws for an answer. */
public interface MetaSender {

    /**
     * Calls {@code endpoint} of Meta for {@code job}, taken at {@code slotUs} of its number's schedule
     * (epoch µs), unless the call cannot leave by {@code leaveByUs}: then nothing is sent and the answer
     * is {@link MetaAnswer.MissedSlot}.
     */
    CompletableFuture<MetaAnswer> send(SendJob job, Endpoint endpoint, long slotUs, long leaveByUs);
}
