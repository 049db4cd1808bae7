package io.wacast.campaign.repository;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import io.agroal.api.AgroalDataSource;

/**
 * The rows of {@code contact_imports} (V30): what each chunked contacts import has committed (§11 D28).
 * Progress is written in the transaction of the chunk it describes, so the row never says more or less
 * than what is stored.
 */
@ApplicationScoped
public class ContactImportRepository {

    /** A deadlock or lock wait timeout ended the chunk's transaction whole: the chunk may run again. */
    public static boolean lockConflict(Throwable e) {
        return Jdbc.lockConflict(e);
    }


    /** What an import has committed; {@code status} running, completed or failed. */
    public record ContactImportRow(long id, String status, String actor, boolean consented, long committedRows, long accepted,
            long duplicates, long optedOut, long rejectedCount, String error, Instant startedAt, Instant updatedAt,
            Instant finishedAt) {
    }

    /** The report of the rows committed so far; {@code committedRows}: CSV rows after the header. */
    public record Progress(long committedRows, long accepted, long duplicates, long optedOut, long rejectedCount) {
    }

    private final AgroalDataSource dataSource;

    ContactImportRepository(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** A new import, running, committed at once so that its id can be reported whatever follows. */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public long start(String actor, boolean consented, Instant now) {
        try (Connection connection = dataSource.getConnection(); PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO contact_imports (status, actor, consented, started_at, updated_at) VALUES ('running', ?, ?, ?, ?)",
                Statement.RETURN_GENERATED_KEYS)) {
            insert.setString(1, actor.length() > 200 ? actor.substring(0, 200) : actor);
            insert.setBoolean(2, consented);
            Jdbc.setInstant(insert, 3, now);
            Jdbc.setInstant(insert, 4, now);
            insert.executeUpdate();
            try (ResultSet keys = insert.getGeneratedKeys()) {
                keys.next();
                return keys.getLong(1);
            }
        } catch (SQLException e) {
            throw Jdbc.failure("starting a contacts import", e);
        }
    }

    /** The progress after a chunk, in that chunk's transaction. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void progress(long id, Progress progress, Instant now) {
        update(id, "running", progress, null, now, null);
    }

    /** The end of an import: completed with its whole report, or failed with why (progress: what stays stored). */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public void finish(long id, boolean completed, Progress progress, String error, Instant now) {
        update(id, completed ? "completed" : "failed", progress, error, now, now);
    }

    private void update(long id, String status, Progress progress, String error, Instant now, Instant finished) {
        try (Connection connection = dataSource.getConnection(); PreparedStatement update = connection.prepareStatement(
                "UPDATE contact_imports SET status = ?, committed_rows = ?, accepted = ?, duplicates = ?, opted_out = ?,"
                        + " rejected_count = ?, error = ?, updated_at = ?, finished_at = ? WHERE id = ?")) {
            update.setString(1, status);
            update.setLong(2, progress.committedRows());
            update.setLong(3, progress.accepted());
            update.setLong(4, progress.duplicates());
            update.setLong(5, progress.optedOut());
            update.setLong(6, progress.rejectedCount());
            update.setString(7, error == null || error.length() <= 1000 ? error : error.substring(0, 1000));
            Jdbc.setInstant(update, 8, now);
            Jdbc.setInstant(update, 9, finished);
            update.setLong(10, id);
            update.executeUpdate();
        } catch (SQLException e) {
            throw Jdbc.failure("recording a contacts import's progress", e);
        }
    }

    public Optional<ContactImportRow> find(long id) {
        return Jdbc.list(dataSource, "SELECT id, status, actor, consented, committed_rows, accepted, duplicates, opted_out,"
                + " rejected_count, error, started_at, updated_at, finished_at FROM contact_imports WHERE id = ?",
                query -> query.setLong(1, id), row -> new ContactImportRow(row.getLong(1), row.getString(2), row.getString(3),
                        row.getBoolean(4), row.getLong(5), row.getLong(6), row.getLong(7), row.getLong(8), row.getLong(9),
                        row.getString(10), Jdbc.instant(row.getTimestamp(11)), Jdbc.instant(row.getTimestamp(12)),
                        Jdbc.instant(row.getTimestamp(13))), "reading a contacts import").stream().findFirst();
    }
}
