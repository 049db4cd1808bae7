package io.wacast.campaign.repository;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.agroal.api.AgroalDataSource;

/**
 * The transactional outbox: a message is written in the transaction of the state change that causes
 * it, and the relay deletes it only after Kafka acknowledged it. A crash in between publishes the
 * same message again, which every consumer tolerates (same jobId, same control version).
 */
@ApplicationScoped
public class OutboxRepository {

    /** One message waiting to be published. */
    public record Message(long id, String topic, String key, String payload) {
    }

    private final AgroalDataSource dataSource;
    private final ObjectMapper json;

    OutboxRepository(AgroalDataSource dataSource, ObjectMapper json) {
        this.dataSource = dataSource;
        this.json = json;
    }

    /** Must run inside the caller's transaction. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void enqueue(String topic, String key, Object payload) {
        enqueueAll(topic, List.of(new Pending(key, payload)));
    }

    /** A message for {@link #enqueueAll}. */
    public record Pending(String key, Object payload) {
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public void enqueueAll(String topic, List<Pending> messages) {
        if (messages.isEmpty()) {
            return;
        }
        Instant now = Instant.now();
        try (Connection connection = dataSource.getConnection();
                PreparedStatement insert = connection.prepareStatement(
                        "INSERT INTO outbox (topic, message_key, payload, created_at) VALUES (?, ?, ?, ?)")) {
            for (Pending message : messages) {
                insert.setString(1, topic);
                insert.setString(2, message.key());
                insert.setString(3, json.writeValueAsString(message.payload()));
                Jdbc.setInstant(insert, 4, now);
                insert.addBatch();
            }
            insert.executeBatch();
        } catch (SQLException e) {
            throw Jdbc.failure("writing the outbox", e);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise an outbox message", e);
        }
    }

    /**
     * The oldest unpublished messages, locked until the caller's transaction ends; rows another
     * replica's relay holds are skipped, so relays on several replicas share the work.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public List<Message> claim(int limit) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement query = connection.prepareStatement(
                        "SELECT id, topic, message_key, payload FROM outbox ORDER BY id LIMIT ? FOR UPDATE SKIP LOCKED")) {
            query.setInt(1, limit);
            List<Message> messages = new ArrayList<>();
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    messages.add(new Message(rows.getLong(1), rows.getString(2), rows.getString(3), rows.getString(4)));
                }
            }
            return messages;
        } catch (SQLException e) {
            throw Jdbc.failure("claiming outbox messages", e);
        }
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public void delete(List<Message> messages) {
        if (messages.isEmpty()) {
            return;
        }
        try (Connection connection = dataSource.getConnection();
                PreparedStatement delete = connection.prepareStatement(
                        "DELETE FROM outbox WHERE id IN (" + Jdbc.placeholders(messages.size()) + ")")) {
            for (int i = 0; i < messages.size(); i++) {
                delete.setLong(i + 1, messages.get(i).id());
            }
            delete.executeUpdate();
        } catch (SQLException e) {
            throw Jdbc.failure("deleting published outbox messages", e);
        }
    }
}
