package io.wacast.campaign.repository;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.agroal.api.AgroalDataSource;
import io.wacast.common.WireNames;
import io.wacast.common.status.RecipientStatus;

/**
 * Recipient rows for exports, streamed from the server one at a time (Connector/J's streaming result
 * set): a million rows never sit in the service's memory, and the export is one consistent snapshot.
 * Runs outside any transaction on a connection of its own, held for as long as the client reads.
 */
@ApplicationScoped
public class ExportRepository {

    /** One exported recipient. */
    public record Row(long id, String phone, String name, RecipientStatus status, Instant queuedAt, Instant updatedAt,
            String wamid, Integer errorCode, String errorMessage) {
    }

    /** Receives rows as they arrive; may throw the I/O failure of a client that went away. */
    @FunctionalInterface
    public interface Sink {
        void accept(Row row) throws java.io.IOException;
    }

    private final AgroalDataSource dataSource;

    ExportRepository(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Every recipient of the campaign in {@code statuses} (all when empty), in id order; returns how many. */
    public long recipients(long campaignId, List<RecipientStatus> statuses, Sink sink) throws java.io.IOException {
        String sql = "SELECT id, phone_e164, name, status, queued_at, updated_at, wamid, last_error_code, last_error_message"
                + " FROM recipients WHERE campaign_id = ?"
                + (statuses.isEmpty() ? "" : " AND status IN (" + Jdbc.placeholders(statuses.size()) + ")")
                + " ORDER BY id";
        long count = 0;
        try (Connection connection = dataSource.getConnection();
                PreparedStatement query = connection.prepareStatement(sql, ResultSet.TYPE_FORWARD_ONLY,
                        ResultSet.CONCUR_READ_ONLY)) {
            // Connector/J streams the result row by row only with exactly this fetch size
            query.setFetchSize(Integer.MIN_VALUE);
            int i = 1;
            query.setLong(i++, campaignId);
            for (RecipientStatus status : statuses) {
                query.setString(i++, WireNames.of(status));
            }
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    int code = rows.getInt(8);
                    Integer errorCode = rows.wasNull() ? null : code;
                    sink.accept(new Row(rows.getLong(1), rows.getString(2), rows.getString(3),
                            RecipientStatus.fromString(rows.getString(4)), Jdbc.instant(rows.getTimestamp(5)),
                            Jdbc.instant(rows.getTimestamp(6)), rows.getString(7), errorCode, rows.getString(9)));
                    count++;
                }
            }
            return count;
        } catch (SQLException e) {
            throw Jdbc.failure("exporting recipients", e);
        }
    }
}
