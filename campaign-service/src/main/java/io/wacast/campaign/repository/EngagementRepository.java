package io.wacast.campaign.repository;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import io.agroal.api.AgroalDataSource;
import io.wacast.campaign.domain.PhoneHash;

/**
 * Replies, button presses and orders credited to campaigns (V17): who messaged which number when,
 * the credited messages and orders themselves, their per-campaign rollups, and the answers that wait
 * for the wamid they quote. Everything here is written in the applier's batch transaction, after the
 * recipient rows (the lock order of docs/DESIGN.md §7), and read as a few small rows.
 */
@ApplicationScoped
public class EngagementRepository {

    /** What the rollup counts: {@code value} is a reply kind, a button payload, a currency or "". */
    public enum Metric {
        REPLY("reply"),
        BUTTON("button"),
        ORDERS("orders"),
        CONVERTED("converted"),
        REVENUE("revenue");

        final String column;

        Metric(String column) {
            this.column = column;
        }

        static Metric of(String column) {
            for (Metric metric : values()) {
                if (metric.column.equals(column)) {
                    return metric;
                }
            }
            throw new IllegalArgumentException("unknown engagement metric " + column);
        }
    }

    /** A campaign's message to a number (its phone as SHA-256), accepted by Meta at {@code sentAt}. */
    public record Messaged(String phoneHash, long campaignId, long recipientId, Instant sentAt) {
    }

    /** An inbound message credited to a campaign. {@code text} is null unless storage is on. */
    public record Reply(String messageId, long campaignId, long recipientId, String kind, String payload,
            String attributedBy, String text, Instant at) {
    }

    /** An order credited to a campaign. */
    public record Order(String messageId, long campaignId, long recipientId, String attributedBy, Instant at) {
    }

    /**
     * A reply or order waiting for the wamid it quotes, or (quoting nothing: {@code contextWamid} null) for
     * a first send to its number ({@code phoneHash}); {@code engagement} is its JSON.
     */
    public record Awaiting(String eventId, String contextWamid, String phoneHash, String engagement, Instant receivedAt) {
    }

    /** Rollup changes of one transaction, sorted by key so row locks are taken in one order. */
    public static final class Deltas {

        private final TreeMap<String, Object[]> deltas = new TreeMap<>();

        public void add(long campaignId, Metric metric, String value, long amount) {
            String hash = PhoneHash.of(value);
            String key = String.format("%020d|%s|%s", campaignId, metric.column, hash);
            Object[] row = deltas.computeIfAbsent(key, k -> new Object[] {campaignId, metric, hash, value, 0L});
            row[4] = (Long) row[4] + amount;
        }

        public boolean isEmpty() {
            return deltas.isEmpty();
        }
    }

    /** A campaign's rollup rows, by metric, value → amount. */
    public record Totals(Map<Metric, Map<String, Long>> byMetric) {

        public Map<String, Long> of(Metric metric) {
            return byMetric.getOrDefault(metric, Map.of());
        }

        public long sum(Metric metric) {
            return of(metric).values().stream().mapToLong(Long::longValue).sum();
        }
    }

    private final AgroalDataSource dataSource;

    EngagementRepository(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * Every campaign that messaged one of the numbers at or after {@code since}, latest first per
     * number (the primary key's prefix serves the lookup). No locks.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public Map<String, List<Messaged>> messaged(Collection<String> phoneHashes, Instant since) {
        Map<String, List<Messaged>> found = new HashMap<>();
        if (phoneHashes.isEmpty()) {
            return found;
        }
        List<String> hashes = List.copyOf(new HashSet<>(phoneHashes));
        Jdbc.list(dataSource,
                "SELECT phone_hash, campaign_id, recipient_id, sent_at FROM messaged_numbers WHERE phone_hash IN ("
                        + Jdbc.placeholders(hashes.size()) + ") AND sent_at >= ? ORDER BY sent_at DESC, campaign_id DESC",
                query -> {
                    int i = 1;
                    for (String hash : hashes) {
                        query.setString(i++, hash);
                    }
                    Jdbc.setInstant(query, i, since);
                },
                row -> new Messaged(row.getString(1), row.getLong(2), row.getLong(3), Jdbc.instant(row.getTimestamp(4))),
                "finding the campaigns that messaged numbers")
                .forEach(m -> found.computeIfAbsent(m.phoneHash(), h -> new ArrayList<>()).add(m));
        return found;
    }

    /** Records that campaigns messaged numbers; a later send of the same campaign to the number moves the time on. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void recordMessaged(Collection<Messaged> messaged) {
        if (messaged.isEmpty()) {
            return;
        }
        List<Messaged> sorted = messaged.stream()
                .sorted(java.util.Comparator.comparing(Messaged::phoneHash).thenComparingLong(Messaged::campaignId)).toList();
        try (Connection connection = dataSource.getConnection();
                PreparedStatement upsert = connection.prepareStatement("INSERT INTO messaged_numbers"
                        + " (phone_hash, campaign_id, recipient_id, sent_at) VALUES (?, ?, ?, ?)"
                        + " ON DUPLICATE KEY UPDATE recipient_id = VALUES(recipient_id),"
                        + " sent_at = GREATEST(sent_at, VALUES(sent_at))")) {
            for (Messaged m : sorted) {
                upsert.setString(1, m.phoneHash());
                upsert.setLong(2, m.campaignId());
                upsert.setLong(3, m.recipientId());
                Jdbc.setDatetime(upsert, 4, m.sentAt());
                upsert.addBatch();
            }
            upsert.executeBatch();
        } catch (SQLException e) {
            throw Jdbc.failure("recording messaged numbers", e);
        }
    }

    /** The message ids among {@code messageIds} already credited as replies. */
    @Transactional(Transactional.TxType.MANDATORY)
    public Set<String> repliesRecorded(Collection<String> messageIds) {
        return existing("campaign_replies", messageIds);
    }

    /** The message ids among {@code messageIds} already credited as orders. */
    @Transactional(Transactional.TxType.MANDATORY)
    public Set<String> ordersRecorded(Collection<String> messageIds) {
        return existing("campaign_orders", messageIds);
    }

    /** The recipients among {@code recipientIds} with an order credited already. */
    @Transactional(Transactional.TxType.MANDATORY)
    public Set<Long> recipientsWithOrders(Collection<Long> recipientIds) {
        if (recipientIds.isEmpty()) {
            return Set.of();
        }
        List<Long> ids = List.copyOf(new HashSet<>(recipientIds));
        return new HashSet<>(Jdbc.list(dataSource,
                "SELECT DISTINCT recipient_id FROM campaign_orders WHERE recipient_id IN (" + Jdbc.placeholders(ids.size()) + ")",
                query -> {
                    for (int i = 0; i < ids.size(); i++) {
                        query.setLong(i + 1, ids.get(i));
                    }
                },
                row -> row.getLong(1),
                "finding recipients with orders"));
    }

    private Set<String> existing(String table, Collection<String> messageIds) {
        if (messageIds.isEmpty()) {
            return Set.of();
        }
        List<String> ids = List.copyOf(new HashSet<>(messageIds));
        return new HashSet<>(Jdbc.list(dataSource,
                "SELECT message_id FROM " + table + " WHERE message_id IN (" + Jdbc.placeholders(ids.size()) + ")",
                query -> {
                    for (int i = 0; i < ids.size(); i++) {
                        query.setString(i + 1, ids.get(i));
                    }
                },
                row -> row.getString(1),
                "reading credited messages"));
    }

    /** Inserts the replies; a message id already there fails the batch (the caller checked, the key guards). */
    @Transactional(Transactional.TxType.MANDATORY)
    public void recordReplies(Collection<Reply> replies) {
        if (replies.isEmpty()) {
            return;
        }
        try (Connection connection = dataSource.getConnection();
                PreparedStatement insert = connection.prepareStatement("INSERT INTO campaign_replies (message_id,"
                        + " campaign_id, recipient_id, kind, payload, payload_hash, attributed_by, reply_text, replied_at)"
                        + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            for (Reply r : replies) {
                insert.setString(1, r.messageId());
                insert.setLong(2, r.campaignId());
                insert.setLong(3, r.recipientId());
                insert.setString(4, r.kind());
                insert.setString(5, r.payload() == null ? null : truncate(r.payload(), 1024));
                insert.setString(6, r.payload() == null ? null : PhoneHash.of(r.payload()));
                insert.setString(7, r.attributedBy());
                insert.setString(8, r.text() == null ? null : truncate(r.text(), 16_000));
                Jdbc.setInstant(insert, 9, r.at());
                insert.addBatch();
            }
            insert.executeBatch();
        } catch (SQLException e) {
            throw Jdbc.failure("recording replies", e);
        }
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public void recordOrders(Collection<Order> orders) {
        if (orders.isEmpty()) {
            return;
        }
        try (Connection connection = dataSource.getConnection();
                PreparedStatement insert = connection.prepareStatement("INSERT INTO campaign_orders (message_id,"
                        + " campaign_id, recipient_id, attributed_by, ordered_at) VALUES (?, ?, ?, ?, ?)")) {
            for (Order o : orders) {
                insert.setString(1, o.messageId());
                insert.setLong(2, o.campaignId());
                insert.setLong(3, o.recipientId());
                insert.setString(4, o.attributedBy());
                Jdbc.setInstant(insert, 5, o.at());
                insert.addBatch();
            }
            insert.executeBatch();
        } catch (SQLException e) {
            throw Jdbc.failure("recording orders", e);
        }
    }

    /** Creates missing rollup rows, then adds (two batched statements, as the timeline does). */
    @Transactional(Transactional.TxType.MANDATORY)
    public void apply(Deltas deltas) {
        if (deltas.isEmpty()) {
            return;
        }
        try (Connection connection = dataSource.getConnection();
                PreparedStatement create = connection.prepareStatement("INSERT INTO campaign_engagement"
                        + " (campaign_id, metric, value_hash, value) VALUES (?, ?, ?, ?)"
                        + " ON DUPLICATE KEY UPDATE campaign_id = campaign_id");
                PreparedStatement add = connection.prepareStatement("UPDATE campaign_engagement SET amount = amount + ?"
                        + " WHERE campaign_id = ? AND metric = ? AND value_hash = ?")) {
            for (Object[] row : deltas.deltas.values()) {
                create.setLong(1, (Long) row[0]);
                create.setString(2, ((Metric) row[1]).column);
                create.setString(3, (String) row[2]);
                create.setString(4, truncate((String) row[3], 1024));
                create.addBatch();
                add.setLong(1, (Long) row[4]);
                add.setLong(2, (Long) row[0]);
                add.setString(3, ((Metric) row[1]).column);
                add.setString(4, (String) row[2]);
                add.addBatch();
            }
            create.executeBatch();
            add.executeBatch();
        } catch (SQLException e) {
            throw Jdbc.failure("updating the engagement rollups", e);
        }
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public Totals totals(long campaignId) {
        Map<Metric, Map<String, Long>> byMetric = new HashMap<>();
        Jdbc.list(dataSource, "SELECT metric, value, amount FROM campaign_engagement WHERE campaign_id = ? AND amount <> 0"
                        + " ORDER BY metric, amount DESC, value",
                query -> query.setLong(1, campaignId),
                row -> new Object[] {Metric.of(row.getString(1)), row.getString(2), row.getLong(3)},
                "reading the engagement rollups")
                .forEach(r -> byMetric.computeIfAbsent((Metric) r[0], m -> new java.util.LinkedHashMap<>())
                        .put((String) r[1], (Long) r[2]));
        return new Totals(byMetric);
    }

    /** Keeps answers that wait for the wamid they quote or a send to their number; a redelivered one is kept once. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void await(Collection<Awaiting> awaiting) {
        if (awaiting.isEmpty()) {
            return;
        }
        try (Connection connection = dataSource.getConnection();
                PreparedStatement insert = connection.prepareStatement("INSERT INTO awaiting_attribution"
                        + " (event_id, context_wamid, phone_hash, engagement, received_at) VALUES (?, ?, ?, ?, ?)"
                        + " ON DUPLICATE KEY UPDATE event_id = event_id")) {
            for (Awaiting a : awaiting) {
                insert.setString(1, a.eventId());
                insert.setString(2, a.contextWamid() == null ? null : truncate(a.contextWamid(), 191));
                insert.setString(3, a.phoneHash());
                insert.setString(4, a.engagement());
                Jdbc.setInstant(insert, 5, a.receivedAt());
                insert.addBatch();
            }
            insert.executeBatch();
        } catch (SQLException e) {
            throw Jdbc.failure("keeping answers that wait for their send", e);
        }
    }

    /** Takes (reads, locks and deletes) the answers waiting for one of {@code wamids}. */
    @Transactional(Transactional.TxType.MANDATORY)
    public List<Awaiting> takeAwaiting(Collection<String> wamids) {
        List<Awaiting> found = lockAwaiting("context_wamid", wamids);
        forget(found);
        return found;
    }

    /**
     * Reads and locks the answers that quote nothing and wait for a send to one of these numbers
     * ({@code phoneHashes}); the caller {@link #forget}s those it credits.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public List<Awaiting> awaitingSends(Collection<String> phoneHashes) {
        return lockAwaiting("phone_hash", phoneHashes);
    }

    /** Deletes answers that waited and are now credited. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void forget(Collection<Awaiting> credited) {
        if (credited.isEmpty()) {
            return;
        }
        try (Connection connection = dataSource.getConnection();
                PreparedStatement delete = connection.prepareStatement("DELETE FROM awaiting_attribution WHERE event_id = ?")) {
            for (Awaiting a : credited) {
                delete.setString(1, a.eventId());
                delete.addBatch();
            }
            delete.executeBatch();
        } catch (SQLException e) {
            throw Jdbc.failure("deleting answers that waited for their send", e);
        }
    }

    private List<Awaiting> lockAwaiting(String column, Collection<String> keys) {
        if (keys.isEmpty()) {
            return List.of();
        }
        List<String> sorted = keys.stream().sorted().distinct().toList();
        return Jdbc.list(dataSource,
                "SELECT event_id, context_wamid, phone_hash, engagement, received_at FROM awaiting_attribution WHERE "
                        + column + " IN (" + Jdbc.placeholders(sorted.size()) + ") ORDER BY event_id FOR UPDATE",
                query -> {
                    for (int i = 0; i < sorted.size(); i++) {
                        query.setString(i + 1, sorted.get(i));
                    }
                },
                row -> new Awaiting(row.getString(1), row.getString(2), row.getString(3), row.getString(4),
                        Jdbc.instant(row.getTimestamp(5))),
                "finding answers that wait for their send");
    }

    /**
     * Forgets who was messaged before {@code messagedBefore} (older than every window) and answers that
     * waited since before {@code awaitingBefore} for a wamid or a send that never came (another tool's
     * message, or a number no campaign messaged).
     */
    @Transactional
    public int purge(Instant messagedBefore, Instant awaitingBefore, int limit) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement messaged = connection.prepareStatement(
                        "DELETE FROM messaged_numbers WHERE sent_at < ? LIMIT " + limit);
                PreparedStatement awaiting = connection.prepareStatement(
                        "DELETE FROM awaiting_attribution WHERE received_at < ? LIMIT " + limit)) {
            Jdbc.setInstant(messaged, 1, messagedBefore);
            Jdbc.setInstant(awaiting, 1, awaitingBefore);
            return Math.max(messaged.executeUpdate(), awaiting.executeUpdate());
        } catch (SQLException e) {
            throw Jdbc.failure("purging engagement lookups", e);
        }
    }

    private static String truncate(String value, int max) {
        return value.length() <= max ? value : value.substring(0, max);
    }
}
