package io.wacast.sender.budget;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * The throughput budget of a business number (or a campaign), shared by every sender replica
 * through one database row: the next free slot of one global schedule. A replica with work leases
 * the next few slots in one atomic UPDATE, so replicas never get the same slot, idle replicas take
 * nothing, and adding or removing a replica changes neither the rate nor the spacing (DESIGN.md §5).
 */
@ApplicationScoped
public class TokenBudget {

    private final DataSource dataSource;

    public TokenBudget(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * Leases {@code count} consecutive slots of {@code key}'s schedule, starting no earlier than
     * {@code nowUs}. LAST_INSERT_ID(expr) hands the pre-update value back on the same connection
     * (MySQL and MariaDB alike), so reading and advancing the schedule is one statement, no lock held.
     */
    public SlotLease lease(String key, int count, long intervalUs, long latenessUs, long nowUs) {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(true);
            long start = advance(connection, key, count, intervalUs, nowUs);
            if (start < 0) {
                try (PreparedStatement insert = connection.prepareStatement(
                        "INSERT INTO token_budget (budget_key, next_slot_us) VALUES (?, ?) ON DUPLICATE KEY UPDATE budget_key = budget_key")) {
                    insert.setString(1, key);
                    insert.setLong(2, 0);
                    insert.executeUpdate();
                }
                start = advance(connection, key, count, intervalUs, nowUs);
            }
            return new SlotLease(start, intervalUs, count, latenessUs);
        } catch (SQLException e) {
            throw new IllegalStateException("token budget " + key + ": " + e.getMessage(), e);
        }
    }

    private static long advance(Connection connection, String key, int count, long intervalUs, long nowUs)
            throws SQLException {
        try (PreparedStatement update = connection.prepareStatement(
                "UPDATE token_budget SET next_slot_us = LAST_INSERT_ID(GREATEST(next_slot_us, ?)) + ? WHERE budget_key = ?")) {
            update.setLong(1, nowUs);
            update.setLong(2, count * intervalUs);
            update.setString(3, key);
            if (update.executeUpdate() == 0) {
                return -1;
            }
        }
        try (PreparedStatement select = connection.prepareStatement("SELECT LAST_INSERT_ID()");
                ResultSet rs = select.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** Nobody gets a slot of {@code key} before {@code untilUs} (130429, 131057: back off the whole number). */
    public void holdUntil(String key, long untilUs) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement update = connection.prepareStatement(
                        "UPDATE token_budget SET next_slot_us = GREATEST(next_slot_us, ?) WHERE budget_key = ?")) {
            update.setLong(1, untilUs);
            update.setString(2, key);
            update.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("token budget " + key + ": " + e.getMessage(), e);
        }
    }
}
