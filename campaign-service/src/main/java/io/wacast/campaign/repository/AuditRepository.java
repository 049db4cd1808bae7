package io.wacast.campaign.repository;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import io.agroal.api.AgroalDataSource;

/** The audit log of operator changes, {@code audit_log} (V23). */
@ApplicationScoped
public class AuditRepository {

    /**
     * One change an operator asked for; {@code actor} is {@code anonymous} when no key was accepted.
     * {@code service} answered it; {@code eventId} is set for entries that came over {@code wacast.audit}.
     */
    public record AuditEntry(long id, String service, Instant at, String actor, Long actorKeyId, String actorRole,
            String clientAddress, String method, String path, int status) {
    }

    /** Narrows a listing; null fields do not narrow. */
    public record AuditQuery(String service, String actor, Instant since, Instant until) {
    }

    private final AgroalDataSource dataSource;

    AuditRepository(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * Writes the entry in its own transaction: the change it records has committed (or failed) already.
     * An entry whose {@code eventId} was written before (a redelivery) is ignored.
     */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public void record(AuditEntry entry, String eventId) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement insert = connection.prepareStatement("INSERT IGNORE INTO audit_log"
                        + " (at, actor, actor_key_id, actor_role, client_address, method, path, status, service, event_id)"
                        + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            Jdbc.setInstant(insert, 1, entry.at());
            insert.setString(2, entry.actor());
            if (entry.actorKeyId() == null) {
                insert.setNull(3, Types.BIGINT);
            } else {
                insert.setLong(3, entry.actorKeyId());
            }
            insert.setString(4, entry.actorRole());
            insert.setString(5, entry.clientAddress());
            insert.setString(6, entry.method());
            insert.setString(7, entry.path());
            insert.setInt(8, entry.status());
            insert.setString(9, entry.service());
            insert.setString(10, eventId);
            insert.executeUpdate();
        } catch (SQLException e) {
            throw Jdbc.failure("writing the audit log", e);
        }
    }

    /** Newest first. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public List<AuditEntry> page(AuditQuery query, int page, int size) {
        List<Object> values = new ArrayList<>();
        String where = where(query, values);
        return Jdbc.list(dataSource, "SELECT id, service, at, actor, actor_key_id, actor_role, client_address, method, path, status"
                + " FROM audit_log" + where + " ORDER BY id DESC LIMIT ? OFFSET ?",
                statement -> {
                    int i = bind(statement, values);
                    statement.setInt(i++, size);
                    statement.setLong(i, (long) page * size);
                },
                AuditRepository::map, "listing the audit log");
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public long count(AuditQuery query) {
        List<Object> values = new ArrayList<>();
        String where = where(query, values);
        return Jdbc.list(dataSource, "SELECT COUNT(*) FROM audit_log" + where, statement -> bind(statement, values),
                row -> row.getLong(1), "counting the audit log").get(0);
    }

    /** Deletes entries older than {@code before}, at most {@code limit}; returns how many. */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public int purge(Instant before, int limit) {
        return Jdbc.deleteOlderThan(dataSource, "audit_log", "at", before, limit, "purging the audit log");
    }

    private static String where(AuditQuery query, List<Object> values) {
        List<String> conditions = new ArrayList<>();
        if (query.service() != null) {
            conditions.add("service = ?");
            values.add(query.service());
        }
        if (query.actor() != null) {
            conditions.add("actor = ?");
            values.add(query.actor());
        }
        if (query.since() != null) {
            conditions.add("at >= ?");
            values.add(query.since());
        }
        if (query.until() != null) {
            conditions.add("at < ?");
            values.add(query.until());
        }
        return conditions.isEmpty() ? "" : " WHERE " + String.join(" AND ", conditions);
    }

    private static int bind(PreparedStatement statement, List<Object> values) throws SQLException {
        int i = 1;
        for (Object value : values) {
            if (value instanceof Instant instant) {
                Jdbc.setInstant(statement, i++, instant);
            } else {
                statement.setString(i++, (String) value);
            }
        }
        return i;
    }

    private static AuditEntry map(ResultSet row) throws SQLException {
        long keyId = row.getLong(5);
        Long actorKeyId = row.wasNull() ? null : keyId;
        return new AuditEntry(row.getLong(1), row.getString(2), Jdbc.instant(row.getTimestamp(3)), row.getString(4),
                actorKeyId, row.getString(6), row.getString(7), row.getString(8), row.getString(9), row.getInt(10));
    }
}
