package io.wacast.campaign;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

import javax.sql.DataSource;

/** Direct reads (and, for setting a scene, writes) of the tests' database, for asserting what the service stored. */
public final class Sql {

    private Sql() {
    }

    /** Runs one statement that writes, {@code params} bound in order; returns the rows it changed. */
    public static int update(DataSource dataSource, String statement, Object... params) {
        try (Connection connection = dataSource.getConnection(); PreparedStatement update = connection.prepareStatement(statement)) {
            for (int i = 0; i < params.length; i++) {
                update.setObject(i + 1, params[i]);
            }
            return update.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(statement, e);
        }
    }

    /** The first column of the first row of {@code query} with {@code params} bound in order: a count. */
    public static long count(DataSource dataSource, String query, Object... params) {
        try (Connection connection = dataSource.getConnection(); PreparedStatement statement = connection.prepareStatement(query)) {
            for (int i = 0; i < params.length; i++) {
                statement.setObject(i + 1, params[i]);
            }
            try (ResultSet rows = statement.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(query, e);
        }
    }
}
