package io.wacast.sender.ledger;

import static io.wacast.sender.ledger.LedgerJdbc.updateEach;
import static io.wacast.sender.ledger.LedgerJdbc.withDeadlockRetry;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Types;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * The send ledger: the one place that decides whether an attempt of a job may call Meta. A claim is
 * committed before the call and the answer after it, so whatever process dies at whatever moment,
 * the row tells the next reader whether Meta may have seen the message. Plain JDBC in batches: one
 * transaction claims or records a whole batch, which is what lets a replica run 1,000 jobs/s.
 * This class carries an attempt from its claim ({@link LedgerClaims}) through its departing mark to
 * its answer; the live senders ({@link SenderProcesses}) and due retries ({@link DueRetries}) have
 * their own classes, and so has retention ({@link LedgerRetention}).
 */
@ApplicationScoped
public class SendLedger implements Ledger {

    /**
     * A departing mark. marked_at_ms is null exactly while a row is claimed (a claim and a take-over clear
     * it), so a row already departing under the same claim keeps its mark time.
     */
    private static final JoinedUpdate MARK_DEPARTING = new JoinedUpdate("""
            SET l.marked_at_ms = COALESCE(l.marked_at_ms, ?), l.state = 'in_flight'
            WHERE l.state IN ('claimed', 'in_flight')""", "job_id", "claim_id");

    private static final JoinedUpdate RECORD = new JoinedUpdate("""
            SET l.state = v.state, l.outcome_status = v.outcome_status, l.outcome_json = v.outcome_json,
                l.answered_at_ms = ?, l.retry_due_at_ms = v.retry_due_at_ms, l.retry_job = v.retry_job,
                l.retry_claim = NULL
            WHERE l.state IN ('claimed', 'in_flight', 'unknown', 'answered')""",
            "job_id", "claim_id", "state", "outcome_status", "outcome_json", "retry_due_at_ms", "retry_job");

    private final DataSource dataSource;
    private final LedgerClaims claims;
    private final SenderProcesses processes;
    private final DueRetries retries;

    public SendLedger(DataSource dataSource) {
        this.dataSource = dataSource;
        this.claims = new LedgerClaims(dataSource);
        this.processes = new SenderProcesses(dataSource);
        this.retries = new DueRetries(dataSource);
    }

    @Override
    public List<ClaimResult> claim(List<ClaimRequest> requests, String owner, long nowMs, long deadBeforeMs) {
        return claims.claim(requests, owner, nowMs, deadBeforeMs);
    }

    /**
     * Marks claimed jobs as departing, in one transaction: from the commit on, the call may leave, and a
     * crash leaves the job {@code unknown}. Returns the job ids whose mark was refused because their
     * claim is no longer this replica's (another replica took it for dead and took it over): those must
     * not be sent here. Idempotent: a row already departing under the same claim id was marked by an
     * earlier try of this mark whose commit was not learned (the database went away), and counts as
     * marked, its mark time kept.
     */
    public Set<Departure> markDeparting(List<Departure> departures, long nowMs) {
        return new HashSet<>(updateEach(dataSource, MARK_DEPARTING, departures, Departure::jobId,
                (update, first, departure) -> {
                    update.setString(first, departure.jobId());
                    update.setLong(first + 1, departure.claimId());
                }, nowMs));
    }

    /**
     * Records answers in one transaction. An answer lands only while its claim still holds the row;
     * it may overwrite an {@code unknown} set by another replica that gave up waiting, because a real
     * answer is better knowledge. Idempotent: a row already {@code answered} under the same claim id was
     * recorded by an earlier try whose commit was not learned (the database went away), and the same
     * answer lands again. Returns the job ids whose answer did not land.
     */
    public List<String> record(List<Answer> answers, long nowMs) {
        return updateEach(dataSource, RECORD, answers, Answer::jobId, (update, first, answer) -> {
            update.setString(first, answer.jobId());
            update.setLong(first + 1, answer.claimId());
            update.setString(first + 2, answer.state().column());
            update.setString(first + 3, answer.outcomeStatus());
            update.setString(first + 4, answer.outcomeJson());
            if (answer.retryDueAtMs() == null) {
                update.setNull(first + 5, Types.BIGINT);
            } else {
                update.setLong(first + 5, answer.retryDueAtMs());
            }
            update.setString(first + 6, answer.retryJob());
        }, nowMs).stream().map(Answer::jobId).toList();
    }

    /** Declares a dead attempt unknown; false when the row moved on meanwhile. */
    public boolean markUnknown(String jobId, long claimId, String outcomeJson, long nowMs) {
        return withDeadlockRetry(() -> {
            try (Connection connection = dataSource.getConnection();
                    PreparedStatement update = connection.prepareStatement("""
                            UPDATE send_ledger SET state = 'unknown', outcome_status = 'unknown', outcome_json = ?,
                                   answered_at_ms = ?
                             WHERE job_id = ? AND claim_id = ? AND state = 'in_flight'""")) {
                update.setString(1, outcomeJson);
                update.setLong(2, nowMs);
                update.setString(3, jobId);
                update.setLong(4, claimId);
                return update.executeUpdate() == 1;
            }
        });
    }

    @Override
    public List<DueRetry> leaseDueRetries(long nowMs, int limit, long leaseMs) {
        return retries.lease(nowMs, limit, leaseMs);
    }

    @Override
    public void retryPublished(DueRetry retry) {
        retries.published(retry);
    }

    @Override
    public void heartbeat(String owner, long nowMs) {
        processes.heartbeat(owner, nowMs);
    }

    @Override
    public void leave(String owner, long forgetBeforeMs) {
        processes.leave(owner, forgetBeforeMs);
    }

    /** The row of one job, for tests and diagnostics. */
    public Map<String, Object> row(String jobId) {
        return withDeadlockRetry(() -> {
            try (Connection connection = dataSource.getConnection();
                    PreparedStatement select = connection.prepareStatement(
                            "SELECT job_id, attempt, state, owner, outcome_status, retry_due_at_ms FROM send_ledger WHERE job_id = ?")) {
                select.setString(1, jobId);
                try (ResultSet rs = select.executeQuery()) {
                    if (!rs.next()) {
                        return Map.of();
                    }
                    Map<String, Object> row = new LinkedHashMap<>();
                    row.put("attempt", rs.getInt("attempt"));
                    row.put("state", rs.getString("state"));
                    row.put("owner", rs.getString("owner"));
                    row.put("outcome_status", rs.getString("outcome_status"));
                    row.put("retry_due_at_ms", rs.getObject("retry_due_at_ms"));
                    return row;
                }
            }
        });
    }
}
