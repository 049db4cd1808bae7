package io.wacast.campaign.repository;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import io.agroal.api.AgroalDataSource;
import io.wacast.campaign.domain.ResendState;

/**
 * The rollups behind the stats API besides the status counters: per-minute timeline buckets and
 * failures by Meta error code. Like the counters, they change in the transaction that changes the
 * recipient rows, and are read as a few small rows, never by scanning recipients.
 */
@ApplicationScoped
public class StatsRepository {

    /** One minute (UTC) of transitions. {@code attempts}: send attempts that settled in that minute. */
    public record Bucket(Instant minute, long sent, long delivered, long read, long failed, long attempts) {
    }

    /** Failures of one Meta error code. */
    public record ErrorCount(int code, long recipients) {
    }

    /** A failed recipient, for the sample in the stats. */
    public record Failure(long recipientId, String phone, Integer code, String message, Instant at) {
    }

    /** Timeline changes of one transaction, sorted by (campaign, minute) so locks are taken in order. */
    public static final class TimelineDeltas {

        public static final int SENT = 0;
        public static final int DELIVERED = 1;
        public static final int READ = 2;
        public static final int FAILED = 3;
        public static final int ATTEMPTS = 4;

        private final TreeMap<Long, TreeMap<Instant, long[]>> deltas = new TreeMap<>();

        public void add(long campaignId, Instant at, int column) {
            deltas.computeIfAbsent(campaignId, id -> new TreeMap<>())
                    .computeIfAbsent(at.truncatedTo(ChronoUnit.MINUTES), minute -> new long[5])[column]++;
        }

        public boolean isEmpty() {
            return deltas.isEmpty();
        }
    }

    /** Error-code changes of one transaction: (campaign, code) → delta, sorted. */
    public static final class ErrorDeltas {

        private final TreeMap<Long, TreeMap<Integer, Long>> deltas = new TreeMap<>();

        public void add(long campaignId, int code, long delta) {
            deltas.computeIfAbsent(campaignId, id -> new TreeMap<>()).merge(code, delta, Long::sum);
        }

        public boolean isEmpty() {
            return deltas.values().stream().allMatch(codes -> codes.values().stream().allMatch(d -> d == 0));
        }
    }

    private final AgroalDataSource dataSource;

    StatsRepository(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Creates missing buckets, then adds: two batched statements that work on MySQL 8 and MariaDB. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void apply(TimelineDeltas timeline) {
        if (timeline.isEmpty()) {
            return;
        }
        try (Connection connection = dataSource.getConnection();
                PreparedStatement create = connection.prepareStatement(
                        "INSERT INTO campaign_timeline (campaign_id, minute) VALUES (?, ?)"
                                // not INSERT IGNORE: that turns any error, a lock wait timeout too, into a
                                // warning, and the UPDATE below would then add to a row that is not there
                                + " ON DUPLICATE KEY UPDATE campaign_id = campaign_id");
                PreparedStatement add = connection.prepareStatement("UPDATE campaign_timeline SET sent = sent + ?,"
                        + " delivered = delivered + ?, read_count = read_count + ?, failed = failed + ?,"
                        + " attempts = attempts + ? WHERE campaign_id = ? AND minute = ?")) {
            for (var campaign : timeline.deltas.entrySet()) {
                for (var bucket : campaign.getValue().entrySet()) {
                    create.setLong(1, campaign.getKey());
                    Jdbc.setInstant(create, 2, bucket.getKey());
                    create.addBatch();
                    long[] d = bucket.getValue();
                    for (int i = 0; i < d.length; i++) {
                        add.setLong(i + 1, d[i]);
                    }
                    add.setLong(6, campaign.getKey());
                    Jdbc.setInstant(add, 7, bucket.getKey());
                    add.addBatch();
                }
            }
            create.executeBatch();
            add.executeBatch();
        } catch (SQLException e) {
            throw Jdbc.failure("updating the campaign timeline", e);
        }
    }

    /**
     * Deletes the timeline and error rows of a campaign being deleted: they have no foreign key to
     * cascade from (V6: checking one would lock the campaign row inside every applier batch).
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void forget(long campaignId) {
        Jdbc.deleteOfCampaign(dataSource, campaignId, "deleting the campaign's rollups", "campaign_timeline", "campaign_errors");
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public void apply(ErrorDeltas errors) {
        if (errors.isEmpty()) {
            return;
        }
        try (Connection connection = dataSource.getConnection();
                PreparedStatement create = connection.prepareStatement(
                        "INSERT INTO campaign_errors (campaign_id, error_code) VALUES (?, ?) ON DUPLICATE KEY UPDATE campaign_id = campaign_id");
                PreparedStatement add = connection.prepareStatement(
                        "UPDATE campaign_errors SET recipients = recipients + ? WHERE campaign_id = ? AND error_code = ?")) {
            for (var campaign : errors.deltas.entrySet()) {
                for (Map.Entry<Integer, Long> code : campaign.getValue().entrySet()) {
                    if (code.getValue() == 0) {
                        continue;
                    }
                    create.setLong(1, campaign.getKey());
                    create.setInt(2, code.getKey());
                    create.addBatch();
                    add.setLong(1, code.getValue());
                    add.setLong(2, campaign.getKey());
                    add.setInt(3, code.getKey());
                    add.addBatch();
                }
            }
            create.executeBatch();
            add.executeBatch();
        } catch (SQLException e) {
            throw Jdbc.failure("updating the campaign error breakdown", e);
        }
    }

    /** The sums of every bucket of the campaign, or of those from {@code since} on. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public Bucket totals(long campaignId, Instant since) {
        String sql = "SELECT COALESCE(SUM(sent), 0), COALESCE(SUM(delivered), 0), COALESCE(SUM(read_count), 0),"
                + " COALESCE(SUM(failed), 0), COALESCE(SUM(attempts), 0) FROM campaign_timeline WHERE campaign_id = ?"
                + (since == null ? "" : " AND minute >= ?");
        try (Connection connection = dataSource.getConnection(); PreparedStatement query = connection.prepareStatement(sql)) {
            query.setLong(1, campaignId);
            if (since != null) {
                Jdbc.setInstant(query, 2, since.truncatedTo(ChronoUnit.MINUTES));
            }
            try (ResultSet rows = query.executeQuery()) {
                rows.next();
                return new Bucket(since, rows.getLong(1), rows.getLong(2), rows.getLong(3), rows.getLong(4), rows.getLong(5));
            }
        } catch (SQLException e) {
            throw Jdbc.failure("summing the campaign timeline", e);
        }
    }

    /** The latest {@code limit} buckets with activity, oldest first. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public List<Bucket> timeline(long campaignId, int limit) {
        List<Bucket> buckets = new ArrayList<>(Jdbc.list(dataSource,
                "SELECT minute, sent, delivered, read_count, failed, attempts FROM campaign_timeline"
                        + " WHERE campaign_id = ? ORDER BY minute DESC LIMIT ?",
                query -> {
                    query.setLong(1, campaignId);
                    query.setInt(2, limit);
                },
                row -> new Bucket(Jdbc.instant(row.getTimestamp(1)), row.getLong(2), row.getLong(3), row.getLong(4),
                        row.getLong(5), row.getLong(6)),
                "reading the campaign timeline"));
        Collections.reverse(buckets);
        return buckets;
    }

    /** Codes with at least one recipient, most frequent first. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public List<ErrorCount> errors(long campaignId) {
        return Jdbc.list(dataSource,
                "SELECT error_code, recipients FROM campaign_errors WHERE campaign_id = ? AND recipients > 0"
                        + " ORDER BY recipients DESC, error_code",
                query -> query.setLong(1, campaignId),
                row -> new ErrorCount(row.getInt(1), row.getLong(2)),
                "reading the campaign error breakdown");
    }

    /** Recipients the unknown safety net re-sent once, and those it kept unknown for good. */
    public record ResendDecisions(long resent, long kept) {
    }

    /** Counts only the decided rows, in the (campaign, resend_state) index (V7): no scan of the campaign. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public ResendDecisions resendDecisions(long campaignId) {
        Map<ResendState, Long> counts = new EnumMap<>(ResendState.class);
        Jdbc.list(dataSource,
                "SELECT resend_state, COUNT(*) FROM recipients WHERE campaign_id = ? AND resend_state IS NOT NULL"
                        + " GROUP BY resend_state",
                query -> query.setLong(1, campaignId),
                row -> Map.entry(ResendState.fromString(row.getString(1)), row.getLong(2)),
                "counting the decisions on unknown recipients")
                .forEach(count -> counts.put(count.getKey(), count.getValue()));
        return new ResendDecisions(counts.getOrDefault(ResendState.RESENT, 0L), counts.getOrDefault(ResendState.KEPT, 0L));
    }

    /** The first failed recipients (served by the (campaign, status, id) index: no scan). */
    @Transactional(Transactional.TxType.SUPPORTS)
    public List<Failure> sampleFailures(long campaignId, int limit) {
        return Jdbc.list(dataSource,
                "SELECT id, phone_e164, last_error_code, last_error_message, updated_at FROM recipients"
                        + " WHERE campaign_id = ? AND status = 'failed' ORDER BY id LIMIT ?",
                query -> {
                    query.setLong(1, campaignId);
                    query.setInt(2, limit);
                },
                row -> {
                    int code = row.getInt(3);
                    Integer errorCode = row.wasNull() ? null : code;
                    return new Failure(row.getLong(1), row.getString(2), errorCode, row.getString(4),
                            Jdbc.instant(row.getTimestamp(5)));
                },
                "sampling failed recipients");
    }
}
