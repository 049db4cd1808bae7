package io.wacast.campaign;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import io.wacast.common.event.JobId;

/**
 * A sending campaign whose recipients stand where a test needs them, staged directly in the database
 * in one transaction (recipients and counters together, so the engine never sees a half-made state and
 * no job reaches a sender another module may be testing at the same time).
 */
public final class StagedCampaign {

    /** One recipient to stage: its status, and how long ago it was queued. */
    public record Row(String status, int queuedSecondsAgo) {
    }

    /** A staged recipient. */
    public record Target(long campaign, long id, String phone) {

        public String jobId() {
            return JobId.of(campaign, id);
        }
    }

    private final DataSource dataSource;
    private final long id;
    private final List<Target> targets;

    private StagedCampaign(DataSource dataSource, long id, List<Target> targets) {
        this.dataSource = dataSource;
        this.id = id;
        this.targets = targets;
    }

    /** Creates the campaign through the API, then stages its recipients (updated just now) and makes it sending. */
    public static StagedCampaign sending(DataSource dataSource, Row... rows) {
        long campaign = TestData.draft();
        List<Map<String, Object>> recipients = new ArrayList<>();
        for (int i = 0; i < rows.length; i++) {
            recipients.add(Map.of("phoneNumber", TestData.phone(), "variables", Map.of("body.1", "R" + i)));
        }
        Api.admin().body(recipients).post("/api/whatsapp/campaigns/" + campaign + "/recipients").then().statusCode(200);
        List<Target> targets = new ArrayList<>();
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try (PreparedStatement query = connection.prepareStatement(
                    "SELECT id, phone_e164 FROM recipients WHERE campaign_id = ? ORDER BY id")) {
                query.setLong(1, campaign);
                try (var found = query.executeQuery()) {
                    while (found.next()) {
                        targets.add(new Target(campaign, found.getLong(1), found.getString(2)));
                    }
                }
            }
            try (PreparedStatement update = connection.prepareStatement("UPDATE recipients SET status = ?,"
                    + " queued_at = NOW(6) - INTERVAL ? SECOND, updated_at = NOW(6) WHERE id = ?")) {
                for (int i = 0; i < rows.length; i++) {
                    update.setString(1, rows[i].status());
                    update.setInt(2, rows[i].queuedSecondsAgo());
                    update.setLong(3, targets.get(i).id());
                    update.addBatch();
                }
                update.executeBatch();
            }
            try (Statement statement = connection.createStatement()) {
                statement.executeUpdate("UPDATE campaign_counters c SET recipients = (SELECT COUNT(*) FROM recipients r"
                        + " WHERE r.campaign_id = c.campaign_id AND r.status = c.status) WHERE c.campaign_id = " + campaign);
                statement.executeUpdate("UPDATE campaigns SET status = 'sending', started_at = NOW(6) - INTERVAL 1 MINUTE"
                        + " WHERE id = " + campaign);
            }
            connection.commit();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return new StagedCampaign(dataSource, campaign, targets);
    }

    public long id() {
        return id;
    }

    public Target recipient(int index) {
        return targets.get(index);
    }

    /** A column of one recipient, as text (null for NULL). */
    public String column(Target recipient, String column) {
        return value("SELECT " + column + " FROM recipients WHERE id = " + recipient.id(), rows -> rows.getString(1));
    }

    public Instant instant(Target recipient, String column) {
        return value("SELECT " + column + " FROM recipients WHERE id = " + recipient.id(), StagedCampaign::instant);
    }

    /** The campaign's status, and its recipient's resend_state, read in one statement (one snapshot). */
    public String statusWithResendStateOf(Target recipient) {
        return value("SELECT CONCAT(c.status, '/', COALESCE(r.resend_state, 'undecided')) FROM campaigns c"
                + " JOIN recipients r ON r.campaign_id = c.id WHERE r.id = " + recipient.id(), rows -> rows.getString(1));
    }

    public Instant completedAt() {
        return value("SELECT completed_at FROM campaigns WHERE id = " + id, StagedCampaign::instant);
    }

    /** docs/DESIGN.md §7: the status counters equal the recipient rows. */
    public boolean countersEqualRows() {
        return value("SELECT COUNT(*) FROM campaign_counters c WHERE c.campaign_id = " + id
                + " AND c.recipients <> (SELECT COUNT(*) FROM recipients r WHERE r.campaign_id = c.campaign_id"
                + " AND r.status = c.status)", rows -> rows.getLong(1)) == 0;
    }

    /** The {@code stats} object of the stats API. */
    public Map<String, Object> counts() {
        return Api.admin().get("/api/whatsapp/campaigns/" + id + "/stats").then().statusCode(200).extract().jsonPath()
                .getMap("stats");
    }

    public String status() {
        return Api.admin().get("/api/whatsapp/campaigns/" + id).then().statusCode(200).extract().path("status");
    }

    @FunctionalInterface
    private interface Column<T> {
        T read(ResultSet rows) throws SQLException;
    }

    private <T> T value(String sql, Column<T> column) {
        try (Connection connection = dataSource.getConnection();
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(sql)) {
            return rows.next() ? column.read(rows) : null;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Instant instant(ResultSet rows) throws SQLException {
        Timestamp value = rows.getTimestamp(1);
        return value == null ? null : value.toInstant();
    }
}
