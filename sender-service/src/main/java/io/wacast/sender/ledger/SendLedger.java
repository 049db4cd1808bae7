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
        // marked_at_ms first: MySQL and MariaDB assign left to right, and it reads the old state
        return new HashSet<>(updateEach(dataSource, """
                UPDATE send_ledger SET marked_at_ms = CASE WHEN state = 'claimed' THEN ? ELSE marked_at_ms END,
                       state = 'in_flight'
                 WHERE job_id = ? AND claim_id = ? AND state IN ('claimed', 'in_flight')""", departures, Departure::jobId,
                (update, departure) -> {
                    update.setLong(1, nowMs);
                    update.setString(2, departure.jobId());
                    update.setLong(3, departure.claimId());
                }));
    }

    /**
     * Records answers in one transaction. An answer lands only while its claim still holds the row;
     * it may overwrite an {@code unknown} set by another replica that gave up waiting, because a real
     * answer is better knowledge. Idempotent: a row already {@code answered} under the same claim id was
     * recorded by an earlier try whose commit was not learned (the database went away), and the same
     * answer lands again. Returns the job ids whose answer did not land.
     */
    public List<String> record(List<Answer> answers, long nowMs) {
        return updateEach(dataSource, """
                UPDATE send_ledger SET state = ?, outcome_status = ?, outcome_json = ?, answered_at_ms = ?,
                       retry_due_at_ms = ?, retry_job = ?, retry_claim = NULL
                 WHERE job_id = ? AND claim_id = ? AND state IN ('claimed', 'in_flight', 'unknown', 'answered')""", answers,
                Answer::jobId, (update, answer) -> {
                    update.setString(1, answer.state().column());
                    update.setString(2, answer.outcomeStatus());
                    update.setString(3, answer.outcomeJson());
                    update.setLong(4, nowMs);
                    if (answer.retryDueAtMs() == null) {
                        update.setNull(5, Types.BIGINT);
                    } else {
                        update.setLong(5, answer.retryDueAtMs());
                    }
                    update.setString(6, answer.retryJob());
                    update.setString(7, answer.jobId());
                    update.setLong(8, answer.claimId());
                }).stream().map(Answer::jobId).toList();
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
