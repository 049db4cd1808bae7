package io.wacast.sender.budget;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * The throughput budget of a business number (or a campaign), shared by every sender replica
 * through one database row: the next free slot of one global schedule. A replica with work leases
 * the next few slots in one atomic UPDATE, so replicas never get the same slot, idle replicas take
 * nothing, and adding or removing a replica changes neither the rate nor the spacing (docs/DESIGN.md §5).
 */
@ApplicationScoped
public class TokenBudget implements Budget {

    private final DataSource dataSource;

    public TokenBudget(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * Leases {@code count} consecutive slots of {@code key}'s schedule, starting no earlier than
     * {@code nowUs}, unless the schedule is already booked more than {@code horizonUs} past {@code nowUs}:
     * then nothing is taken and the answer is {@link SlotLease#none} with the time it is booked until.
     *
     * <p>The horizon is what keeps the budget when a replica runs late. Slots are handed out only
     * shortly before they are due, so a replica that is descheduled (CPU limits, a GC pause, a busy
     * neighbour) holds few of them when it stalls, and every slot after those goes to the replicas that
     * are on time; without it each replica would hold a run fetched far ahead, and the whole of it would
     * be lost with the stall.
     *
     * <p>LAST_INSERT_ID(expr) hands the pre-update value back on the same connection (MySQL and MariaDB
     * alike), so reading and advancing the schedule is one statement, no lock held.
     */
    public SlotLease lease(String key, int count, long intervalUs, long latenessUs, long nowUs, long horizonUs) {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(true);
            for (int attempt = 0; attempt < 3; attempt++) {
                long startUs = advance(connection, key, count, intervalUs, nowUs, horizonUs);
                if (startUs >= 0) {
                    return new SlotLease(startUs, intervalUs, count, latenessUs);
                }
                Long bookedUntil = bookedUntil(connection, key);
                if (bookedUntil == null) {
                    create(connection, key);
                } else if (bookedUntil > nowUs + horizonUs) {
                    return SlotLease.none(bookedUntil);
                }
                // else another replica's lease moved the schedule between the two statements: ask again
            }
            return SlotLease.none(nowUs);
        } catch (SQLException e) {
            throw new IllegalStateException("token budget " + key + ": " + e.getMessage(), e);
        }
    }

    /**
     * Moves the schedule on by {@code count} slots if it is booked no further than the horizon; returns
     * the first slot taken, or -1. The value LAST_INSERT_ID(expr) set comes back in the UPDATE's own
     * answer (the generated key), so taking a run is one round trip.
     */
    private static long advance(Connection connection, String key, int count, long intervalUs, long nowUs,
            long horizonUs) throws SQLException {
        try (PreparedStatement update = connection.prepareStatement(
                "UPDATE token_budget SET next_slot_us = LAST_INSERT_ID(GREATEST(next_slot_us, ?)) + ?"
                        + " WHERE budget_key = ? AND next_slot_us <= ?", Statement.RETURN_GENERATED_KEYS)) {
            update.setLong(1, nowUs);
            update.setLong(2, count * intervalUs);
            update.setString(3, key);
            update.setLong(4, nowUs + horizonUs);
            if (update.executeUpdate() != 1) {
                return -1;
            }
            try (ResultSet keys = update.getGeneratedKeys()) {
                if (keys.next()) {
                    return keys.getLong(1);
                }
            }
            return lastInsertId(connection);
        }
    }

    private static long lastInsertId(Connection connection) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("SELECT LAST_INSERT_ID()");
                ResultSet rs = select.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static Long bookedUntil(Connection connection, String key) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT next_slot_us FROM token_budget WHERE budget_key = ?")) {
            select.setString(1, key);
            try (ResultSet rs = select.executeQuery()) {
                return rs.next() ? rs.getLong(1) : null;
            }
        }
    }

    private static void create(Connection connection, String key) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO token_budget (budget_key, next_slot_us) VALUES (?, 0) ON DUPLICATE KEY UPDATE budget_key = budget_key")) {
            insert.setString(1, key);
            insert.executeUpdate();
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

    /**
     * Deletes at most {@code limit} schedules whose next free slot lies before {@code beforeUs}: an idle
     * schedule and a missing one lease alike (from now), and the DELETE is conditional on the row
     * still being idle, so a lease that moves it meanwhile keeps it. Returns how many.
     */
    public int purgeIdle(long beforeUs, int limit) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement delete = connection.prepareStatement(
                        "DELETE FROM token_budget WHERE next_slot_us < ? LIMIT ?")) {
            connection.setAutoCommit(true);
            delete.setLong(1, beforeUs);
            delete.setInt(2, limit);
            return delete.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("purging idle token budgets: " + e.getMessage(), e);
        }
    }
}
