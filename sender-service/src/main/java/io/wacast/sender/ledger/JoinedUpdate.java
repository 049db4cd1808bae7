package io.wacast.sender.ledger;

import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * An UPDATE of many ledger rows as one statement: the batch's rows are a derived table
 * ({@code SELECT ? AS job_id, ? AS claim_id, … UNION ALL SELECT ?, ?, …}) joined to {@code send_ledger} on
 * job id and claim id, so a row is changed only while its claim still holds it, and the statement says
 * how many rows it matched. Batches are padded to a power of two, so a handful of statement texts serve
 * every size and Connector/J parses each once per connection ({@code cachePrepStmts}); a batch sent as
 * one UPDATE per row made the driver build and parse a new multi-statement text every time (a third of
 * a replica's CPU at 1,000 msg/s, BENCHMARKS.md).
 *
 * <p>{@code set} reads the batch's values as {@code v.<column>} and the ledger's as {@code l.<column>}.
 * It must not read a column it assigns: a multi-table UPDATE does not promise to assign left to right.
 * Its own {@code ?} come after every row's, bound from {@code trailing} values.
 */
final class JoinedUpdate {

    /** The largest batch in one statement (a larger one is split into several in the same transaction). */
    static final int MAX_ROWS = 256;

    private final String[] columns;
    private final String set;
    private final AtomicReferenceArray<String> sqlBySize = new AtomicReferenceArray<>(Integer.numberOfTrailingZeros(MAX_ROWS) + 1);

    /** {@code columns}: the batch's values per row, {@code job_id} and {@code claim_id} first. */
    JoinedUpdate(String set, String... columns) {
        if (columns.length < 2 || !"job_id".equals(columns[0]) || !"claim_id".equals(columns[1])) {
            throw new IllegalArgumentException("the batch's rows start with job_id and claim_id");
        }
        this.columns = columns.clone();
        this.set = set;
    }

    /** The padded size of a batch of {@code rows} (1 ≤ rows ≤ {@link #MAX_ROWS}): the next power of two. */
    static int bucket(int rows) {
        if (rows < 1 || rows > MAX_ROWS) {
            throw new IllegalArgumentException("a joined update takes 1 to " + MAX_ROWS + " rows, not " + rows);
        }
        return Integer.highestOneBit(rows) == rows ? rows : Integer.highestOneBit(rows) << 1;
    }

    /** Values per row. */
    int columns() {
        return columns.length;
    }

    /** The statement for a batch of {@code size} rows, {@code size} a power of two. */
    String sql(int size) {
        int index = Integer.numberOfTrailingZeros(size);
        String sql = sqlBySize.get(index);
        if (sql == null) {
            sql = build(size);
            sqlBySize.set(index, sql);
        }
        return sql;
    }

    private String build(int size) {
        StringBuilder sql = new StringBuilder("UPDATE send_ledger l JOIN (SELECT ");
        for (int c = 0; c < columns.length; c++) {
            sql.append(c == 0 ? "" : ", ").append("? AS ").append(columns[c]);
        }
        String more = " UNION ALL SELECT ?" + ", ?".repeat(columns.length - 1);
        for (int r = 1; r < size; r++) {
            sql.append(more);
        }
        // The batch's job ids come in the connection's character set and collation: converted to the ledger
        // column's, the join is a primary-key lookup per row (eq_ref) on MySQL 8 and MariaDB alike.
        return sql.append(") v ON l.job_id = CONVERT(v.job_id USING utf8mb4) COLLATE utf8mb4_unicode_ci")
                .append(" AND l.claim_id = v.claim_id ")
                .append(set).toString();
    }
}
