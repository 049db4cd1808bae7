package io.wacast.sender.ledger;

import static io.wacast.sender.ledger.LedgerJdbc.newClaimId;
import static io.wacast.sender.ledger.LedgerJdbc.withDeadlockRetry;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;

import javax.sql.DataSource;

import io.wacast.sender.ledger.Ledger.DueRetry;

/**
 * Scheduled retries are held in their ledger rows ({@code retry_job}, {@code retry_due_at_ms}), not in
 * memory: any replica leases the due ones ({@code retry_claim}) and re-publishes them.
 */
final class DueRetries {

    private final DataSource dataSource;

    DueRetries(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * Leases up to {@code limit} due retries to this replica for {@code leaseMs}: if it dies before
     * re-publishing them, another replica takes them when the lease runs out.
     */
    List<DueRetry> lease(long nowMs, int limit, long leaseMs) {
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
    void published(DueRetry retry) {
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
}
