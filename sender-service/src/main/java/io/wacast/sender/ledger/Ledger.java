package io.wacast.sender.ledger;

import java.sql.SQLException;
import java.util.List;
import java.util.Set;

/**
 * The sender engine's port to the send ledger ({@link SendLedger} on MySQL): what decides whether an
 * attempt may call Meta, and what it answered. A small in-memory fake lets each stage be tested alone.
 */
public interface Ledger {

    /**
     * One job to claim: its id, campaign and attempt number; {@code resend} for the one re-send of an
     * attempt that ended unknown ({@code SendJob.resend}).
     */
    public record ClaimRequest(String jobId, long campaignId, int attempt, boolean resend) {
    }

    /** A claimed job to mark departing: the claim that must still hold the row. */
    public record Departure(String jobId, long claimId) {
    }

    /** The answer to one claimed attempt. {@code retryDueAtMs}/{@code retryJob} only for a scheduled retry. */
    public record Answer(String jobId, long claimId, LedgerState state, String outcomeStatus, String outcomeJson,
            Long retryDueAtMs, String retryJob) {
    }

    /** A retry that is due, leased to this replica for re-publishing. */
    public record DueRetry(String jobId, long retryClaim, String retryJob) {
    }

    /** Claims every job of the batch in one transaction (job ids unique within the batch). */
    List<ClaimResult> claim(List<ClaimRequest> requests, String owner, long nowMs, long deadBeforeMs);

    /**
     * Marks the claimed jobs departing, each only while its claim still holds the row; returns the refused
     * departures (by job id and claim id: two copies of one job may be in one batch, and only the one
     * whose claim holds the row may leave).
     */
    Set<Departure> markDeparting(List<Departure> departures, long nowMs);

    /** Records the answers (matched on their claim ids); returns the job ids whose claim was taken over meanwhile. */
    List<String> record(List<Answer> answers, long nowMs);

    /** Declares a dead sender's departing attempt unknown, if its claim still holds the row. */
    boolean markUnknown(String jobId, long claimId, String outcomeJson, long nowMs);

    /** Leases up to {@code limit} due retries to this replica for {@code leaseMs}. */
    List<DueRetry> leaseDueRetries(long nowMs, int limit, long leaseMs);

    void retryPublished(DueRetry retry);

    /** This process is alive: its claims are not taken over. */
    void heartbeat(String owner, long nowMs);

    /** This process stops: its claims not yet departing may be taken over at once. */
    void leave(String owner, long forgetBeforeMs);

    /** The database could not be reached or refused a statement. */
    final class LedgerException extends RuntimeException {
        LedgerException(SQLException cause) {
            super("send ledger: " + cause.getMessage(), cause);
        }

        /** For a ledger that is not a database (a test's in-memory one). */
        public LedgerException(String message) {
            super("send ledger: " + message);
        }
    }
}
