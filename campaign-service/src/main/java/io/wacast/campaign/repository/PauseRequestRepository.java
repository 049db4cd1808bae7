package io.wacast.campaign.repository;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import io.agroal.api.AgroalDataSource;

/**
 * Pauses the applier owes campaigns: recorded with the batch that calls for them and taken by the
 * transaction that performs them, so a pause survives a crash or a failure right after the batch commit.
 */
@ApplicationScoped
public class PauseRequestRepository {

    /** A pause of one campaign, or of every sending campaign on its number ({@code accountStop}). */
    public record PauseRequest(long campaignId, boolean accountStop, String reason) {
    }

    private final AgroalDataSource dataSource;

    PauseRequestRepository(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Records the requests (reasons by campaign id); a request already waiting keeps its first reason. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void request(Map<Long, String> reasons, boolean accountStop, Instant now) {
        if (reasons.isEmpty()) {
            return;
        }
        try (Connection connection = dataSource.getConnection();
                PreparedStatement insert = connection.prepareStatement("INSERT INTO campaign_pause_requests"
                        + " (campaign_id, account_stop, reason, requested_at) VALUES (?, ?, ?, ?)"
                        + " ON DUPLICATE KEY UPDATE reason = reason")) {
            for (Map.Entry<Long, String> request : reasons.entrySet()) {
                String reason = request.getValue();
                insert.setLong(1, request.getKey());
                insert.setBoolean(2, accountStop);
                insert.setString(3, reason.length() <= 500 ? reason : reason.substring(0, 500));
                Jdbc.setInstant(insert, 4, now);
                insert.addBatch();
            }
            insert.executeBatch();
        } catch (SQLException e) {
            throw Jdbc.failure("recording pause requests", e);
        }
    }

    /** Every request not performed yet, oldest first (no locks). */
    @Transactional(Transactional.TxType.SUPPORTS)
    public List<PauseRequest> outstanding() {
        return Jdbc.list(dataSource,
                "SELECT campaign_id, account_stop, reason FROM campaign_pause_requests ORDER BY requested_at, campaign_id LIMIT 1000",
                query -> {
                },
                row -> new PauseRequest(row.getLong(1), row.getBoolean(2), row.getString(3)),
                "reading pause requests");
    }

    /** Deletes the request; false when another transaction performed it already. */
    @Transactional(Transactional.TxType.MANDATORY)
    public boolean take(PauseRequest request) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement delete = connection.prepareStatement(
                        "DELETE FROM campaign_pause_requests WHERE campaign_id = ? AND account_stop = ?")) {
            delete.setLong(1, request.campaignId());
            delete.setBoolean(2, request.accountStop());
            return delete.executeUpdate() == 1;
        } catch (SQLException e) {
            throw Jdbc.failure("taking a pause request", e);
        }
    }
}
