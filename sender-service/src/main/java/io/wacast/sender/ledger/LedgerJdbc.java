package io.wacast.sender.ledger;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
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

    @FunctionalInterface
    interface Binder<T> {
        void bind(PreparedStatement statement, T row) throws SQLException;
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
     * Runs {@code sql} once per row, in job-id order (one lock order for every replica), as one batch in
     * one transaction; returns the rows it changed nothing for (their claim moved on).
     */
    static <T> List<T> updateEach(DataSource dataSource, String sql, List<T> rows, Function<T, String> jobId,
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

    /** A fresh claim id: a claim, or a lease of due retries. */
    static long newClaimId() {
        return ThreadLocalRandom.current().nextLong(1, Long.MAX_VALUE);
    }
}
