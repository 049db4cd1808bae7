package io.wacast.campaign.repository;

import java.sql.Connection;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.PessimisticLockException;
import jakarta.transaction.Transactional;

import io.agroal.api.AgroalDataSource;
import io.wacast.campaign.domain.JsonColumns;

/**
 * Recurring campaigns in SQL. Every change of a series' status or next occurrence is a conditional
 * UPDATE; an occurrence is claimed with an INSERT IGNORE on its (series, time) key, so with several
 * replicas exactly one starts it; the starter and an edit serialise on the series' row lock ({@link #lock}).
 */
@ApplicationScoped
public class SeriesRepository {

    public record Series(long id, String name, String description, long audienceId, String templateName,
            String templateLanguage, Map<String, String> templateVariables, Map<String, String> variableMap,
            String phoneNumberId, Integer rateLimit, String schedule, String timeZone, Instant startsAt, LocalDate endsOn,
            Integer maxOccurrences, int minIntervalMinutes, String status, Instant nextOccurrenceAt, int occurrences,
            Instant createdAt, Instant updatedAt) {
    }

    public record Occurrence(long seriesId, Instant occurrenceAt, String outcome, Long campaignId, String reason,
            Instant createdAt) {
    }

    private static final String COLUMNS = "id, name, description, audience_id, template_name, template_language,"
            + " template_variables, variable_map, phone_number_id, rate_limit, schedule, time_zone, starts_at, ends_on,"
            + " max_occurrences, min_interval_minutes, status, next_occurrence_at, occurrences, created_at, updated_at";

    /** MySQL's and MariaDB's error codes for a lock wait timeout and a deadlock. */
    private static final int LOCK_WAIT_TIMEOUT = 1205;
    private static final int DEADLOCK = 1213;

    private final AgroalDataSource dataSource;

    SeriesRepository(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public long create(Series s, Instant now) {
        try (Connection connection = dataSource.getConnection(); PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO campaign_series (name, description, audience_id, template_name, template_language, template_variables,"
                        + " variable_map, phone_number_id, rate_limit, schedule, time_zone, starts_at, ends_on, max_occurrences,"
                        + " min_interval_minutes, status, next_occurrence_at, occurrences, created_at, updated_at)"
                        + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?)", Statement.RETURN_GENERATED_KEYS)) {
            bindSettings(insert, s);
            insert.setString(16, s.status());
            Jdbc.setInstant(insert, 17, s.nextOccurrenceAt());
            Jdbc.setInstant(insert, 18, now);
            Jdbc.setInstant(insert, 19, now);
            insert.executeUpdate();
            try (ResultSet keys = insert.getGeneratedKeys()) {
                keys.next();
                return keys.getLong(1);
            }
        } catch (SQLException e) {
            throw Jdbc.failure("creating a series", e);
        }
    }

    public Optional<Series> find(long id) {
        return Jdbc.list(dataSource, "SELECT " + COLUMNS + " FROM campaign_series WHERE id = ?", query -> query.setLong(1, id),
                SeriesRepository::series, "reading a series").stream().findFirst();
    }

    /**
     * The series, its row locked until the caller's transaction ends: the starter and an edit (and the
     * status changes) of one series take this lock first, so they run one after the other and each
     * reads what the other committed. A lock wait that times out (or a deadlock) is a
     * {@link PessimisticLockException}: nothing was written, the request may be retried.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public Optional<Series> lock(long id) {
        try (Connection connection = dataSource.getConnection(); PreparedStatement query = connection.prepareStatement(
                "SELECT " + COLUMNS + " FROM campaign_series WHERE id = ? FOR UPDATE")) {
            query.setLong(1, id);
            try (ResultSet row = query.executeQuery()) {
                return row.next() ? Optional.of(series(row)) : Optional.empty();
            }
        } catch (SQLException e) {
            if (e.getErrorCode() == LOCK_WAIT_TIMEOUT || e.getErrorCode() == DEADLOCK) {
                throw new PessimisticLockException("series " + id + " is locked by a concurrent change", e);
            }
            throw Jdbc.failure("locking a series", e);
        }
    }

    /** The latest occurrence claimed for the series (started, skipped or being started), or null when none. */
    public Instant lastOccurrence(long seriesId) {
        return Jdbc.list(dataSource, "SELECT MAX(occurrence_at) FROM series_occurrences WHERE series_id = ?",
                query -> query.setLong(1, seriesId), row -> Jdbc.instant(row.getTimestamp(1)), "reading the last occurrence")
                .get(0);
    }

    /**
     * Replaces the editable settings of a series that has not ended, and its next occurrence; its status,
     * occurrence count and creation stay. The caller holds the row's {@link #lock}. False when it has ended.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public boolean replace(Series s, Instant now) {
        try (Connection connection = dataSource.getConnection(); PreparedStatement update = connection.prepareStatement(
                "UPDATE campaign_series FORCE INDEX (PRIMARY) SET name = ?, description = ?, audience_id = ?, template_name = ?,"
                        + " template_language = ?,"
                        + " template_variables = ?, variable_map = ?, phone_number_id = ?, rate_limit = ?, schedule = ?,"
                        + " time_zone = ?, starts_at = ?, ends_on = ?, max_occurrences = ?, min_interval_minutes = ?,"
                        + " next_occurrence_at = ?, updated_at = ? WHERE id = ? AND status <> 'ended'")) {
            int i = bindSettings(update, s);
            Jdbc.setInstant(update, i++, s.nextOccurrenceAt());
            Jdbc.setInstant(update, i++, now);
            update.setLong(i, s.id());
            return update.executeUpdate() == 1;
        } catch (SQLException e) {
            throw Jdbc.failure("editing a series", e);
        }
    }

    /** Binds name … min_interval_minutes (in the column order of {@code create} and {@code replace}); returns the next index. */
    private static int bindSettings(PreparedStatement statement, Series s) throws SQLException {
        statement.setString(1, s.name());
        statement.setString(2, s.description());
        statement.setLong(3, s.audienceId());
        statement.setString(4, s.templateName());
        statement.setString(5, s.templateLanguage());
        statement.setString(6, JsonColumns.write(s.templateVariables()));
        statement.setString(7, s.variableMap() == null || s.variableMap().isEmpty() ? null : JsonColumns.write(s.variableMap()));
        statement.setString(8, s.phoneNumberId());
        Jdbc.setNullableInt(statement, 9, s.rateLimit());
        statement.setString(10, s.schedule());
        statement.setString(11, s.timeZone());
        Jdbc.setInstant(statement, 12, s.startsAt());
        if (s.endsOn() == null) {
            statement.setNull(13, Types.DATE);
        } else {
            statement.setString(13, s.endsOn().toString());
        }
        Jdbc.setNullableInt(statement, 14, s.maxOccurrences());
        statement.setInt(15, s.minIntervalMinutes());
        return 16;
    }

    public List<Series> page(int page, int size) {
        return Jdbc.list(dataSource, "SELECT " + COLUMNS + " FROM campaign_series ORDER BY id DESC LIMIT ? OFFSET ?", query -> {
            query.setInt(1, size);
            query.setLong(2, (long) page * size);
        }, SeriesRepository::series, "listing series");
    }

    public long total() {
        return Jdbc.list(dataSource, "SELECT COUNT(*) FROM campaign_series", query -> {
        }, row -> row.getLong(1), "counting series").get(0);
    }

    /** Active series whose next occurrence is due at {@code now} (ix_campaign_series_due). */
    public List<Long> due(Instant now, int limit) {
        return Jdbc.list(dataSource, "SELECT id FROM campaign_series WHERE status = 'active' AND next_occurrence_at <= ?"
                + " ORDER BY next_occurrence_at LIMIT ?", query -> {
                    Jdbc.setInstant(query, 1, now);
                    query.setInt(2, limit);
                }, row -> row.getLong(1), "listing due series");
    }

    /**
     * Claims the occurrence: true only for the transaction whose row was inserted. A concurrent claim of
     * the same key waits for this transaction; after its commit it inserts nothing.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public boolean claimOccurrence(long seriesId, Instant occurrenceAt, Instant now) {
        try (Connection connection = dataSource.getConnection(); PreparedStatement insert = connection.prepareStatement(
                "INSERT IGNORE INTO series_occurrences (series_id, occurrence_at, outcome, created_at) VALUES (?, ?, 'claimed', ?)")) {
            insert.setLong(1, seriesId);
            Jdbc.setInstant(insert, 2, occurrenceAt);
            Jdbc.setInstant(insert, 3, now);
            return insert.executeUpdate() == 1;
        } catch (SQLException e) {
            throw Jdbc.failure("claiming an occurrence", e);
        }
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public void settle(long seriesId, Instant occurrenceAt, String outcome, Long campaignId, String reason) {
        try (Connection connection = dataSource.getConnection(); PreparedStatement update = connection.prepareStatement(
                "UPDATE series_occurrences SET outcome = ?, campaign_id = ?, reason = ? WHERE series_id = ? AND occurrence_at = ?")) {
            update.setString(1, outcome);
            if (campaignId == null) {
                update.setNull(2, Types.BIGINT);
            } else {
                update.setLong(2, campaignId);
            }
            update.setString(3, reason == null ? null : reason.length() > 500 ? reason.substring(0, 499) + "…" : reason);
            update.setLong(4, seriesId);
            Jdbc.setInstant(update, 5, occurrenceAt);
            update.executeUpdate();
        } catch (SQLException e) {
            throw Jdbc.failure("recording an occurrence", e);
        }
    }

    /**
     * Moves the series past the occurrence at {@code occurrenceAt}: the next one (null and status ended
     * when there is none), one more occurrence counted. Conditional on the occurrence still being next.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public boolean advance(long seriesId, Instant occurrenceAt, Instant next, Instant now) {
        try (Connection connection = dataSource.getConnection(); PreparedStatement update = connection.prepareStatement(
                "UPDATE campaign_series FORCE INDEX (PRIMARY) SET next_occurrence_at = ?, occurrences = occurrences + 1,"
                        + " status = CASE WHEN ? IS NULL THEN 'ended' ELSE status END, updated_at = ?"
                        + " WHERE id = ? AND next_occurrence_at = ?")) {
            Jdbc.setInstant(update, 1, next);
            Jdbc.setInstant(update, 2, next);
            Jdbc.setInstant(update, 3, now);
            update.setLong(4, seriesId);
            Jdbc.setInstant(update, 5, occurrenceAt);
            return update.executeUpdate() == 1;
        } catch (SQLException e) {
            throw Jdbc.failure("advancing a series", e);
        }
    }

    /** A status change from one of {@code from}; with {@code next} when resuming. False when it was not in one. */
    @Transactional(Transactional.TxType.MANDATORY)
    public boolean transition(long seriesId, List<String> from, String to, Instant next, boolean setNext, Instant now) {
        String sql = "UPDATE campaign_series FORCE INDEX (PRIMARY) SET status = ?, updated_at = ?" + (setNext ? ", next_occurrence_at = ?" : "")
                + " WHERE id = ? AND status IN (" + Jdbc.placeholders(from.size()) + ")";
        try (Connection connection = dataSource.getConnection(); PreparedStatement update = connection.prepareStatement(sql)) {
            int i = 1;
            update.setString(i++, to);
            Jdbc.setInstant(update, i++, now);
            if (setNext) {
                Jdbc.setInstant(update, i++, next);
            }
            update.setLong(i++, seriesId);
            for (String status : from) {
                update.setString(i++, status);
            }
            return update.executeUpdate() == 1;
        } catch (SQLException e) {
            throw Jdbc.failure("changing a series' status", e);
        }
    }

    public List<Occurrence> occurrences(long seriesId, int page, int size) {
        return Jdbc.list(dataSource, "SELECT series_id, occurrence_at, outcome, campaign_id, reason, created_at FROM series_occurrences"
                + " WHERE series_id = ? ORDER BY occurrence_at DESC LIMIT ? OFFSET ?", query -> {
                    query.setLong(1, seriesId);
                    query.setInt(2, size);
                    query.setLong(3, (long) page * size);
                }, row -> new Occurrence(row.getLong(1), Jdbc.instant(row.getTimestamp(2)), row.getString(3),
                        row.getObject(4) == null ? null : row.getLong(4), row.getString(5), Jdbc.instant(row.getTimestamp(6))),
                "listing occurrences");
    }

    public long occurrenceCount(long seriesId) {
        return Jdbc.list(dataSource, "SELECT COUNT(*) FROM series_occurrences WHERE series_id = ?", query -> query.setLong(1, seriesId),
                row -> row.getLong(1), "counting occurrences").get(0);
    }

    private static Series series(ResultSet row) throws SQLException {
        Date endsOn = row.getDate(14);
        return new Series(row.getLong(1), row.getString(2), row.getString(3), row.getLong(4), row.getString(5), row.getString(6),
                JsonColumns.readStringMap(row.getString(7)), JsonColumns.readStringMap(row.getString(8)), row.getString(9),
                row.getObject(10) == null ? null : row.getInt(10), row.getString(11), row.getString(12),
                Jdbc.instant(row.getTimestamp(13)), endsOn == null ? null : LocalDate.parse(row.getString(14)),
                row.getObject(15) == null ? null : row.getInt(15), row.getInt(16), row.getString(17),
                Jdbc.instant(row.getTimestamp(18)), row.getInt(19), Jdbc.instant(row.getTimestamp(20)),
                Jdbc.instant(row.getTimestamp(21)));
    }
}
