package io.wacast.sender.ledger;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * Deletes ledger rows nothing needs any more: settled ({@code answered}, {@code released},
 * {@code unknown}), without a retry waiting, and claimed before the cut-off. A row is what makes a
 * redelivered job republish its recorded outcome instead of calling Meta again, so the cut-off must lie
 * beyond every redelivery (docs/DESIGN.md §7, Retention); rows a replica holds ({@code claimed},
 * {@code in_flight}) are never deleted, whatever their age.
 */
@ApplicationScoped
public class LedgerRetention {

    private final DataSource dataSource;

    public LedgerRetention(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Deletes at most {@code limit} settled rows claimed before {@code beforeMs}, oldest first; returns how many. */
    public int purgeSettled(long beforeMs, int limit) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement delete = connection.prepareStatement("DELETE FROM send_ledger WHERE claimed_at_ms < ?"
                        + " AND state IN ('answered', 'released', 'unknown') AND retry_due_at_ms IS NULL"
                        + " ORDER BY claimed_at_ms LIMIT ?")) {
            connection.setAutoCommit(true);
            delete.setLong(1, beforeMs);
            delete.setInt(2, limit);
            return delete.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("purging the send ledger: " + e.getMessage(), e);
        }
    }
}
