package io.wacast.sender.ledger;

/** What the ledger says about one job a replica wants to send. */
public sealed interface ClaimResult {

    String jobId();

    /** This replica now holds the attempt; once it has marked it departing it may call Meta once. */
    record Claimed(String jobId, long claimId) implements ClaimResult {
    }

    /** The job already has an answer (or an unknown): republish it, never call Meta. */
    record Recorded(String jobId, String outcomeJson) implements ClaimResult {
    }

    /**
     * A live replica holds the job right now ({@link LedgerState#CLAIMED}, or {@link LedgerState#IN_FLIGHT}
     * of any replica, maybe a dead one); the caller decides by owner and age. {@code sinceMs} is when
     * the row entered its state.
     */
    record HeldElsewhere(String jobId, long claimId, String owner, LedgerState state, long sinceMs) implements ClaimResult {
    }
}
