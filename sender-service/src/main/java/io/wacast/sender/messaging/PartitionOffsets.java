package io.wacast.sender.messaging;

import java.util.ArrayDeque;

import io.wacast.sender.service.SendJobIntake;

/**
 * The offsets of one partition this replica is working on, in order. Jobs finish out of order (a
 * fast "sent" overtakes a slow one); the committable offset is just below the oldest unfinished
 * one, so a crash redelivers every job whose outcome is not yet on the topic and none is lost.
 * Only the consumer thread touches the queue; jobs mark their entry done from any thread.
 */
final class PartitionOffsets {

    /** One record's place in the partition; the engine reports through it that the job is finished. */
    static final class Entry implements SendJobIntake.Delivery {
        final long offset;
        private final PartitionOffsets partition;
        private volatile boolean done;

        Entry(long offset, PartitionOffsets partition) {
            this.offset = offset;
            this.partition = partition;
        }

        @Override
        public void finished() {
            done = true;
        }

        @Override
        public boolean revoked() {
            return partition.revoked;
        }

        boolean isDone() {
            return done;
        }
    }

    private final ArrayDeque<Entry> entries = new ArrayDeque<>();
    /** Set when the partition is revoked: its jobs not yet claimed are dropped, the new owner reads them. */
    volatile boolean revoked;
    private long committable = -1;
    private long committed = -1;

    Entry track(long offset) {
        Entry entry = new Entry(offset, this);
        entries.addLast(entry);
        return entry;
    }

    /** The offset to commit (the next one to read), or -1 when nothing new finished since the last commit. */
    long toCommit() {
        Entry last = null;
        while (!entries.isEmpty() && entries.peekFirst().isDone()) {
            last = entries.pollFirst();
        }
        if (last != null) {
            committable = last.offset + 1;
        }
        return committable > committed ? committable : -1;
    }

    void committed(long offset) {
        committed = Math.max(committed, offset);
    }

    int unfinished() {
        return entries.size();
    }
}
