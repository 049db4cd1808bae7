package io.wacast.sender.service;

import java.util.function.BooleanSupplier;

import io.wacast.common.event.SendJob;

/** One delivered job on its way through this replica, with the hook that lets its offset be committed. */
final class Ticket {

    final SendJob job;
    final String rawJson;
    private final Runnable done;
    /** True once the job's partition left this replica: work not yet claimed is dropped. */
    final BooleanSupplier revoked;
    /**
     * Released by its campaign's rate-limit gate at the campaign's slot: it goes ahead of the unpaced
     * jobs in its number's lane, so that waiting behind them does not bunch the campaign's calls.
     */
    boolean paced;
    long claimId;
    long readyAtNanos;

    Ticket(SendJob job, String rawJson, Runnable done, BooleanSupplier revoked) {
        this.job = job;
        this.rawJson = rawJson;
        this.done = done;
        this.revoked = revoked;
    }

    void done() {
        done.run();
    }
}
