package io.wacast.campaign.repository;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import io.agroal.api.AgroalDataSource;

/**
 * Ids of the outcomes and events already applied. An id is recorded in the transaction that applies
 * its event, so a redelivered event (same eventId) is recognised and changes nothing; the primary key
 * makes two replicas racing on one event fail one transaction instead of applying it twice.
 */
@ApplicationScoped
public class ProcessedEventRepository {

    private final AgroalDataSource dataSource;

    ProcessedEventRepository(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Which of {@code eventIds} have been applied before. */
    @Transactional(Transactional.TxType.MANDATORY)
    public Set<String> alreadyProcessed(Collection<String> eventIds) {
        Set<String> seen = new HashSet<>();
        if (eventIds.isEmpty()) {
            return seen;
        }
        try (Connection connection = dataSource.getConnection();
                PreparedStatement query = connection.prepareStatement(
                        "SELECT event_id FROM processed_events WHERE event_id IN (" + Jdbc.placeholders(eventIds.size()) + ")")) {
            int i = 1;
            for (String id : eventIds) {
                query.setString(i++, id);
            }
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    seen.add(rows.getString(1));
                }
            }
            return seen;
        } catch (SQLException e) {
            throw Jdbc.failure("reading processed events", e);
        }
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public void record(List<String> eventIds, Instant now) {
        if (eventIds.isEmpty()) {
            return;
        }
        try (Connection connection = dataSource.getConnection();
                PreparedStatement insert = connection.prepareStatement(
                        "INSERT INTO processed_events (event_id, processed_at) VALUES (?, ?)")) {
            String at = Jdbc.datetime(now); // formatted once, not by the driver for every row
            for (String id : eventIds) {
                insert.setString(1, id);
                insert.setString(2, at);
                insert.addBatch();
            }
            insert.executeBatch();
        } catch (SQLException e) {
            throw Jdbc.failure("recording processed events", e);
        }
    }

    /** Forgets ids applied before {@code cutoff}, at most {@code limit} of them; returns how many. */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public int purge(Instant cutoff, int limit) {
        return Jdbc.deleteOlderThan(dataSource, "processed_events", "processed_at", cutoff, limit, "purging processed events");
    }
}
