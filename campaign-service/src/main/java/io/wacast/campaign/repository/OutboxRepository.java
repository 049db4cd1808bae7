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

import com.mysql.cj.jdbc.JdbcConnection;

import io.agroal.api.AgroalDataSource;

/**
 * The transactional outbox: a message is written in the transaction of the state change that causes
 * it, and the relay deletes it only after Kafka acknowledged it. A crash in between publishes the
 * same message again, which every consumer tolerates (same jobId, same control version).
 */
@ApplicationScoped
public class OutboxRepository {

    /** One message waiting to be published; the messages of a batch row share its id. */
    public record Message(long id, String topic, String key, String payload) {
    }

    /** {@code message_key} of a row that carries several messages, each with its own key. */
    static final String BATCH_KEY = "*";

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
     * Writes the messages as one row, one {@code key<TAB>value} line each, deflated: a dispatch round
     * of thousands of jobs costs one insert and one delete instead of thousands, and is still
     * published whole and deleted only after every message was acknowledged. Deflated (a tenth of the
     * JSON's bytes for MariaDB to parse, log, undo and purge) and bound through a server-side
     * statement: the driver sends the bytes as they are, where a client-side one escapes every byte
     * of the literal, once a third of the dispatcher's CPU (BENCHMARKS.md "Dispatch").
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void enqueueBatch(String topic, List<Pending> messages) {
        if (messages.size() <= 1) {
            enqueueAll(topic, messages);
            return;
        }
        StringBuilder payload = new StringBuilder(messages.size() * 512);
        try {
            for (Pending message : messages) {
                String value = json.writeValueAsString(message.payload());
                if (message.key().indexOf('\t') >= 0 || message.key().indexOf('\n') >= 0 || value.indexOf('\n') >= 0) {
                    throw new IllegalStateException("an outbox message of a batch contains a tab or line break");
                }
                if (payload.length() > 0) {
                    payload.append('\n');
                }
                payload.append(message.key()).append('\t').append(value);
            }
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise an outbox message", e);
        }
        try (Connection connection = dataSource.getConnection();
                PreparedStatement insert = connection.unwrap(JdbcConnection.class).serverPrepareStatement(
                        "INSERT INTO outbox (topic, message_key, batch, created_at, messages) VALUES (?, ?, ?, ?, ?)")) {
            insert.setString(1, topic);
            insert.setString(2, BATCH_KEY);
            insert.setBytes(3, Deflated.of(payload));
            Jdbc.setInstant(insert, 4, Instant.now());
            insert.setInt(5, messages.size());
            insert.executeUpdate();
        } catch (SQLException e) {
            throw Jdbc.failure("writing the outbox", e);
        }
    }

    /**
     * The oldest unpublished messages, about {@code limit} of them (whole rows: at least one row,
     * then rows while the total stays under the limit), locked until the caller's transaction ends;
     * rows another replica's relay holds are skipped, so relays on several replicas share the work.
     * Must be the first statement of its transaction, which it runs at READ COMMITTED: at REPEATABLE
     * READ the claim would also lock the gap after the last row while Kafka acknowledges, and every
     * insert into the outbox (the dispatcher's next round) would wait for it.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public List<Message> claimRows(int limit) {
        try (Connection connection = dataSource.getConnection()) {
            connection.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
            List<Long> ids = new ArrayList<>();
            try (PreparedStatement lock = connection.prepareStatement(
                    "SELECT id, messages FROM outbox ORDER BY id LIMIT ? FOR UPDATE SKIP LOCKED")) {
                lock.setInt(1, limit);
                long total = 0;
                try (ResultSet rows = lock.executeQuery()) {
                    while (rows.next() && (ids.isEmpty() || total + rows.getInt(2) <= limit)) {
                        ids.add(rows.getLong(1));
                        total += rows.getInt(2);
                    }
                }
            }
            List<Message> messages = new ArrayList<>();
            if (ids.isEmpty()) {
                return messages;
            }
            try (PreparedStatement query = connection.prepareStatement("SELECT id, topic, message_key, payload, messages, batch"
                    + " FROM outbox WHERE id IN (" + Jdbc.placeholders(ids.size()) + ") ORDER BY id")) {
                for (int i = 0; i < ids.size(); i++) {
                    query.setLong(i + 1, ids.get(i));
                }
                try (ResultSet rows = query.executeQuery()) {
                    while (rows.next()) {
                        long id = rows.getLong(1);
                        String topic = rows.getString(2);
                        if (rows.getInt(5) == 1) {
                            messages.add(new Message(id, topic, rows.getString(3), rows.getString(4)));
                            continue;
                        }
                        byte[] batch = rows.getBytes(6);
                        String lines = batch == null ? rows.getString(4) : Deflated.text(batch);
                        for (String line : lines.split("\n")) {
                            int tab = line.indexOf('\t');
                            messages.add(new Message(id, topic, line.substring(0, tab), line.substring(tab + 1)));
                        }
                    }
                }
            }
            return messages;
        } catch (SQLException e) {
            throw Jdbc.failure("claiming outbox messages", e);
        }
    }

    /** Deletes the rows of the messages (a batch row once, with all its messages). */
    @Transactional(Transactional.TxType.MANDATORY)
    public void delete(List<Message> messages) {
        List<Long> ids = messages.stream().map(Message::id).distinct().toList();
        if (ids.isEmpty()) {
            return;
        }
        try (Connection connection = dataSource.getConnection();
                PreparedStatement delete = connection.prepareStatement(
                        "DELETE FROM outbox WHERE id IN (" + Jdbc.placeholders(ids.size()) + ")")) {
            for (int i = 0; i < ids.size(); i++) {
                delete.setLong(i + 1, ids.get(i));
            }
            delete.executeUpdate();
        } catch (SQLException e) {
            throw Jdbc.failure("deleting published outbox messages", e);
        }
    }
}
