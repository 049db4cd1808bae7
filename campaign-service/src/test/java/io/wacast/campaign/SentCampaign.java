package io.wacast.campaign;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import javax.sql.DataSource;

/**
 * A campaign that has sent, its recipients standing where a test needs them (status, Meta error
 * code, how long ago the row last changed), staged in the database in one transaction with counters
 * that equal the rows. The campaign is completed, so the engine never touches it.
 */
public final class SentCampaign {

    /** One recipient to stage; {@code errorCode} may be null. */
    public record Row(String status, Integer errorCode, double hoursAgo) {

        public static Row of(String status) {
            return new Row(status, null, 0);
        }

        public static Row failed(Integer code, double hoursAgo) {
            return new Row("failed", code, hoursAgo);
        }
    }

    private final DataSource dataSource;
    private final long id;
    private final List<String> phones;

    private SentCampaign(DataSource dataSource, long id, List<String> phones) {
        this.dataSource = dataSource;
        this.id = id;
        this.phones = phones;
    }

    /** A template of {@link TestData#template()}'s shape, each recipient with its own body.1 ("R" + index). */
    public static SentCampaign stage(DataSource dataSource, List<Row> rows) {
        return stage(dataSource, TestData.draft(), rows);
    }

    public static SentCampaign stage(DataSource dataSource, long campaign, List<Row> rows) {
        List<String> phones = new ArrayList<>();
        List<Map<String, Object>> recipients = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
            String phone = TestData.phone();
            phones.add(phone);
            recipients.add(Map.of("phoneNumber", phone, "name", "Name " + i, "variables", Map.of("body.1", "R" + i)));
        }
        for (int from = 0; from < recipients.size(); from += 1000) {
            Api.admin().body(recipients.subList(from, Math.min(recipients.size(), from + 1000)))
                    .post("/api/whatsapp/campaigns/" + campaign + "/recipients").then().statusCode(200);
        }
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try (PreparedStatement update = connection.prepareStatement("UPDATE recipients SET status = ?, last_error_code = ?,"
                    + " wamid = CASE WHEN ? IN ('sent', 'delivered', 'read', 'responded') THEN CONCAT('wamid.', id) END,"
                    + " queued_at = NOW(6) - INTERVAL ? SECOND - INTERVAL 1 MINUTE,"
                    + " updated_at = NOW(6) - INTERVAL ? SECOND WHERE campaign_id = ? AND phone_e164 = ?")) {
                for (int i = 0; i < rows.size(); i++) {
                    Row row = rows.get(i);
                    long seconds = Math.round(row.hoursAgo() * 3600);
                    update.setString(1, row.status());
                    if (row.errorCode() == null) {
                        update.setNull(2, java.sql.Types.INTEGER);
                    } else {
                        update.setInt(2, row.errorCode());
                    }
                    update.setString(3, row.status());
                    update.setLong(4, seconds);
                    update.setLong(5, seconds);
                    update.setLong(6, campaign);
                    update.setString(7, phones.get(i));
                    update.addBatch();
                }
                update.executeBatch();
            }
            try (Statement statement = connection.createStatement()) {
                statement.executeUpdate("UPDATE campaign_counters c SET recipients = (SELECT COUNT(*) FROM recipients r"
                        + " WHERE r.campaign_id = c.campaign_id AND r.status = c.status) WHERE c.campaign_id = " + campaign);
                statement.executeUpdate("UPDATE campaigns SET status = 'completed', started_at = NOW(6) - INTERVAL 2 DAY,"
                        + " completed_at = NOW(6) WHERE id = " + campaign);
            }
            connection.commit();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return new SentCampaign(dataSource, campaign, phones);
    }

    public long id() {
        return id;
    }

    public String phone(int index) {
        return phones.get(index);
    }

    /** Puts the recipient's number on the suppression list. */
    /** A suppression of an erased contact: only the hash of its number is left (V10). */
    public void suppressErased(int index) {
        update("INSERT INTO opt_outs (phone_e164, phone_hash, source, reason, created_at) VALUES (NULL, SHA2('"
                + phones.get(index) + "', 256), 'operator', NULL, NOW(6))");
    }

    public void suppress(int index) {
        update("INSERT INTO opt_outs (phone_e164, phone_hash, source, reason, created_at) VALUES ('" + phones.get(index)
                + "', SHA2('" + phones.get(index) + "', 256), 'operator', 'test', NOW(6))");
    }

    /** The phones of a campaign's recipients, straight from the table. */
    public static Set<String> phonesOf(DataSource dataSource, long campaign, String where) {
        return new LinkedHashSet<>(strings(dataSource, "SELECT phone_e164 FROM recipients WHERE campaign_id = " + campaign
                + (where == null ? "" : " AND " + where) + " ORDER BY id"));
    }

    /** The phones at {@code indexes}. */
    public Set<String> phones(int... indexes) {
        Set<String> selected = new LinkedHashSet<>();
        for (int index : indexes) {
            selected.add(phones.get(index));
        }
        return selected;
    }

    public static long count(DataSource dataSource, String sql) {
        return Long.parseLong(strings(dataSource, sql).get(0));
    }

    /** recipients.variables of each phone of a campaign. */
    public static Map<String, String> variablesOf(DataSource dataSource, long campaign) {
        Map<String, String> variables = new HashMap<>();
        for (String line : strings(dataSource, "SELECT CONCAT(phone_e164, ' ', COALESCE(variables, '')) FROM recipients"
                + " WHERE campaign_id = " + campaign)) {
            int space = line.indexOf(' ');
            variables.put(line.substring(0, space), line.substring(space + 1));
        }
        return variables;
    }

    public static List<String> strings(DataSource dataSource, String sql) {
        try (Connection connection = dataSource.getConnection();
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(sql)) {
            List<String> values = new ArrayList<>();
            while (rows.next()) {
                values.add(rows.getString(1));
            }
            return values;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    public void update(String sql) {
        update(dataSource, sql);
    }

    public static void update(DataSource dataSource, String sql) {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            statement.executeUpdate(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
