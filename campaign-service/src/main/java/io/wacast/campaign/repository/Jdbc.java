package io.wacast.campaign.repository;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import javax.sql.DataSource;

import jakarta.persistence.PessimisticLockException;

/** JDBC binding helpers shared by the repositories that bypass Hibernate for bulk work. */
final class Jdbc {

    static void setInstant(PreparedStatement statement, int index, Instant instant) throws SQLException {
        if (instant == null) {
            statement.setNull(index, Types.TIMESTAMP);
        } else {
            statement.setTimestamp(index, Timestamp.from(instant));
        }
    }

    private static final java.time.format.DateTimeFormatter DATETIME =
            java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS").withZone(java.time.ZoneOffset.UTC);

    /**
     * An instant as a DATETIME(6) string in UTC (sessions run in UTC), for bulk inserts: Connector/J
     * builds a SimpleDateFormat for every Timestamp parameter, which was the largest client-side cost
     * of a 1M-row upload; a batch formats its one "now" once and binds it as a string.
     */
    static String datetime(Instant instant) {
        return instant == null ? null : DATETIME.format(instant);
    }

    /**
     * Binds an instant to a DATETIME(6) column as UTC text ({@link #datetime}) rather than a Timestamp,
     * for the statements a batch runs for every row (the driver formats each Timestamp slowly).
     */
    static void setDatetime(PreparedStatement statement, int index, Instant instant) throws SQLException {
        statement.setString(index, datetime(instant));
    }

    static Instant instant(Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }

    static void setNullableInt(PreparedStatement statement, int index, Integer value) throws SQLException {
        if (value == null) {
            statement.setNull(index, Types.INTEGER);
        } else {
            statement.setInt(index, value);
        }
    }

    /**
     * A failure of the database is a failure of the service, not of the request. A deadlock or a lock
     * wait timeout (SQLState 40001, MariaDB/MySQL 1213, 1205) is a concurrent change holding the same
     * rows: the database rolled the transaction back, so it becomes a {@link PessimisticLockException}
     * (503 "busy" with Retry-After from the REST layer: nothing written, retry), never a 500.
     */
    static RuntimeException failure(String what, SQLException e) {
        if (lockConflict(e)) {
            return new PessimisticLockException(what + " met a concurrent change: " + e.getMessage(), e);
        }
        return new IllegalStateException(what + " failed: " + e.getMessage(), e);
    }

    /** A deadlock or a lock wait timeout anywhere in the cause chain. */
    static boolean lockConflict(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql
                    && ("40001".equals(sql.getSQLState()) || sql.getErrorCode() == 1213 || sql.getErrorCode() == 1205)) {
                return true;
            }
        }
        return false;
    }

    /** Sets a statement's parameters. */
    @FunctionalInterface
    interface Binder {
        void bind(PreparedStatement statement) throws SQLException;
    }

    /** Maps the current row of a result set. */
    @FunctionalInterface
    interface RowMapper<T> {
        T map(ResultSet row) throws SQLException;
    }

    /**
     * Runs a query on a connection of the current transaction (if any) and maps every row; a
     * database failure becomes {@link #failure} with {@code what} in its message.
     */
    static <T> List<T> list(DataSource dataSource, String sql, Binder binder, RowMapper<T> mapper, String what) {
        try (Connection connection = dataSource.getConnection(); PreparedStatement query = connection.prepareStatement(sql)) {
            binder.bind(query);
            List<T> result = new ArrayList<>();
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    result.add(mapper.map(rows));
                }
            }
            return result;
        } catch (SQLException e) {
            throw failure(what, e);
        }
    }

    /**
     * Deletes at most {@code limit} rows of {@code table} whose {@code column} is before {@code cutoff}
     * (the retention purges); returns how many. Table and column are constants of the caller.
     */
    static int deleteOlderThan(DataSource dataSource, String table, String column, Instant cutoff, int limit,
            String what) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement delete = connection.prepareStatement(
                        "DELETE FROM " + table + " WHERE " + column + " < ? ORDER BY " + column + " LIMIT ?")) {
            setInstant(delete, 1, cutoff);
            delete.setInt(2, limit);
            return delete.executeUpdate();
        } catch (SQLException e) {
            throw failure(what, e);
        }
    }

    /**
     * Deletes every row of {@code campaignId} from each of {@code tables} (constants of the caller): the
     * rows of a deleted campaign in tables without a foreign key to cascade from it.
     */
    static void deleteOfCampaign(DataSource dataSource, long campaignId, String what, String... tables) {
        try (Connection connection = dataSource.getConnection()) {
            for (String table : tables) {
                try (PreparedStatement delete = connection.prepareStatement("DELETE FROM " + table + " WHERE campaign_id = ?")) {
                    delete.setLong(1, campaignId);
                    delete.executeUpdate();
                }
            }
        } catch (SQLException e) {
            throw failure(what, e);
        }
    }

    /** "?, ?, ?" for an IN list of {@code count} parameters. */
    static String placeholders(int count) {
        return String.join(", ", java.util.Collections.nCopies(count, "?"));
    }

    private Jdbc() {
    }
}
