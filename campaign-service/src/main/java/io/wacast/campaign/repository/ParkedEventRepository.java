package io.wacast.campaign.repository;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import io.agroal.api.AgroalDataSource;

/** The applier's dead-letter table, {@code parked_events} (V16). */
@ApplicationScoped
public class ParkedEventRepository {

    /** Where a record came from: a redelivered record is parked once. */
    public record Origin(String topic, int partition, long offset, String key, String eventType) {
    }

    public record ParkedEvent(long id, Origin origin, String payload, String reason, Instant parkedAt,
            Instant replayedAt, String replayedBy) {
    }

    private static final String COLUMNS = "id, topic, kafka_partition, kafka_offset, record_key, event_type, payload,"
            + " reason, parked_at, replayed_at, replayed_by";

    private final AgroalDataSource dataSource;

    ParkedEventRepository(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Parks the record; false when it was parked before (a redelivery after a crash). */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public boolean park(Origin origin, String payload, String reason, Instant now) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement insert = connection.prepareStatement("INSERT IGNORE INTO parked_events"
                        + " (topic, kafka_partition, kafka_offset, record_key, event_type, payload, reason, parked_at)"
                        + " VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
            insert.setString(1, origin.topic());
            insert.setInt(2, origin.partition());
            insert.setLong(3, origin.offset());
            insert.setString(4, cut(origin.key(), 255));
            insert.setString(5, cut(origin.eventType(), 50));
            insert.setString(6, payload);
            insert.setString(7, cut(reason, 1000));
            Jdbc.setInstant(insert, 8, now);
            return insert.executeUpdate() == 1;
        } catch (SQLException e) {
            throw Jdbc.failure("parking an event", e);
        }
    }

    /** Newest first. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public List<ParkedEvent> page(int page, int size) {
        return Jdbc.list(dataSource, "SELECT " + COLUMNS + " FROM parked_events ORDER BY id DESC LIMIT ? OFFSET ?",
                query -> {
                    query.setInt(1, size);
                    query.setLong(2, (long) page * size);
                },
                ParkedEventRepository::map, "listing parked events");
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public long count() {
        return Jdbc.list(dataSource, "SELECT COUNT(*) FROM parked_events", query -> {
        }, row -> row.getLong(1), "counting parked events").get(0);
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public Optional<ParkedEvent> find(long id) {
        return Jdbc.list(dataSource, "SELECT " + COLUMNS + " FROM parked_events WHERE id = ?",
                query -> query.setLong(1, id), ParkedEventRepository::map, "reading a parked event").stream().findFirst();
    }

    /** Marks it replayed; false when another request did so first. */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public boolean markReplayed(long id, String by, Instant now) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement update = connection.prepareStatement("UPDATE parked_events SET replayed_at = ?,"
                        + " replayed_by = ? WHERE id = ? AND replayed_at IS NULL")) {
            Jdbc.setInstant(update, 1, now);
            update.setString(2, cut(by, 100));
            update.setLong(3, id);
            return update.executeUpdate() == 1;
        } catch (SQLException e) {
            throw Jdbc.failure("marking a parked event replayed", e);
        }
    }

    /** Deletes at most {@code limit} events parked before {@code cutoff}; returns how many. */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public int purge(Instant cutoff, int limit) {
        return Jdbc.deleteOlderThan(dataSource, "parked_events", "parked_at", cutoff, limit, "purging parked events");
    }

    private static ParkedEvent map(ResultSet row) throws SQLException {
        return new ParkedEvent(row.getLong(1), new Origin(row.getString(2), row.getInt(3), row.getLong(4),
                row.getString(5), row.getString(6)), row.getString(7), row.getString(8), Jdbc.instant(row.getTimestamp(9)),
                Jdbc.instant(row.getTimestamp(10)), row.getString(11));
    }

    private static String cut(String value, int max) {
        return value == null || value.length() <= max ? value : value.substring(0, max);
    }
}
