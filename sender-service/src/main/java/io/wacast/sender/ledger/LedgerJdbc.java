package io.wacast.sender.ledger;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;

import javax.sql.DataSource;

import org.jboss.logging.Logger;

/**
 * How the ledger's classes talk to the database: one transaction per batch, rows in job-id order (one
 * lock order for every replica), and a transaction InnoDB chose as a deadlock victim run again.
 */
final class LedgerJdbc {

    private static final Logger LOG = Logger.getLogger(LedgerJdbc.class);
    private static final int MAX_DEADLOCK_RETRIES = 5;

    private LedgerJdbc() {
    }

    @FunctionalInterface
    interface SqlWork<T> {
        T run() throws SQLException;
    }

    /** Binds one row's values, in {@link JoinedUpdate}'s column order, from parameter {@code first} on. */
    @FunctionalInterface
    interface RowBinder<T> {
        void bind(PreparedStatement statement, int first, T row) throws SQLException;
    }

    /**
     * InnoDB may pick a batch as a deadlock victim when replicas claim overlapping jobs: run it again.
     * Hand-written rather than SmallRye Fault Tolerance's {@code @Retry} (docs/DESIGN.md §11 D13, D25).
     */
    static <T> T withDeadlockRetry(SqlWork<T> work) {
        for (int attempt = 1;; attempt++) {
            try {
                return work.run();
            } catch (SQLException e) {
                boolean deadlock = "40001".equals(e.getSQLState()) || e.getErrorCode() == 1213 || e.getErrorCode() == 1205;
                if (!deadlock || attempt >= MAX_DEADLOCK_RETRIES) {
                    throw new Ledger.LedgerException(e);
                }
                LOG.debugf("ledger transaction retried after %s", e.getMessage());
            }
        }
    }

    /**
     * Updates the ledger rows of a batch, each only while its claim still holds it, in one transaction;
     * returns the rows it changed nothing for (their claim moved on). The whole batch is one statement
     * ({@link JoinedUpdate}); only when it matched fewer rows than the batch has (a claim taken over, or one
     * job twice in the batch: both rare) is it rolled back and run row by row, to learn which rows those are.
     */
    static <T> List<T> updateEach(DataSource dataSource, JoinedUpdate update, List<T> rows, Function<T, String> jobId,
            RowBinder<T> binder, long... trailing) {
        List<T> sorted = new ArrayList<>(rows);
        sorted.sort(Comparator.comparing(jobId)); // one lock order for every replica
        return withDeadlockRetry(() -> {
            try (Connection connection = dataSource.getConnection()) {
                connection.setAutoCommit(false);
                try {
                    int matched = 0;
                    for (int from = 0; from < sorted.size(); from += JoinedUpdate.MAX_ROWS) {
                        matched += execute(connection, update, sorted.subList(from,
                                Math.min(sorted.size(), from + JoinedUpdate.MAX_ROWS)), binder, trailing);
                    }
                    if (matched == sorted.size()) {
                        connection.commit();
                        return List.of();
                    }
                    connection.rollback();
                    List<T> unchanged = new ArrayList<>();
                    for (T row : sorted) {
                        if (execute(connection, update, List.of(row), binder, trailing) == 0) {
                            unchanged.add(row);
                        }
                    }
                    connection.commit();
                    return unchanged;
                } catch (SQLException | RuntimeException e) {
                    connection.rollback();
                    throw e;
                }
            }
        });
    }

    /** Runs {@code update} for up to {@link JoinedUpdate#MAX_ROWS} rows; returns the ledger rows it matched. */
    private static <T> int execute(Connection connection, JoinedUpdate update, List<T> rows, RowBinder<T> binder,
            long... trailing) throws SQLException {
        int size = JoinedUpdate.bucket(rows.size());
        try (PreparedStatement statement = connection.prepareStatement(update.sql(size))) {
            int width = update.columns();
            for (int i = 0; i < size; i++) {
                if (i < rows.size()) {
                    binder.bind(statement, 1 + i * width, rows.get(i));
                } else {
                    // padding, so that a few statement texts serve every batch size: joins no row
                    for (int c = 0; c < width; c++) {
                        statement.setNull(1 + i * width + c, Types.NULL);
                    }
                }
            }
            for (int t = 0; t < trailing.length; t++) {
                statement.setLong(1 + size * width + t, trailing[t]);
            }
            return statement.executeUpdate();
        }
    }

    /** A fresh claim id: a claim, or a lease of due retries. */
    static long newClaimId() {
        return ThreadLocalRandom.current().nextLong(1, Long.MAX_VALUE);
    }
}
