package io.wacast.campaign.repository;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import io.agroal.api.AgroalDataSource;
import io.wacast.campaign.domain.FollowUpOutcome;
import io.wacast.campaign.domain.JsonColumns;
import io.wacast.common.WireNames;

/**
 * Follow-ups (V14): which campaign follows up which, and which follow-up took each source recipient
 * per outcome. The primary key of {@code follow_up_recipients} is what keeps a recipient out of two
 * follow-ups of the same source for the same outcome, also when two are created at once.
 */
@ApplicationScoped
public class FollowUpRepository {

    /** A follow-up as its source lists it. */
    public record FollowUp(long campaignId, long sourceCampaignId, FollowUpOutcome outcome, Integer afterHours,
            Instant createdAt, String payload) {

        public FollowUp(long campaignId, long sourceCampaignId, FollowUpOutcome outcome, Integer afterHours,
                Instant createdAt) {
            this(campaignId, sourceCampaignId, outcome, afterHours, createdAt, null);
        }
    }

    /**
     * A recipient of the source in the outcome's status. {@code suppressed}: the number is on the
     * suppression list now; {@code taken}: a follow-up of this source and outcome already has it.
     */
    public record Candidate(long id, String phone, String name, Map<String, String> variables, Integer errorCode,
            Instant updatedAt, boolean suppressed, boolean taken) {
    }

    private final AgroalDataSource dataSource;

    FollowUpRepository(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public void record(FollowUp followUp) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement insert = connection.prepareStatement("INSERT INTO campaign_follow_ups"
                        + " (campaign_id, source_campaign_id, outcome, after_hours, created_at, payload)"
                        + " VALUES (?, ?, ?, ?, ?, ?)")) {
            insert.setLong(1, followUp.campaignId());
            insert.setLong(2, followUp.sourceCampaignId());
            insert.setString(3, followUp.outcome().value());
            Jdbc.setNullableInt(insert, 4, followUp.afterHours());
            Jdbc.setInstant(insert, 5, followUp.createdAt());
            insert.setString(6, followUp.payload());
            insert.executeUpdate();
        } catch (SQLException e) {
            throw Jdbc.failure("recording a follow-up", e);
        }
    }

    /**
     * The next {@code limit} recipients of the source after {@code afterId} standing in the outcome's
     * status, in id order (the (campaign, status, id) index), with whether each is suppressed or taken.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public List<Candidate> candidates(long sourceId, FollowUpOutcome outcome, long afterId, int limit) {
        return candidates(sourceId, outcome, null, afterId, limit);
    }

    /**
     * As {@link #candidates(long, FollowUpOutcome, long, int)}; for {@code clicked}, the recipients who
     * pressed the button with {@code payload}, whatever their status (the (campaign, payload hash,
     * recipient) index of the credited replies, V17).
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public List<Candidate> candidates(long sourceId, FollowUpOutcome outcome, String payload, long afterId, int limit) {
        if (outcome == FollowUpOutcome.CLICKED) {
            return Jdbc.list(dataSource,
                    "SELECT r.id, r.phone_e164, r.name, r.variables, r.last_error_code, r.updated_at,"
                            + " o.phone_hash IS NOT NULL, f.source_recipient_id IS NOT NULL"
                            + " FROM (SELECT DISTINCT recipient_id FROM campaign_replies WHERE campaign_id = ?"
                            + " AND payload_hash = ? AND recipient_id > ? ORDER BY recipient_id LIMIT ?) c"
                            + " JOIN recipients r ON r.id = c.recipient_id"
                            + " LEFT JOIN opt_outs o ON o.phone_hash = SHA2(r.phone_e164, 256)"
                            + " LEFT JOIN follow_up_recipients f ON f.source_campaign_id = r.campaign_id AND f.outcome = ?"
                            + " AND f.source_recipient_id = r.id"
                            + " ORDER BY r.id",
                    query -> {
                        query.setLong(1, sourceId);
                        query.setString(2, io.wacast.campaign.domain.PhoneHash.of(payload));
                        query.setLong(3, afterId);
                        query.setInt(4, limit);
                        query.setString(5, outcome.key(payload));
                    },
                    FollowUpRepository::candidate,
                    "reading the recipients of a campaign who pressed a button");
        }
        return Jdbc.list(dataSource,
                "SELECT r.id, r.phone_e164, r.name, r.variables, r.last_error_code, r.updated_at,"
                        + " o.phone_hash IS NOT NULL, f.source_recipient_id IS NOT NULL"
                        + " FROM recipients r"
                        // by hash (V10): an erased contact's opt-out keeps only the hash of its number, and its
                        // phone_e164 is NULL, so whether a row joined is read from the hash, never the number
                        + " LEFT JOIN opt_outs o ON o.phone_hash = SHA2(r.phone_e164, 256)"
                        + " LEFT JOIN follow_up_recipients f ON f.source_campaign_id = r.campaign_id AND f.outcome = ?"
                        + " AND f.source_recipient_id = r.id"
                        + " WHERE r.campaign_id = ? AND r.status = ? AND r.id > ? ORDER BY r.id LIMIT ?",
                query -> {
                    query.setString(1, outcome.value());
                    query.setLong(2, sourceId);
                    query.setString(3, WireNames.of(outcome.status()));
                    query.setLong(4, afterId);
                    query.setInt(5, limit);
                },
                FollowUpRepository::candidate,
                "reading the recipients of a follow-up's source");
    }

    private static Candidate candidate(java.sql.ResultSet row) throws SQLException {
        int code = row.getInt(5);
        Integer errorCode = row.wasNull() ? null : code;
        return new Candidate(row.getLong(1), row.getString(2), row.getString(3),
                JsonColumns.readStringMap(row.getString(4)), errorCode, Jdbc.instant(row.getTimestamp(6)),
                row.getBoolean(7), row.getBoolean(8));
    }

    /**
     * Takes {@code sourceRecipientIds} for the follow-up {@code campaignId} and returns those it got:
     * a recipient another follow-up of the same source and outcome holds (committed, or committing
     * now: the insert waits for its row lock) stays with that one. Rows are inserted in id order, so
     * two follow-ups taking the same recipients wait for each other instead of deadlocking.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public Set<Long> take(long sourceId, FollowUpOutcome outcome, long campaignId, List<Long> sourceRecipientIds) {
        return take(sourceId, outcome.value(), campaignId, sourceRecipientIds);
    }

    /** As above, with the outcome as {@link FollowUpOutcome#key} keys it. */
    @Transactional(Transactional.TxType.MANDATORY)
    public Set<Long> take(long sourceId, String outcomeKey, long campaignId, List<Long> sourceRecipientIds) {
        if (sourceRecipientIds.isEmpty()) {
            return Set.of();
        }
        List<Long> sorted = sourceRecipientIds.stream().sorted().toList();
        try (Connection connection = dataSource.getConnection();
                PreparedStatement insert = connection.prepareStatement("INSERT INTO follow_up_recipients"
                        + " (source_campaign_id, outcome, source_recipient_id, campaign_id) VALUES (?, ?, ?, ?)"
                        // a no-op where another follow-up holds the recipient; unlike INSERT IGNORE, any
                        // other error fails the statement
                        + " ON DUPLICATE KEY UPDATE campaign_id = campaign_id")) {
            for (long id : sorted) {
                insert.setLong(1, sourceId);
                insert.setString(2, outcomeKey);
                insert.setLong(3, id);
                insert.setLong(4, campaignId);
                insert.addBatch();
            }
            insert.executeBatch();
        } catch (SQLException e) {
            throw Jdbc.failure("taking recipients into a follow-up", e);
        }
        Set<Long> mine = new HashSet<>(Jdbc.list(dataSource,
                "SELECT source_recipient_id FROM follow_up_recipients WHERE source_campaign_id = ? AND outcome = ?"
                        + " AND campaign_id = ? AND source_recipient_id IN (" + Jdbc.placeholders(sorted.size()) + ")",
                query -> {
                    query.setLong(1, sourceId);
                    query.setString(2, outcomeKey);
                    query.setLong(3, campaignId);
                    for (int i = 0; i < sorted.size(); i++) {
                        query.setLong(i + 4, sorted.get(i));
                    }
                },
                row -> row.getLong(1),
                "reading the recipients a follow-up took"));
        return mine;
    }

    /** The follow-ups of a source campaign, oldest first. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public List<FollowUp> ofSource(long sourceId) {
        return Jdbc.list(dataSource,
                "SELECT campaign_id, source_campaign_id, outcome, after_hours, created_at, payload FROM campaign_follow_ups"
                        + " WHERE source_campaign_id = ? ORDER BY campaign_id",
                query -> query.setLong(1, sourceId),
                FollowUpRepository::followUp,
                "listing follow-ups");
    }

    /** What each of {@code campaignIds} follows up, for those that are follow-ups. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public Map<Long, FollowUp> of(Collection<Long> campaignIds) {
        Map<Long, FollowUp> found = new HashMap<>();
        if (campaignIds.isEmpty()) {
            return found;
        }
        List<Long> ids = List.copyOf(campaignIds);
        Jdbc.list(dataSource,
                "SELECT campaign_id, source_campaign_id, outcome, after_hours, created_at, payload FROM campaign_follow_ups"
                        + " WHERE campaign_id IN (" + Jdbc.placeholders(ids.size()) + ")",
                query -> {
                    for (int i = 0; i < ids.size(); i++) {
                        query.setLong(i + 1, ids.get(i));
                    }
                },
                FollowUpRepository::followUp,
                "reading follow-ups").forEach(f -> found.put(f.campaignId(), f));
        return found;
    }

    private static FollowUp followUp(java.sql.ResultSet row) throws SQLException {
        int hours = row.getInt(4);
        Integer afterHours = row.wasNull() ? null : hours;
        return new FollowUp(row.getLong(1), row.getLong(2), WireNames.parse(FollowUpOutcome.class, row.getString(3)),
                afterHours, Jdbc.instant(row.getTimestamp(5)), row.getString(6));
    }
}
