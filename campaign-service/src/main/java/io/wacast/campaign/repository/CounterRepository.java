package io.wacast.campaign.repository;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.EnumMap;
import java.util.Map;
import java.util.TreeMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import io.agroal.api.AgroalDataSource;
import io.wacast.common.WireNames;
import io.wacast.common.status.RecipientStatus;

/**
 * How many recipients of each campaign are in each status, kept exact by changing the counter rows
 * in the same transaction as the recipient rows. Stats read a dozen rows instead of counting
 * millions. Callers lock recipient rows before counter rows, everywhere, so they cannot deadlock.
 */
@ApplicationScoped
public class CounterRepository {

    /** Counter changes of one transaction: campaign id → status → delta. Sorted, so locks are taken in order. */
    public static final class Deltas {

        private final TreeMap<Long, EnumMap<RecipientStatus, Long>> deltas = new TreeMap<>();

        public void add(long campaignId, RecipientStatus status, long delta) {
            if (delta != 0) {
                deltas.computeIfAbsent(campaignId, id -> new EnumMap<>(RecipientStatus.class)).merge(status, delta, Long::sum);
            }
        }

        public void move(long campaignId, RecipientStatus from, RecipientStatus to, long count) {
            if (from != to) {
                add(campaignId, from, -count);
                add(campaignId, to, count);
            }
        }

        public boolean isEmpty() {
            return deltas.values().stream().allMatch(perStatus -> perStatus.values().stream().allMatch(d -> d == 0));
        }

        public java.util.Set<Long> campaigns() {
            return deltas.keySet();
        }
    }

    private final AgroalDataSource dataSource;

    CounterRepository(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** One zero row per status, created with the campaign so later changes are plain UPDATEs. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void create(long campaignId) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement insert = connection.prepareStatement(
                        "INSERT INTO campaign_counters (campaign_id, status, recipients) VALUES (?, ?, 0)")) {
            for (RecipientStatus status : RecipientStatus.values()) {
                insert.setLong(1, campaignId);
                insert.setString(2, WireNames.of(status));
                insert.addBatch();
            }
            insert.executeBatch();
        } catch (SQLException e) {
            throw Jdbc.failure("creating campaign counters", e);
        }
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public void apply(Deltas deltas) {
        if (deltas.isEmpty()) {
            return;
        }
        try (Connection connection = dataSource.getConnection();
                PreparedStatement update = connection.prepareStatement(
                        "UPDATE campaign_counters SET recipients = recipients + ? WHERE campaign_id = ? AND status = ?")) {
            for (var campaign : deltas.deltas.entrySet()) {
                for (var status : campaign.getValue().entrySet()) {
                    if (status.getValue() != 0) {
                        update.setLong(1, status.getValue());
                        update.setLong(2, campaign.getKey());
                        update.setString(3, WireNames.of(status.getKey()));
                        update.addBatch();
                    }
                }
            }
            update.executeBatch();
        } catch (SQLException e) {
            throw Jdbc.failure("updating campaign counters", e);
        }
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public Map<RecipientStatus, Long> read(long campaignId) {
        Map<RecipientStatus, Long> counts = new EnumMap<>(RecipientStatus.class);
        for (RecipientStatus status : RecipientStatus.values()) {
            counts.put(status, 0L);
        }
        try (Connection connection = dataSource.getConnection();
                PreparedStatement query = connection.prepareStatement(
                        "SELECT status, recipients FROM campaign_counters WHERE campaign_id = ?")) {
            query.setLong(1, campaignId);
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    counts.put(RecipientStatus.fromString(rows.getString(1)), rows.getLong(2));
                }
            }
            return counts;
        } catch (SQLException e) {
            throw Jdbc.failure("reading campaign counters", e);
        }
    }
}
