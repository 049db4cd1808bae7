package io.wacast.campaign.repository;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import io.agroal.api.AgroalDataSource;
import io.wacast.campaign.domain.Campaign;
import io.wacast.campaign.domain.JsonColumns;
import io.wacast.common.WireNames;
import io.wacast.common.event.CampaignControl;
import io.wacast.common.status.CampaignStatus;

/**
 * The one writer of the {@code campaigns} table. The operator's edits go through the {@link Campaign}
 * entity (its optimistic version refuses a stale edit); status changes are conditional UPDATEs
 * ({@code … WHERE status IN (…)}): whoever changes the row first wins, so two concurrent {@code send}
 * calls or two scheduler replicas start a campaign exactly once. Every status change bumps both the
 * optimistic-lock version and the control version.
 */
@ApplicationScoped
public class CampaignRepository {

    /** What the dispatcher needs of a sending campaign, read under its row lock. */
    public record DispatchView(long id, String phoneNumberId, String templateName, String templateLanguage,
            Map<String, String> templateVariables, CampaignControl.SendWindow sendWindow) {
    }

    private final AgroalDataSource dataSource;

    CampaignRepository(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Inserts a new campaign; its id is set on return. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void insert(Campaign campaign) {
        campaign.persist();
        campaign.flush();
    }

    /** Writes the operator's edits of a campaign read in this transaction (its version must still be the one read). */
    @Transactional(Transactional.TxType.MANDATORY)
    public void saveEdits(Campaign campaign) {
        campaign.flush();
    }

    /** Deletes the campaign if it is still a draft; false when it is not (or no longer) one. */
    @Transactional(Transactional.TxType.MANDATORY)
    public boolean deleteDraft(long id) {
        return Campaign.delete("id = ?1 and status = ?2", id, CampaignStatus.DRAFT) == 1;
    }

    /** Deletes a draft created in this transaction that is not wanted after all (its counters and links go with it). */
    @Transactional(Transactional.TxType.MANDATORY)
    public void deleteCreated(long id) {
        Campaign.deleteById(id);
    }

    /**
     * Marks scheduled campaigns of a template with why they will start paused (their status stays). The
     * campaigns are found without locks and then changed by primary key, with the condition checked again:
     * an UPDATE through {@code ix_campaigns_status_scheduled} would lock index entries before rows, the
     * reverse of every status change (§7 "Lock order").
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public int noteScheduledWithTemplate(String name, String language, String reason) {
        List<Long> scheduled = ids("SELECT id FROM campaigns WHERE status = 'scheduled' AND template_name = ?"
                + " AND template_language = ? ORDER BY id LIMIT ?", name, language, Integer.MAX_VALUE);
        int noted = 0;
        try (Connection connection = dataSource.getConnection()) {
            for (int from = 0; from < scheduled.size(); from += 1_000) {
                List<Long> chunk = scheduled.subList(from, Math.min(scheduled.size(), from + 1_000));
                try (PreparedStatement update = connection.prepareStatement("UPDATE campaigns FORCE INDEX (PRIMARY)"
                        + " SET status_reason = ? WHERE id IN (" + Jdbc.placeholders(chunk.size()) + ")"
                        + " AND status = 'scheduled' AND template_name = ? AND template_language = ?")) {
                    int i = 1;
                    update.setString(i++, reason);
                    for (long id : chunk) {
                        update.setLong(i++, id);
                    }
                    update.setString(i++, name);
                    update.setString(i, language);
                    noted += update.executeUpdate();
                }
            }
            return noted;
        } catch (SQLException e) {
            throw Jdbc.failure("recording an account signal", e);
        }
    }

    /**
     * True when this call moved the campaign from one of {@code from} to {@code to}. {@code whenDue}:
     * only if its {@code scheduled_for} has come (the scheduler's start, which an edit that moved the
     * time later must win against). Back to draft, the campaign forgets its {@code scheduled_for}.
     * The row is found by its primary key, whatever the optimizer estimates: with few scheduled campaigns
     * it would pick {@code ix_campaigns_status_scheduled} for the scheduler's start, lock that index entry
     * before the row, and deadlock with an operator's action on the same campaign, which locks the row
     * first and then changes the entry (§7 "Lock order").
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public boolean transition(long id, Set<CampaignStatus> from, CampaignStatus to, String reason, Instant now,
            boolean whenDue) {
        String sql = "UPDATE campaigns FORCE INDEX (PRIMARY) SET status = ?, status_reason = ?, version = version + 1,"
                + " control_version = control_version + 1, updated_at = ?,"
                + " started_at = CASE WHEN ? AND started_at IS NULL THEN ? ELSE started_at END,"
                + " completed_at = CASE WHEN ? THEN ? ELSE completed_at END,"
                + " scheduled_for = CASE WHEN ? THEN NULL ELSE scheduled_for END"
                + " WHERE id = ? AND status IN (" + Jdbc.placeholders(from.size()) + ")"
                + (whenDue ? " AND scheduled_for <= ?" : "");
        try (Connection connection = dataSource.getConnection();
                PreparedStatement update = connection.prepareStatement(sql)) {
            int i = 1;
            update.setString(i++, WireNames.of(to));
            update.setString(i++, reason == null || reason.length() <= 500 ? reason : reason.substring(0, 499) + "…");
            Jdbc.setInstant(update, i++, now);
            update.setBoolean(i++, to == CampaignStatus.SENDING);
            Jdbc.setInstant(update, i++, now);
            update.setBoolean(i++, to.isTerminal());
            Jdbc.setInstant(update, i++, now);
            update.setBoolean(i++, to == CampaignStatus.DRAFT);
            update.setLong(i++, id);
            for (CampaignStatus status : from) {
                update.setString(i++, WireNames.of(status));
            }
            if (whenDue) {
                Jdbc.setInstant(update, i++, now);
            }
            return update.executeUpdate() == 1;
        } catch (SQLException e) {
            throw Jdbc.failure("changing the status of campaign " + id, e);
        }
    }

    /** The campaign as senders see it, for {@code wacast.campaign-control}. */
    @Transactional(Transactional.TxType.MANDATORY)
    public Optional<CampaignControl> control(long id) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement query = connection.prepareStatement(
                        "SELECT phone_number_id, status, rate_limit, window_start_hour, window_end_hour, window_time_zone,"
                                + " control_version, updated_at FROM campaigns WHERE id = ?")) {
            query.setLong(1, id);
            try (ResultSet rows = query.executeQuery()) {
                if (!rows.next()) {
                    return Optional.empty();
                }
                String zone = rows.getString(6);
                CampaignControl.SendWindow window = zone == null ? null
                        : new CampaignControl.SendWindow(rows.getInt(4), rows.getInt(5), zone);
                return Optional.of(CampaignControl.of(id, rows.getString(1), CampaignStatus.fromString(rows.getString(2)),
                        rows.getInt(3), window, rows.getLong(7), Jdbc.instant(rows.getTimestamp(8))));
            }
        } catch (SQLException e) {
            throw Jdbc.failure("reading campaign " + id, e);
        }
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public Optional<CampaignStatus> status(long id) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement query = connection.prepareStatement("SELECT status FROM campaigns WHERE id = ?")) {
            query.setLong(1, id);
            try (ResultSet rows = query.executeQuery()) {
                return rows.next() ? Optional.of(CampaignStatus.fromString(rows.getString(1))) : Optional.empty();
            }
        } catch (SQLException e) {
            throw Jdbc.failure("reading campaign " + id, e);
        }
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public Optional<String> phoneNumberId(long id) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement query = connection.prepareStatement("SELECT phone_number_id FROM campaigns WHERE id = ?")) {
            query.setLong(1, id);
            try (ResultSet rows = query.executeQuery()) {
                return rows.next() ? Optional.of(rows.getString(1)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw Jdbc.failure("reading campaign " + id, e);
        }
    }

    /** Ids of campaigns in {@code status}, oldest first. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public List<Long> idsWithStatus(CampaignStatus status, int limit) {
        return ids("SELECT id FROM campaigns WHERE status = ? ORDER BY id LIMIT ?", WireNames.of(status), limit);
    }

    /** Scheduled campaigns whose start time has come. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public List<Long> dueScheduled(Instant now, int limit) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement query = connection.prepareStatement(
                        "SELECT id FROM campaigns WHERE status = 'scheduled' AND scheduled_for <= ? ORDER BY scheduled_for, id LIMIT ?")) {
            Jdbc.setInstant(query, 1, now);
            query.setInt(2, limit);
            return readIds(query);
        } catch (SQLException e) {
            throw Jdbc.failure("finding due campaigns", e);
        }
    }

    /** Sending campaigns of one business number, e.g. to stop them all when Meta blocks the account. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public List<Long> sendingOnNumber(String phoneNumberId) {
        return ids("SELECT id FROM campaigns WHERE status = 'sending' AND phone_number_id = ? ORDER BY id LIMIT ?",
                phoneNumberId, 10_000);
    }

    /**
     * Locks a sending campaign for one dispatch round; empty when it is no longer sending or another
     * replica is dispatching it right now (SKIP LOCKED: that replica does the work, this one moves on).
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public Optional<DispatchView> lockForDispatch(long id) {
        return dispatchView(id, " AND status = 'sending' FOR UPDATE SKIP LOCKED");
    }

    /**
     * What a job of the campaign is made of, read without a lock (the re-send of an unknown recipient
     * must not wait for, or hold up, a dispatch round); empty when there is no such campaign.
     */
    @Transactional(Transactional.TxType.SUPPORTS)
    public Optional<DispatchView> dispatchView(long id) {
        return dispatchView(id, "");
    }

    private Optional<DispatchView> dispatchView(long id, String condition) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement query = connection.prepareStatement(
                        "SELECT phone_number_id, template_name, template_language, template_variables,"
                                + " window_start_hour, window_end_hour, window_time_zone"
                                + " FROM campaigns WHERE id = ?" + condition)) {
            query.setLong(1, id);
            try (ResultSet rows = query.executeQuery()) {
                if (!rows.next()) {
                    return Optional.empty();
                }
                String zone = rows.getString(7);
                return Optional.of(new DispatchView(id, rows.getString(1), rows.getString(2), rows.getString(3),
                        JsonColumns.readStringMap(rows.getString(4)),
                        zone == null ? null : new CampaignControl.SendWindow(rows.getInt(5), rows.getInt(6), zone)));
            }
        } catch (SQLException e) {
            throw Jdbc.failure("reading campaign " + id, e);
        }
    }

    /** The ids {@code sql} selects, its parameters bound in order (the last one is its LIMIT). */
    private List<Long> ids(String sql, Object... parametersThenLimit) {
        try (Connection connection = dataSource.getConnection(); PreparedStatement query = connection.prepareStatement(sql)) {
            for (int i = 0; i < parametersThenLimit.length; i++) {
                query.setObject(i + 1, parametersThenLimit[i]);
            }
            return readIds(query);
        } catch (SQLException e) {
            throw Jdbc.failure("listing campaigns", e);
        }
    }

    private static List<Long> readIds(PreparedStatement query) throws SQLException {
        List<Long> ids = new ArrayList<>();
        try (ResultSet rows = query.executeQuery()) {
            while (rows.next()) {
                ids.add(rows.getLong(1));
            }
        }
        return ids;
    }
}
