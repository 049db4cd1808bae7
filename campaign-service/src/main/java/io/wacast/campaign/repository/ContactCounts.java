package io.wacast.campaign.repository;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import io.agroal.api.AgroalDataSource;

/**
 * How many contacts there are per cell (tag, country, opt-in source), kept in {@code contact_counts}
 * (V29) by the transactions that change contacts and their tags, so an audience of one tag, countries
 * and consent is counted from a few rows instead of one index entry per contact (§11 D28).
 *
 * <p>A writer reads the cells of the contacts it is about to change with a locking read ({@link #cells},
 * {@code FOR UPDATE}: the latest committed state, held until its commit), writes, reads them again, and
 * appends the difference ({@link #append}). Rows are only ever inserted by writers, never updated, so
 * concurrent writers do not queue on a hot counter; a count is the SUM of a cell's rows, and
 * {@link #compact} folds them now and then. Everything commits or rolls back with the writer's change.
 */
@ApplicationScoped
public class ContactCounts {

    /** tag 0: the contacts themselves; country "" and source "": none recorded. */
    public record Cell(long tag, String country, String source) implements Comparable<Cell> {
        @Override
        public int compareTo(Cell other) {
            int c = Long.compare(tag, other.tag);
            if (c == 0) {
                c = country.compareTo(other.country);
            }
            return c != 0 ? c : source.compareTo(other.source);
        }
    }

    private final AgroalDataSource dataSource;

    ContactCounts(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** A contact's facts that place it in cells: its country, opt-in source ("" for none) and tags. */
    record Facts(String country, String source, List<Long> tags) {

        /** The same contact after a change of country and opt-in source, its tags kept. */
        Facts with(String newCountry, String newSource) {
            return new Facts(newCountry, newSource, tags);
        }
    }

    /**
     * The facts of the contacts {@code where} selects (SQL over {@code contacts c}; parameters are
     * strings), by number, read in one locking read: the contacts' rows and tag rows stay locked until
     * the transaction ends, and a number not there yet stays free of other writers' inserts (its gap is
     * locked), so what the caller writes next is the only change to these contacts.
     */
    static Map<String, Facts> facts(Connection connection, String where, List<String> params) throws SQLException {
        Map<String, Facts> facts = new HashMap<>();
        try (PreparedStatement query = connection.prepareStatement("SELECT c.phone_e164, c.country, c.opt_in_source, ct.tag_id"
                + " FROM contacts c LEFT JOIN contact_tags ct ON ct.contact_id = c.id WHERE " + where + " FOR UPDATE")) {
            for (int i = 0; i < params.size(); i++) {
                query.setString(i + 1, params.get(i));
            }
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    Facts contact = facts.get(rows.getString(1));
                    if (contact == null) {
                        contact = new Facts(blank(rows.getString(2)), blank(rows.getString(3)), new ArrayList<>());
                        facts.put(rows.getString(1), contact);
                    }
                    long tag = rows.getLong(4);
                    if (!rows.wasNull()) {
                        contact.tags().add(tag);
                    }
                }
            }
        }
        return facts;
    }

    /** {@link #facts} of contacts by number. */
    static Map<String, Facts> factsOfPhones(Connection connection, Collection<String> phones) throws SQLException {
        if (phones.isEmpty()) {
            return new HashMap<>();
        }
        return facts(connection, "c.phone_e164 IN (" + Jdbc.placeholders(phones.size()) + ")", new ArrayList<>(phones));
    }

    /** The cells these contacts are counted in: tag 0 once per contact, and once per tag. */
    static Map<Cell, Long> cellsOf(Collection<Facts> contacts) {
        Map<Cell, Long> cells = new HashMap<>();
        for (Facts contact : contacts) {
            cells.merge(new Cell(0, contact.country(), contact.source()), 1L, Long::sum);
            for (long tag : contact.tags()) {
                cells.merge(new Cell(tag, contact.country(), contact.source()), 1L, Long::sum);
            }
        }
        return cells;
    }

    /** The cells of the contacts {@code where} selects, locked as by {@link #facts}. */
    static Map<Cell, Long> cells(Connection connection, String where, List<String> params) throws SQLException {
        return cellsOf(facts(connection, where, params).values());
    }

    /** {@link #cells} of contacts by number. */
    static Map<Cell, Long> cellsOfPhones(Connection connection, Collection<String> phones) throws SQLException {
        return cellsOf(factsOfPhones(connection, phones).values());
    }

    /** {@link #cells} of contacts by id (numbers only, written into the SQL). */
    static Map<Cell, Long> cellsOfIds(Connection connection, String commaSeparatedIds) throws SQLException {
        return cells(connection, "c.id IN (" + commaSeparatedIds + ")", List.of());
    }

    static String blank(String value) {
        return value == null ? "" : value;
    }

    /** Appends {@code after - before} (cells that changed only), in the caller's transaction. */
    static void append(Connection connection, Map<Cell, Long> before, Map<Cell, Long> after) throws SQLException {
        Map<Cell, Long> delta = new TreeMap<>();
        after.forEach((cell, n) -> delta.merge(cell, n, Long::sum));
        before.forEach((cell, n) -> delta.merge(cell, -n, Long::sum));
        delta.values().removeIf(n -> n == 0);
        insert(connection, delta);
    }

    private static void insert(Connection connection, Map<Cell, Long> rows) throws SQLException {
        if (rows.isEmpty()) {
            return;
        }
        try (PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO contact_counts (tag_id, country, opt_in_source, contacts) VALUES (?, ?, ?, ?)")) {
            for (var row : rows.entrySet()) {
                insert.setLong(1, row.getKey().tag());
                insert.setString(2, row.getKey().country());
                insert.setString(3, row.getKey().source());
                insert.setLong(4, row.getValue());
                insert.addBatch();
            }
            insert.executeBatch();
        }
    }

    /**
     * The contacts in the cells of {@code tag} (0: all contacts) that {@code cellCondition} selects
     * (SQL over {@code country} and {@code opt_in_source} of {@code contact_counts}; "" for none).
     */
    public long sum(long tag, String cellCondition, List<String> params) {
        return Jdbc.list(dataSource, "SELECT COALESCE(SUM(contacts), 0) FROM contact_counts WHERE tag_id = ?"
                + (cellCondition.isEmpty() ? "" : " AND " + cellCondition), query -> {
                    query.setLong(1, tag);
                    for (int i = 0; i < params.size(); i++) {
                        query.setString(i + 2, params.get(i));
                    }
                }, row -> row.getLong(1), "counting contacts by cell").get(0);
    }

    /**
     * Folds the rows of each cell that has several into one, oldest {@code limit} rows first; returns the
     * rows removed. The rows were read without locks (committed; writers never change them); when another
     * replica folded some of them meanwhile, the delete finds fewer and this round rolls back.
     */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public int compact(int limit) {
        Map<Cell, List<long[]>> byCell = new TreeMap<>();
        try (Connection connection = dataSource.getConnection()) {
            try (PreparedStatement query = connection.prepareStatement(
                    "SELECT id, tag_id, country, opt_in_source, contacts FROM contact_counts ORDER BY id LIMIT ?")) {
                query.setInt(1, limit);
                try (ResultSet rows = query.executeQuery()) {
                    while (rows.next()) {
                        byCell.computeIfAbsent(new Cell(rows.getLong(2), rows.getString(3), rows.getString(4)),
                                cell -> new ArrayList<>()).add(new long[] {rows.getLong(1), rows.getLong(5)});
                    }
                }
            }
            List<Long> ids = new ArrayList<>();
            Map<Cell, Long> sums = new TreeMap<>();
            byCell.forEach((cell, rows) -> {
                if (rows.size() > 1) {
                    long sum = 0;
                    for (long[] row : rows) {
                        ids.add(row[0]);
                        sum += row[1];
                    }
                    if (sum != 0) {
                        sums.put(cell, sum);
                    }
                }
            });
            if (ids.isEmpty()) {
                return 0;
            }
            int deleted = 0;
            try (Statement delete = connection.createStatement()) {
                for (int from = 0; from < ids.size(); from += 5000) {
                    StringBuilder in = new StringBuilder();
                    for (int i = from; i < Math.min(ids.size(), from + 5000); i++) {
                        in.append(i > from ? "," : "").append(ids.get(i));
                    }
                    deleted += delete.executeUpdate("DELETE FROM contact_counts WHERE id IN (" + in + ")");
                }
            }
            if (deleted != ids.size()) {
                throw new CompactionRace();
            }
            insert(connection, sums);
            return deleted;
        } catch (SQLException e) {
            throw Jdbc.failure("folding contact counts", e);
        }
    }

    /** Another replica folded some of the same rows first: this round's transaction is rolled back. */
    public static final class CompactionRace extends RuntimeException {
        CompactionRace() {
            super("contact counts were folded by another replica meanwhile", null, false, false);
        }
    }

    /** Every cell's count recomputed from contacts and contact_tags, for checks (tests, operators). */
    public Map<Cell, Long> recount() {
        Map<Cell, Long> cells = new TreeMap<>();
        Jdbc.list(dataSource, "SELECT 0, COALESCE(country, ''), COALESCE(opt_in_source, ''), COUNT(*) FROM contacts"
                + " GROUP BY COALESCE(country, ''), COALESCE(opt_in_source, '') UNION ALL"
                + " SELECT ct.tag_id, COALESCE(c.country, ''), COALESCE(c.opt_in_source, ''), COUNT(*) FROM contact_tags ct"
                + " JOIN contacts c ON c.id = ct.contact_id GROUP BY ct.tag_id, COALESCE(c.country, ''), COALESCE(c.opt_in_source, '')",
                query -> {
                }, row -> cells.put(new Cell(row.getLong(1), row.getString(2), row.getString(3)), row.getLong(4)), "recounting contacts");
        return cells;
    }

    /** Every cell's count as kept (cells summing to zero left out). */
    public Map<Cell, Long> kept() {
        Map<Cell, Long> cells = new TreeMap<>();
        Jdbc.list(dataSource, "SELECT tag_id, country, opt_in_source, SUM(contacts) FROM contact_counts"
                + " GROUP BY tag_id, country, opt_in_source HAVING SUM(contacts) <> 0", query -> {
                }, row -> cells.put(new Cell(row.getLong(1), row.getString(2), row.getString(3)), row.getLong(4)), "reading contact counts");
        return cells;
    }
}
