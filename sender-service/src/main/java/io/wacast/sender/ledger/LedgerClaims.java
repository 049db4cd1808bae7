package io.wacast.sender.ledger;

import static io.wacast.sender.ledger.LedgerJdbc.newClaimId;
import static io.wacast.sender.ledger.LedgerJdbc.withDeadlockRetry;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import org.jboss.logging.Logger;

import io.wacast.sender.ledger.Ledger.ClaimRequest;

/**
 * The ledger's claim rules (docs/DESIGN.md §5, "The send ledger"): which replica may send an attempt,
 * decided for a whole batch in one transaction, rows locked in job-id order.
 */
final class LedgerClaims {

    private static final Logger LOG = Logger.getLogger(LedgerClaims.class);

    private final DataSource dataSource;

    LedgerClaims(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * Claims every job of the batch in one transaction. Job ids must be unique within the batch.
     * A new row is inserted {@code claimed}; an existing row is taken over only when its last attempt
     * was released (deferred), answered retryably and this is a later attempt, claimed by a replica
     * that is dead (no heartbeat since {@code deadBeforeMs}) and never marked departing, or ended
     * unknown and this is its one re-send.
     */
    List<ClaimResult> claim(List<ClaimRequest> requests, String owner, long nowMs, long deadBeforeMs) {
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

}
