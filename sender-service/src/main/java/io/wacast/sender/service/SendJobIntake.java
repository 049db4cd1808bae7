package io.wacast.sender.service;

/**
 * What the send-jobs consumer hands its records to ({@link SendEngine}). {@link #accept} never waits;
 * {@link #pending} is the backpressure the consumer pauses its partitions on.
 */
public interface SendJobIntake {

    /** Takes one record of {@code wacast.send-jobs}: parses and queues it, on the caller's thread. */
    void accept(String rawJson, Delivery delivery);

    /** Jobs accepted and not yet finished; the consumer pauses above {@code max-pending-jobs}. */
    int pending();

    /** The consumer's side of one delivered record. */
    interface Delivery {

        /** The job's outcome (or its re-publication) is acked: its offset may be committed. */
        void finished();

        /** True once the record's partition left this replica: work not yet claimed is dropped. */
        boolean revoked();
    }
}
