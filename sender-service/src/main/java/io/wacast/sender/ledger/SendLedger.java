package io.wacast.sender.ledger;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

/**
 * The send ledger: the one place that decides whether an attempt of a job may call Meta. A claim is
 * committed before the call and the answer after it, so whatever process dies at whatever moment,
 * the row tells the next reader whether Meta may have seen the message. Plain JDBC in batches: one
 * transaction claims or records a whole batch, which is what lets a replica run 1,000 jobs/s.
 */
@ApplicationScoped
public class SendLedger implements Ledger {

    private static final Logger LOG = Logger.getLogger(SendLedger.class);
    private static final int MAX_DEADLOCK_RETRIES = 5;

    private final DataSource dataSource;

    public SendLedger(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * Claims every job of the batch in one transaction. Job ids must be unique within the batch.
     * A new row is inserted {@code claimed}; an existing row is taken over only when its last attempt
     * was released (deferred), answered retryably and this is a later attempt, claimed by a replica
     * that is dead (no heartbeat since {@code deadBeforeMs}) and never marked departing, or ended
     * unknown and this is its one re-send.
     */
    public List<ClaimResult> claim(List<ClaimRequest> requests, String owner, long nowMs, long deadBeforeMs) {
        List<ClaimRequest> sorted = new ArrayList<>(requests);
        sorted.sort(Comparator.comparing(ClaimRequest::jobId)); // one lock order for every replica
        return withDeadlockRetry(() -> {
            try (Connection connection = dataSource.getConnection()) {
                connection.setAutoCommit(false);
                try {
                    List<ClaimResult> results = claim(connection, sorted, owner, nowMs, deadBeforeMs);
                    connection.commit();
                    return results;
                } catch (SQLException | RuntimeException e) {
                    connection.rollback();
                    throw e;
                }
            }
        });
    }

    private List<ClaimResult> claim(Connection connection, List<ClaimRequest> requests, String owner, long nowMs,
            long deadBeforeMs) throws SQLException {
        Map<String, Long> claimIds = new HashMap<>();
        StringBuilder insert = new StringBuilder(
                "INSERT INTO send_ledger (job_id, campaign_id, attempt, state, claim_id, owner, claimed_at_ms) VALUES ");
        for (int i = 0; i < requests.size(); i++) {
            insert.append(i == 0 ? "(?,?,?,'claimed',?,?,?)" : ",(?,?,?,'claimed',?,?,?)");
        }
        // A no-op on existing rows: unlike INSERT IGNORE it still fails on any other error.
        insert.append(" ON DUPLICATE KEY UPDATE job_id = job_id");
        try (PreparedStatement statement = connection.prepareStatement(insert.toString())) {
            int p = 1;
            for (ClaimRequest request : requests) {
                long claimId = newClaimId();
                claimIds.put(request.jobId(), claimId);
                statement.setString(p++, request.jobId());
                statement.setLong(p++, request.campaignId());
                statement.setInt(p++, request.attempt());
                statement.setLong(p++, claimId);
                statement.setString(p++, owner);
                statement.setLong(p++, nowMs);
            }
            statement.executeUpdate();
        }
        Map<String, Row> rows = read(connection, requests);
        List<ClaimResult> results = new ArrayList<>(requests.size());
        for (ClaimRequest request : requests) {
            Row row = rows.get(request.jobId());
            long mine = claimIds.get(request.jobId());
            if (row == null) {
                throw new IllegalStateException("ledger row vanished for a claimed job");
            }
            results.add(decide(connection, request, row, mine, owner, nowMs, deadBeforeMs));
        }
        return results;
    }

    private ClaimResult decide(Connection connection, ClaimRequest request, Row row, long mine, String owner, long nowMs,
            long deadBeforeMs) throws SQLException {
        if (row.claimId == mine) {
            return new ClaimResult.Claimed(request.jobId(), mine);
        }
        boolean ownerDead = row.ownerSeenAtMs == null || row.ownerSeenAtMs < deadBeforeMs;
        boolean takeOver = switch (row.state) {
            case RELEASED -> true;
            case ANSWERED -> "retry_scheduled".equals(row.outcomeStatus) && request.attempt() > row.attempt;
            // claimed by a replica that died before marking it departing: it never left, send it here.
            // Claimed by this very process under another claim id: a claim whose commit it never learned
            // (the database went away at the commit, and the retry drew a new id) — nobody else will ever
            // take it over while this process heartbeats, so it does; a copy of the job still claimed
            // here under the old id finds its departing mark refused and is not sent.
            case CLAIMED -> owner.equals(row.owner) || ownerDead;
            // the one re-send of an attempt no webhook ever settled (the campaign service's safety net)
            case UNKNOWN -> request.resend() && row.resentAtMs == null;
            case IN_FLIGHT -> false;
        };
        if (takeOver) {
            try (PreparedStatement update = connection.prepareStatement("""
                    UPDATE send_ledger SET resent_at_ms = CASE WHEN state = 'unknown' THEN ? ELSE resent_at_ms END,
                           attempt = ?, state = 'claimed', claim_id = ?, owner = ?, claimed_at_ms = ?,
                           marked_at_ms = NULL, outcome_status = NULL, outcome_json = NULL, answered_at_ms = NULL,
                           retry_due_at_ms = NULL, retry_job = NULL, retry_claim = NULL
                     WHERE job_id = ? AND claim_id = ? AND state = ?""")) {
                // resent_at_ms first: MySQL and MariaDB assign left to right, and it reads the old state
                update.setLong(1, nowMs);
                update.setInt(2, request.attempt());
                update.setLong(3, mine);
                update.setString(4, owner);
                update.setLong(5, nowMs);
                update.setString(6, request.jobId());
                update.setLong(7, row.claimId);
                update.setString(8, row.state.column());
                if (update.executeUpdate() == 1) {
                    if (row.state == LedgerState.CLAIMED) {
                        LOG.debugf("job %s: took over the claim of dead sender %s", request.jobId(), row.owner);
                    }
                    return new ClaimResult.Claimed(request.jobId(), mine);
                }
            }
            Row now = read(connection, List.of(request)).get(request.jobId());
            return now.state == LedgerState.CLAIMED || now.state == LedgerState.IN_FLIGHT
                    ? now.heldElsewhere(request.jobId())
                    : new ClaimResult.Recorded(request.jobId(), now.outcomeJson);
        }
        if (row.state == LedgerState.IN_FLIGHT || row.state == LedgerState.CLAIMED) {
            return row.heldElsewhere(request.jobId());
        }
        return new ClaimResult.Recorded(request.jobId(), row.outcomeJson);
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
        return new HashSet<>(updateEach("""
                UPDATE send_ledger SET marked_at_ms = CASE WHEN state = 'claimed' THEN ? ELSE marked_at_ms END,
                       state = 'in_flight'
                 WHERE job_id = ? AND claim_id = ? AND state IN ('claimed', 'in_flight')""", departures, Departure::jobId,
                (update, departure) -> {
                    update.setLong(1, nowMs);
                    update.setString(2, departure.jobId());
                    update.setLong(3, departure.claimId());
                }));
    }

    @FunctionalInterface
    private interface Binder<T> {
        void bind(PreparedStatement statement, T row) throws SQLException;
    }

    /**
     * Runs {@code sql} once per row, in job-id order (one lock order for every replica), as one batch in
     * one transaction; returns the rows it changed nothing for (their claim moved on).
     */
    private <T> List<T> updateEach(String sql, List<T> rows, java.util.function.Function<T, String> jobId,
            Binder<T> binder) {
        List<T> sorted = new ArrayList<>(rows);
        sorted.sort(Comparator.comparing(jobId));
        return withDeadlockRetry(() -> {
            try (Connection connection = dataSource.getConnection()) {
                connection.setAutoCommit(false);
                try (PreparedStatement update = connection.prepareStatement(sql)) {
                    for (T row : sorted) {
                        binder.bind(update, row);
                        update.addBatch();
                    }
                    int[] counts = update.executeBatch();
                    connection.commit();
                    List<T> unchanged = new ArrayList<>();
                    for (int i = 0; i < counts.length; i++) {
                        if (counts[i] == 0) {
                            unchanged.add(sorted.get(i));
                        }
                    }
                    return unchanged;
                } catch (SQLException | RuntimeException e) {
                    connection.rollback();
                    throw e;
                }
            }
        });
    }

    /** This process is alive at {@code nowMs}: the others do not take over its claims. */
    public void heartbeat(String owner, long nowMs) {
        withDeadlockRetry(() -> {
            try (Connection connection = dataSource.getConnection();
                    PreparedStatement upsert = connection.prepareStatement(
                            "INSERT INTO sender_processes (owner, seen_at_ms) VALUES (?, ?) ON DUPLICATE KEY UPDATE seen_at_ms = ?")) {
                upsert.setString(1, owner);
                upsert.setLong(2, nowMs);
                upsert.setLong(3, nowMs);
                return upsert.executeUpdate();
            }
        });
    }

    /**
     * This process stops: its remaining claims may be taken over at once. Rows of processes silent for
     * longer than {@code forgetBeforeMs} are removed too (their claims stay takeable: no row is dead).
     */
    public void leave(String owner, long forgetBeforeMs) {
        withDeadlockRetry(() -> {
            try (Connection connection = dataSource.getConnection();
                    PreparedStatement delete = connection.prepareStatement(
                            "DELETE FROM sender_processes WHERE owner = ? OR seen_at_ms < ?")) {
                delete.setString(1, owner);
                delete.setLong(2, forgetBeforeMs);
                return delete.executeUpdate();
            }
        });
    }

    /**
     * Records answers in one transaction. An answer lands only while its claim still holds the row;
     * it may overwrite an {@code unknown} set by another replica that gave up waiting, because a real
     * answer is better knowledge. Idempotent: a row already {@code answered} under the same claim id was
     * recorded by an earlier try whose commit was not learned (the database went away), and the same
     * answer lands again. Returns the job ids whose answer did not land.
     */
    public List<String> record(List<Answer> answers, long nowMs) {
        return updateEach("""
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

    /**
     * Leases up to {@code limit} due retries to this replica for {@code leaseMs}: if it dies before
     * re-publishing them, another replica takes them when the lease runs out.
     */
    public List<DueRetry> leaseDueRetries(long nowMs, int limit, long leaseMs) {
        long retryClaim = newClaimId();
        return withDeadlockRetry(() -> {
            try (Connection connection = dataSource.getConnection()) {
                try (PreparedStatement lease = connection.prepareStatement("""
                        UPDATE send_ledger SET retry_claim = ?, retry_due_at_ms = ?
                         WHERE retry_due_at_ms <= ? AND state = 'answered'
                         ORDER BY retry_due_at_ms LIMIT ?""")) {
                    lease.setLong(1, retryClaim);
                    lease.setLong(2, nowMs + leaseMs);
                    lease.setLong(3, nowMs);
                    lease.setInt(4, limit);
                    if (lease.executeUpdate() == 0) {
                        return List.of();
                    }
                }
                try (PreparedStatement select = connection.prepareStatement(
                        "SELECT job_id, retry_job FROM send_ledger WHERE retry_claim = ? AND state = 'answered'")) {
                    select.setLong(1, retryClaim);
                    List<DueRetry> due = new ArrayList<>();
                    try (ResultSet rs = select.executeQuery()) {
                        while (rs.next()) {
                            due.add(new DueRetry(rs.getString(1), retryClaim, rs.getString(2)));
                        }
                    }
                    return due;
                }
            }
        });
    }

    /** The retry is on the topic: forget it here (unless a new attempt already took the row). */
    public void retryPublished(DueRetry retry) {
        withDeadlockRetry(() -> {
            try (Connection connection = dataSource.getConnection();
                    PreparedStatement update = connection.prepareStatement("""
                            UPDATE send_ledger SET retry_due_at_ms = NULL, retry_job = NULL, retry_claim = NULL
                             WHERE job_id = ? AND retry_claim = ?""")) {
                update.setString(1, retry.jobId());
                update.setLong(2, retry.retryClaim());
                return update.executeUpdate();
            }
        });
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

    private Map<String, Row> read(Connection connection, List<ClaimRequest> requests) throws SQLException {
        StringBuilder sql = new StringBuilder(
                "SELECT l.job_id, l.attempt, l.state, l.claim_id, l.owner, l.claimed_at_ms, l.outcome_status, l.outcome_json,"
                        + " l.marked_at_ms, l.resent_at_ms, p.seen_at_ms"
                        + " FROM send_ledger l LEFT JOIN sender_processes p ON p.owner = l.owner WHERE l.job_id IN (");
        for (int i = 0; i < requests.size(); i++) {
            sql.append(i == 0 ? "?" : ",?");
        }
        sql.append(')');
        Map<String, Row> rows = new HashMap<>();
        try (PreparedStatement select = connection.prepareStatement(sql.toString())) {
            for (int i = 0; i < requests.size(); i++) {
                select.setString(i + 1, requests.get(i).jobId());
            }
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    rows.put(rs.getString(1), new Row(rs.getInt(2), LedgerState.ofColumn(rs.getString(3)), rs.getLong(4),
                            rs.getString(5), rs.getLong(6), rs.getString(7), rs.getString(8),
                            (Long) rs.getObject(9, Long.class), (Long) rs.getObject(10, Long.class),
                            (Long) rs.getObject(11, Long.class)));
                }
            }
        }
        return rows;
    }

    private record Row(int attempt, LedgerState state, long claimId, String owner, long claimedAtMs,
            String outcomeStatus, String outcomeJson, Long markedAtMs, Long resentAtMs, Long ownerSeenAtMs) {

        ClaimResult.HeldElsewhere heldElsewhere(String jobId) {
            return new ClaimResult.HeldElsewhere(jobId, claimId, owner, state, markedAtMs != null ? markedAtMs : claimedAtMs);
        }
    }

    private static long newClaimId() {
        return ThreadLocalRandom.current().nextLong(1, Long.MAX_VALUE);
    }

    @FunctionalInterface
    private interface SqlWork<T> {
        T run() throws SQLException;
    }

    /** InnoDB may pick a batch as a deadlock victim when replicas claim overlapping jobs: run it again. */
    private static <T> T withDeadlockRetry(SqlWork<T> work) {
        for (int attempt = 1;; attempt++) {
            try {
                return work.run();
            } catch (SQLException e) {
                boolean deadlock = "40001".equals(e.getSQLState()) || e.getErrorCode() == 1213 || e.getErrorCode() == 1205;
                if (!deadlock || attempt >= MAX_DEADLOCK_RETRIES) {
                    throw new LedgerException(e);
                }
                LOG.debugf("ledger transaction retried after %s", e.getMessage());
            }
        }
    }
}
