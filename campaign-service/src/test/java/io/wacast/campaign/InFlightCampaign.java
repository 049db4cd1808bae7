package io.wacast.campaign;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import javax.sql.DataSource;

/**
 * A campaign that is {@code sending} with every recipient {@code queued} a minute ago, as the dispatcher
 * leaves it just before the sender's outcomes and Meta's webhooks arrive: made through the API, then
 * moved there in the database (recipients, counters and campaign in one transaction). Tests of the
 * applier feed it outcomes and events of their own.
 */
public final class InFlightCampaign {

    /** A queued recipient of the campaign. */
    public record Recipient(long campaign, long id, String phone) {
    }

    private InFlightCampaign() {
    }

    /**
     * {@code recipients} recipients on business number {@code number}, the first ones with {@code phones}
     * (the rest fresh numbers), each with its own {@code body.1}; in recipient id order.
     */
    public static List<Recipient> create(DataSource dataSource, String namePrefix, String number, int recipients,
            String... phones) {
        long campaign = ((Number) Api.admin().body(Map.of(
                "name", namePrefix + " " + UUID.randomUUID(),
                "templateName", TestData.template(),
                "templateLanguage", "en_US",
                "templateVariables", TestData.defaults(),
                "phoneNumberId", number,
                "rateLimit", 60)).post("/api/whatsapp/campaigns").then().statusCode(201).extract().path("id")).longValue();
        List<Map<String, Object>> rows = new ArrayList<>();
        for (int i = 0; i < recipients; i++) {
            rows.add(Map.of("phoneNumber", i < phones.length ? phones[i] : TestData.phone(),
                    "variables", Map.of("body.1", "R" + i)));
        }
        Api.admin().body(rows).post("/api/whatsapp/campaigns/" + campaign + "/recipients").then().statusCode(200);
        execute(dataSource,
                "UPDATE recipients SET status = 'queued', queued_at = NOW(6) - INTERVAL 1 MINUTE WHERE campaign_id = "
                        + campaign,
                "UPDATE campaign_counters SET recipients = CASE status WHEN 'queued' THEN " + recipients
                        + " ELSE 0 END WHERE campaign_id = " + campaign,
                "UPDATE campaigns SET status = 'sending', started_at = NOW(6) - INTERVAL 1 MINUTE WHERE id = " + campaign);
        List<Recipient> queued = new ArrayList<>();
        try (var connection = dataSource.getConnection();
                var query = connection.prepareStatement("SELECT id, phone_e164 FROM recipients WHERE campaign_id = ? ORDER BY id")) {
            query.setLong(1, campaign);
            try (var result = query.executeQuery()) {
                while (result.next()) {
                    queued.add(new Recipient(campaign, result.getLong(1), result.getString(2)));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return queued;
    }

    /** Runs {@code statements} in one transaction. */
    public static void execute(DataSource dataSource, String... statements) {
        try (var connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try (var statement = connection.createStatement()) {
                for (String sql : statements) {
                    statement.executeUpdate(sql);
                }
            }
            connection.commit();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The first column of the first row of {@code sql}, a count. */
    public static long count(DataSource dataSource, String sql) {
        return Sql.count(dataSource, sql);
    }
}
