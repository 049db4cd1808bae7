package io.wacast.campaign.repository;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import io.agroal.api.AgroalDataSource;

/**
 * What Meta's account-level webhooks leave behind: numbers and portfolios, and the campaigns a
 * template, number or account signal concerns. Plain JDBC, every write conditional on Meta's time so an
 * older signal never overwrites a newer one.
 */
@ApplicationScoped
public class SignalRepository {

    /**
     * A business number as its webhooks describe it and, when configuration registered it (V21), its
     * token's secret name and configured cap.
     */
    public record NumberRow(String displayPhoneNumber, String phoneNumberId, String wabaId, String lastEvent,
            boolean flagged, boolean throughputUpgraded, String currentLimit, Instant eventAt, Instant updatedAt,
            String accessTokenRef, Integer throughputPerSecond, Instant registeredAt) {
    }

    /** A business portfolio (WABA) as its webhooks describe it. */
    public record PortfolioRow(String wabaId, Long messagingLimit, Instant limitAt, String restrictions,
            String banState, boolean blocked, String blockedReason, Instant accountAt, Instant updatedAt) {
    }

    private final AgroalDataSource dataSource;

    SignalRepository(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Sending campaigns of a template (name and language), oldest first. */
    @Transactional(Transactional.TxType.MANDATORY)
    public List<Long> sendingWithTemplate(String name, String language) {
        return ids("SELECT id FROM campaigns WHERE status = 'sending' AND template_name = ? AND template_language = ?"
                + " ORDER BY id", name, language);
    }

    /** Sending campaigns whose template is a marketing one, on one number (all numbers when null). */
    @Transactional(Transactional.TxType.MANDATORY)
    public List<Long> sendingMarketing(String phoneNumberId) {
        String sql = "SELECT c.id FROM campaigns c JOIN templates t ON t.name = c.template_name AND t.language = c.template_language"
                + " WHERE c.status = 'sending' AND t.category = 'marketing'"
                + (phoneNumberId == null ? "" : " AND c.phone_number_id = ?") + " ORDER BY c.id";
        return phoneNumberId == null ? ids(sql) : ids(sql, phoneNumberId);
    }

    /** Sending campaigns on any of the numbers; on every number when {@code phoneNumberIds} is empty. */
    @Transactional(Transactional.TxType.MANDATORY)
    public List<Long> sendingOnNumbers(List<String> phoneNumberIds) {
        if (phoneNumberIds.isEmpty()) {
            return ids("SELECT id FROM campaigns WHERE status = 'sending' ORDER BY id");
        }
        return ids("SELECT id FROM campaigns WHERE status = 'sending' AND phone_number_id IN ("
                + Jdbc.placeholders(phoneNumberIds.size()) + ") ORDER BY id", phoneNumberIds.toArray(String[]::new));
    }

    /** The phone-number ids known to belong to a WABA. */
    @Transactional(Transactional.TxType.MANDATORY)
    public List<String> numbersOfWaba(String wabaId) {
        return Jdbc.list(dataSource, "SELECT phone_number_id FROM whatsapp_numbers WHERE waba_id = ? AND phone_number_id IS NOT NULL",
                query -> query.setString(1, wabaId), row -> row.getString(1), "reading numbers of a WABA");
    }

    /**
     * Records a number event unless a newer one is recorded; returns false when this one is older.
     * {@code flagged} and {@code throughputUpgraded} null keep what is stored.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public boolean recordNumber(String display, String phoneNumberId, String wabaId, String event, Boolean flagged,
            Boolean throughputUpgraded, String currentLimit, Instant eventAt, Instant now) {
        Optional<NumberRow> existing = number(display);
        if (existing.isPresent() && existing.get().eventAt() != null && eventAt != null
                && eventAt.isBefore(existing.get().eventAt())) {
            return false;
        }
        try (Connection connection = dataSource.getConnection();
                PreparedStatement upsert = connection.prepareStatement(existing.isPresent()
                        ? "UPDATE whatsapp_numbers SET phone_number_id = COALESCE(?, phone_number_id), waba_id = COALESCE(?, waba_id),"
                                + " last_event = ?, flagged = COALESCE(?, flagged), throughput_upgraded = COALESCE(?, throughput_upgraded),"
                                + " current_limit = COALESCE(?, current_limit), event_at = ?, updated_at = ? WHERE display_phone_number = ?"
                        : "INSERT INTO whatsapp_numbers (phone_number_id, waba_id, last_event, flagged, throughput_upgraded,"
                                + " current_limit, event_at, updated_at, display_phone_number) VALUES (?, ?, ?, COALESCE(?, FALSE),"
                                + " COALESCE(?, FALSE), ?, ?, ?, ?)")) {
            upsert.setString(1, phoneNumberId);
            upsert.setString(2, wabaId);
            upsert.setString(3, event);
            setBoolean(upsert, 4, flagged);
            setBoolean(upsert, 5, throughputUpgraded);
            upsert.setString(6, currentLimit);
            Jdbc.setInstant(upsert, 7, eventAt);
            Jdbc.setInstant(upsert, 8, now);
            upsert.setString(9, display);
            upsert.executeUpdate();
            return true;
        } catch (SQLException e) {
            throw Jdbc.failure("recording number " + display, e);
        }
    }

    /** Records the portfolio's messaging limit unless a newer one is recorded. */
    @Transactional(Transactional.TxType.MANDATORY)
    public boolean recordMessagingLimit(String wabaId, long messagingLimit, Instant at, Instant now) {
        ensurePortfolio(wabaId, now);
        return update("UPDATE business_portfolios SET messaging_limit = ?, limit_at = ?, updated_at = ?"
                + " WHERE waba_id = ? AND (limit_at IS NULL OR ? IS NULL OR limit_at <= ?)",
                messagingLimit, at, now, wabaId, at, at) == 1;
    }

    /** Records the account state of an {@code account_update} unless a newer one is recorded. */
    @Transactional(Transactional.TxType.MANDATORY)
    public boolean recordAccount(String wabaId, String restrictionsJson, String banState, boolean blocked,
            String blockedReason, Instant at, Instant now) {
        ensurePortfolio(wabaId, now);
        return update("UPDATE business_portfolios SET restrictions = ?, ban_state = COALESCE(?, ban_state), blocked = ?,"
                + " blocked_reason = ?, account_at = ?, updated_at = ?"
                + " WHERE waba_id = ? AND (account_at IS NULL OR ? IS NULL OR account_at <= ?)",
                restrictionsJson, banState, blocked, blockedReason, at, now, wabaId, at, at) == 1;
    }

    /**
     * The messaging limit Meta last reported for the portfolio of a number: the WABA its number webhooks
     * named, else {@code defaultWabaId}; empty when Meta reported none.
     */
    @Transactional(Transactional.TxType.SUPPORTS)
    public Optional<Long> messagingLimitOf(String phoneNumberId, String defaultWabaId) {
        List<Long> limits = Jdbc.list(dataSource, "SELECT p.messaging_limit FROM business_portfolios p"
                + " WHERE p.messaging_limit IS NOT NULL AND p.waba_id = COALESCE((SELECT MAX(n.waba_id) FROM whatsapp_numbers n"
                + " WHERE n.phone_number_id = ? AND n.waba_id IS NOT NULL), ?)",
                query -> {
                    query.setString(1, phoneNumberId);
                    query.setString(2, defaultWabaId);
                }, row -> row.getLong(1), "reading the messaging limit");
        return limits.stream().findFirst();
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public List<NumberRow> numbers() {
        return Jdbc.list(dataSource, "SELECT display_phone_number, phone_number_id, waba_id, last_event, flagged,"
                + " throughput_upgraded, current_limit, event_at, updated_at, access_token_ref, throughput_per_second,"
                + " registered_at FROM whatsapp_numbers ORDER BY display_phone_number",
                query -> {
                }, SignalRepository::numberRow, "listing numbers");
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public List<PortfolioRow> portfolios() {
        return Jdbc.list(dataSource, "SELECT waba_id, messaging_limit, limit_at, restrictions, ban_state, blocked,"
                + " blocked_reason, account_at, updated_at FROM business_portfolios ORDER BY waba_id",
                query -> {
                }, row -> new PortfolioRow(row.getString(1), (Long) row.getObject(2, Long.class),
                        Jdbc.instant(row.getTimestamp(3)), row.getString(4), row.getString(5), row.getBoolean(6),
                        row.getString(7), Jdbc.instant(row.getTimestamp(8)), Jdbc.instant(row.getTimestamp(9))),
                "listing portfolios");
    }

    private Optional<NumberRow> number(String display) {
        return Jdbc.list(dataSource, "SELECT display_phone_number, phone_number_id, waba_id, last_event, flagged,"
                + " throughput_upgraded, current_limit, event_at, updated_at, access_token_ref, throughput_per_second,"
                + " registered_at FROM whatsapp_numbers WHERE display_phone_number = ?"
                + " FOR UPDATE", query -> query.setString(1, display), SignalRepository::numberRow, "reading a number")
                .stream().findFirst();
    }

    private void ensurePortfolio(String wabaId, Instant now) {
        update("INSERT IGNORE INTO business_portfolios (waba_id, updated_at) VALUES (?, ?)", wabaId, now);
    }

    private static NumberRow numberRow(ResultSet row) throws SQLException {
        return new NumberRow(row.getString(1), row.getString(2), row.getString(3), row.getString(4), row.getBoolean(5),
                row.getBoolean(6), row.getString(7), Jdbc.instant(row.getTimestamp(8)), Jdbc.instant(row.getTimestamp(9)),
                row.getString(10), (Integer) row.getObject(11, Integer.class), Jdbc.instant(row.getTimestamp(12)));
    }

    /**
     * Writes one registered number (configuration) beside what its webhooks said: a new row has no
     * event yet; an existing one keeps its events, and takes the registration's id, WABA, cap and token
     * reference. Idempotent, so every replica may register at start.
     */
    @Transactional(Transactional.TxType.REQUIRED)
    public void register(String display, String phoneNumberId, String wabaId, Integer throughputPerSecond,
            String accessTokenRef, Instant now) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement upsert = connection.prepareStatement("INSERT INTO whatsapp_numbers (display_phone_number,"
                        + " phone_number_id, waba_id, throughput_per_second, access_token_ref, registered_at, updated_at)"
                        + " VALUES (?, ?, ?, ?, ?, ?, ?) ON DUPLICATE KEY UPDATE phone_number_id = VALUES(phone_number_id),"
                        + " waba_id = COALESCE(VALUES(waba_id), waba_id), throughput_per_second = VALUES(throughput_per_second),"
                        + " access_token_ref = VALUES(access_token_ref), registered_at = VALUES(registered_at)")) {
            upsert.setString(1, display);
            upsert.setString(2, phoneNumberId);
            upsert.setString(3, wabaId);
            if (throughputPerSecond == null) {
                upsert.setNull(4, Types.INTEGER);
            } else {
                upsert.setInt(4, throughputPerSecond);
            }
            upsert.setString(5, accessTokenRef);
            Jdbc.setInstant(upsert, 6, now);
            Jdbc.setInstant(upsert, 7, now);
            upsert.executeUpdate();
        } catch (SQLException e) {
            throw Jdbc.failure("registering number " + display, e);
        }
    }

    private static void setBoolean(PreparedStatement statement, int index, Boolean value) throws SQLException {
        if (value == null) {
            statement.setNull(index, Types.BOOLEAN);
        } else {
            statement.setBoolean(index, value);
        }
    }

    private int update(String sql, Object... parameters) {
        try (Connection connection = dataSource.getConnection(); PreparedStatement update = connection.prepareStatement(sql)) {
            bind(update, parameters);
            return update.executeUpdate();
        } catch (SQLException e) {
            throw Jdbc.failure("recording an account signal", e);
        }
    }

    private List<Long> ids(String sql, String... parameters) {
        try (Connection connection = dataSource.getConnection(); PreparedStatement query = connection.prepareStatement(sql)) {
            bind(query, (Object[]) parameters);
            List<Long> ids = new ArrayList<>();
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    ids.add(rows.getLong(1));
                }
            }
            return ids;
        } catch (SQLException e) {
            throw Jdbc.failure("finding the campaigns of an account signal", e);
        }
    }

    private static void bind(PreparedStatement statement, Object... parameters) throws SQLException {
        for (int i = 0; i < parameters.length; i++) {
            Object parameter = parameters[i];
            if (parameter instanceof Instant instant) {
                Jdbc.setInstant(statement, i + 1, instant);
            } else if (parameter == null) {
                statement.setNull(i + 1, Types.VARCHAR);
            } else {
                statement.setObject(i + 1, parameter);
            }
        }
    }
}
