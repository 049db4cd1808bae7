package io.wacast.campaign.repository;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import io.agroal.api.AgroalDataSource;

/**
 * How many of a campaign's accepted messages Meta held by template pacing ({@code campaign_pacing},
 * V20): the send answer's {@code message_status} was {@code held_for_quality_assessment} or {@code paused}
 * (docs/META.md, template pacing). Written in the applier's transaction, read by the stats.
 */
@ApplicationScoped
public class PacingRepository {

    /** Meta's {@code message_status} values of a message held for pacing. */
    public static final String HELD_FOR_QUALITY_ASSESSMENT = "held_for_quality_assessment";
    public static final String PAUSED = "paused";
    public static final Set<String> PACED = Set.of(HELD_FOR_QUALITY_ASSESSMENT, PAUSED);

    /** Per campaign, per message status: how many more messages were held. */
    public static final class Deltas {
        private final Map<Long, Map<String, Long>> deltas = new TreeMap<>();

        public void add(long campaignId, String messageStatus) {
            deltas.computeIfAbsent(campaignId, id -> new TreeMap<>()).merge(messageStatus, 1L, Long::sum);
        }

        public boolean isEmpty() {
            return deltas.isEmpty();
        }
    }

    private final AgroalDataSource dataSource;

    PacingRepository(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Rows in (campaign, status) order, like every rollup the applier writes after the recipients. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void apply(Deltas deltas) {
        if (deltas.isEmpty()) {
            return;
        }
        try (Connection connection = dataSource.getConnection();
                PreparedStatement upsert = connection.prepareStatement(
                        "INSERT INTO campaign_pacing (campaign_id, message_status, messages) VALUES (?, ?, ?)"
                                + " ON DUPLICATE KEY UPDATE messages = messages + VALUES(messages)")) {
            for (var campaign : deltas.deltas.entrySet()) {
                for (var status : campaign.getValue().entrySet()) {
                    upsert.setLong(1, campaign.getKey());
                    upsert.setString(2, status.getKey());
                    upsert.setLong(3, status.getValue());
                    upsert.addBatch();
                }
            }
            upsert.executeBatch();
        } catch (SQLException e) {
            throw Jdbc.failure("updating pacing counts", e);
        }
    }

    /** The campaign's held messages by message status (absent: none). */
    @Transactional(Transactional.TxType.SUPPORTS)
    public Map<String, Long> read(long campaignId) {
        Map<String, Long> counts = new HashMap<>();
        try (Connection connection = dataSource.getConnection();
                PreparedStatement select = connection.prepareStatement(
                        "SELECT message_status, messages FROM campaign_pacing WHERE campaign_id = ?")) {
            select.setLong(1, campaignId);
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    counts.put(rows.getString(1), rows.getLong(2));
                }
            }
        } catch (SQLException e) {
            throw Jdbc.failure("reading pacing counts", e);
        }
        return counts;
    }
}
