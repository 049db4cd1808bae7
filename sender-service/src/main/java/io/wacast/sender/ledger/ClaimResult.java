package io.wacast.sender.ledger;

/** What the ledger says about one job a replica wants to send. */
public sealed interface ClaimResult {

    String jobId();

    /** This replica now holds the attempt; it may call Meta once. */
    record Claimed(String jobId, long claimId) implements ClaimResult {
    }

    /** The job already has an answer (or an unknown): republish it, never call Meta. */
    record Recorded(String jobId, String outcomeJson) implements ClaimResult {
    }

    /** Someone holds the job right now (maybe a dead process); the caller decides by owner and age. */
    record HeldElsewhere(String jobId, long claimId, String owner, long claimedAtMs) implements ClaimResult {
    }
}
