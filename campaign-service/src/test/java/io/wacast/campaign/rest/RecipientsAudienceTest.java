package io.wacast.campaign.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.wacast.campaign.Api;
import io.wacast.campaign.TestData;

/**
 * An audience of a campaign's recipients ({@code recipientsOf} alone), counted from the campaign's counters
 * and the loaders' facts while these account for every recipient, against a direct SQL count: uploads,
 * audience snapshots, erased and re-created contacts, a campaign stored around the service, and an erasure
 * that lands while a snapshot is being taken.
 */
@QuarkusTest
class RecipientsAudienceTest {

    private static final String CAMPAIGNS = "/api/whatsapp/campaigns";

    @Inject
    AgroalDataSource dataSource;

    private long sql(String query, Object... params) {
        return io.wacast.campaign.Sql.count(dataSource, query, params);
    }

    /** The live count of the recipients of {@code campaign} in {@code statuses} (any when none). */
    private static long counted(long campaign, String... statuses) {
        Map<String, Object> of = new HashMap<>();
        of.put("campaignId", campaign);
        if (statuses.length > 0) {
            of.put("statuses", List.of(statuses));
        }
        return ((Number) Api.admin().body(Map.of("filter", Map.of("recipientsOf", List.of(of)))).post("/api/whatsapp/audiences/count")
                .then().statusCode(200).extract().path("contacts")).longValue();
    }

    /** The same by the definition: contacts whose number is a recipient of the campaign in one of the statuses. */
    private long direct(long campaign, String... statuses) {
        String in = statuses.length == 0 ? "" : " AND status IN ('" + String.join("', '", statuses) + "')";
        return sql("SELECT COUNT(*) FROM contacts c WHERE c.phone_e164 IN (SELECT phone_e164 FROM recipients WHERE campaign_id = ?"
                + in + ")", campaign);
    }

    private void assertCountsAsSql(long campaign, String... statuses) {
        assertThat(counted(campaign, statuses)).as("recipients of %d in %s", campaign, List.of(statuses))
                .isEqualTo(direct(campaign, statuses));
    }

    private static void contact(String phone, Map<String, Object> body) {
        Api.admin().body(body).put("/api/whatsapp/contacts/" + phone).then().statusCode(org.hamcrest.Matchers.oneOf(200, 201));
    }

    private static long sendToTaggedAudience(long campaign, String tag) {
        long audience = ((Number) Api.admin().body(Map.of("name", "audience " + UUID.randomUUID(),
                "filter", Map.of("tags", Map.of("all", List.of(tag))))).post("/api/whatsapp/audiences")
                .then().statusCode(201).extract().path("id")).longValue();
        Api.admin().body(Map.of("audienceId", audience, "variables", Map.of("body.1", "first_name")))
                .put(CAMPAIGNS + "/" + campaign + "/audience").then().statusCode(200);
        return audience;
    }

    @Test
    void anUploadedCampaignsRecipientsCountAsSqlThroughErasuresAndReturns() {
        long campaign = TestData.draft();
        List<String> phones = new ArrayList<>();
        List<Map<String, Object>> rows = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            String phone = TestData.phone();
            phones.add(phone);
            rows.add(Map.of("phoneNumber", phone, "variables", Map.of("body.1", "Asha" + i)));
        }
        Api.admin().body(Map.of("phoneNumber", phones.get(5))).post("/api/whatsapp/opt-outs").then().statusCode(201);
        Api.admin().body(rows).post(CAMPAIGNS + "/" + campaign + "/recipients").then().statusCode(200);
        assertThat(sql("SELECT COUNT(*) FROM recipients WHERE campaign_id = ? AND status = 'opted_out'", campaign)).isEqualTo(1);

        assertThat(counted(campaign)).isEqualTo(6);
        assertThat(counted(campaign, "pending")).isEqualTo(5);
        assertThat(counted(campaign, "opted_out")).isEqualTo(1);
        // one contact erased, another erased and brought back by the API: the first is no contact any more
        Api.admin().delete("/api/whatsapp/contacts/" + phones.get(0)).then().statusCode(204);
        Api.admin().delete("/api/whatsapp/contacts/" + phones.get(1)).then().statusCode(204);
        contact(phones.get(1), Map.of("name", "back again"));
        Api.admin().delete("/api/whatsapp/contacts/" + phones.get(5)).then().statusCode(204);
        assertThat(sql("SELECT COUNT(*) FROM erased_contact_recipients WHERE campaign_id = ?", campaign)).isEqualTo(3);
        assertThat(counted(campaign)).isEqualTo(4);
        assertThat(counted(campaign, "pending")).isEqualTo(4);
        assertThat(counted(campaign, "opted_out")).isZero();
        assertCountsAsSql(campaign);
        assertCountsAsSql(campaign, "pending");
        assertCountsAsSql(campaign, "pending", "opted_out");
        assertCountsAsSql(campaign, "sent");
    }

    @Test
    void aSnapshotCampaignsRecipientsCountAsSqlAndItsFactsAccountForThem() {
        String tag = "ra-" + UUID.randomUUID().toString().substring(0, 8);
        List<String> phones = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            String phone = TestData.phone();
            phones.add(phone);
            Map<String, Object> body = new HashMap<>();
            body.put("tags", List.of(tag));
            body.put("attributes", Map.of("first_name", "Asha" + i));
            if (i % 4 != 3) {
                body.put("consent", Map.of("status", "opted_in", "source", "api"));
            }
            contact(phone, body);
        }
        long campaign = TestData.draft(); // marketing: the two without an opt-in are stored opted_out
        sendToTaggedAudience(campaign, tag);
        Api.admin().post(CAMPAIGNS + "/" + campaign + "/send").then().statusCode(200);

        assertThat(sql("SELECT COALESCE(SUM(recipients), 0) FROM loaded_recipients WHERE campaign_id = ?", campaign))
                .isEqualTo(sql("SELECT SUM(recipients) FROM campaign_counters WHERE campaign_id = ?", campaign)).isEqualTo(8);
        assertThat(counted(campaign)).isEqualTo(8);
        assertThat(counted(campaign, "opted_out")).isEqualTo(2);
        Api.admin().delete("/api/whatsapp/contacts/" + phones.get(0)).then().statusCode(204);
        Api.admin().delete("/api/whatsapp/contacts/" + phones.get(3)).then().statusCode(204);
        assertThat(counted(campaign)).isEqualTo(6);
        assertThat(counted(campaign, "opted_out")).isEqualTo(1);
        assertCountsAsSql(campaign);
        assertCountsAsSql(campaign, "opted_out");
    }

    @Test
    void aCampaignStoredAroundTheServiceIsCountedBySql() {
        long campaign = TestData.draft();
        String phone = TestData.phone();
        contact(phone, Map.of("name", "seeded"));
        // rows and counters written by SQL, as a seed would: the loaders' facts do not account for them
        for (String number : List.of(phone, TestData.phone())) {
            io.wacast.campaign.Sql.update(dataSource, "INSERT INTO recipients (campaign_id, phone_e164, status, created_at, updated_at)"
                    + " VALUES (?, ?, 'pending', UTC_TIMESTAMP(), UTC_TIMESTAMP())", campaign, number);
        }
        io.wacast.campaign.Sql.update(dataSource, "INSERT INTO campaign_counters (campaign_id, status, recipients) VALUES (?, 'pending', 2)"
                + " ON DUPLICATE KEY UPDATE recipients = recipients + 2", campaign);
        assertThat(counted(campaign)).isEqualTo(1);
        assertCountsAsSql(campaign, "pending");
    }

    /**
     * An erasure that commits after the snapshot read the contact and before it committed cannot see the
     * snapshot's rows, so the snapshot notes them itself: the test holds a lock on a contact the snapshot
     * settles before the erased one (a plain connection, by primary key: the row itself, as an erasure's
     * DELETE locks it), erases the other meanwhile, then lets the snapshot go on.
     */
    @Test
    void aContactErasedWhileASnapshotIsTakenIsNotCountedAsARecipientContact() throws Exception {
        String tag = "rb-" + UUID.randomUUID().toString().substring(0, 8);
        String held = TestData.phone();
        String erased = TestData.phone();
        for (String phone : List.of(held, erased)) { // in this order: the held contact has the lower id
            contact(phone, Map.of("tags", List.of(tag), "attributes", Map.of("first_name", "Asha"),
                    "consent", Map.of("status", "opted_in", "source", "api")));
        }
        long campaign = TestData.draft();
        sendToTaggedAudience(campaign, tag);

        CompletableFuture<Integer> send;
        var config = org.eclipse.microprofile.config.ConfigProvider.getConfig();
        try (Connection lock = java.sql.DriverManager.getConnection(config.getValue("quarkus.datasource.jdbc.url", String.class),
                config.getValue("quarkus.datasource.username", String.class),
                config.getValue("quarkus.datasource.password", String.class))) {
            lock.setAutoCommit(false);
            try (PreparedStatement forUpdate = lock.prepareStatement("SELECT id FROM contacts WHERE id = ? FOR UPDATE")) {
                forUpdate.setLong(1, sql("SELECT id FROM contacts WHERE phone_e164 = ?", held));
                try (var row = forUpdate.executeQuery()) {
                    assertThat(row.next()).isTrue();
                }
            }
            send = CompletableFuture.supplyAsync(() -> Api.admin().post(CAMPAIGNS + "/" + campaign + "/send").then().extract().statusCode());
            // the snapshot has read and stored both, and waits to settle the held contact (the service's own
            // connections are listed without the PROCESS privilege; the statement runs until the lock is let go)
            await().atMost(Duration.ofSeconds(60)).until(() -> sql("SELECT COUNT(*) FROM information_schema.PROCESSLIST"
                    + " WHERE ID <> CONNECTION_ID() AND INFO LIKE 'SELECT id FROM contacts FORCE INDEX (PRIMARY) WHERE id IN (%)"
                    + " LOCK IN SHARE MODE'") == 1);
            Api.admin().delete("/api/whatsapp/contacts/" + erased).then().statusCode(204);
            lock.rollback();
        }
        assertThat(send.get(60, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo(200);

        assertThat(sql("SELECT COUNT(*) FROM recipients WHERE campaign_id = ?", campaign)).isEqualTo(2);
        assertThat(sql("SELECT COUNT(*) FROM erased_contact_recipients e JOIN recipients r ON r.id = e.recipient_id"
                + " WHERE e.campaign_id = ? AND r.phone_e164 = ?", campaign, erased)).isEqualTo(1);
        assertThat(counted(campaign)).isEqualTo(1);
        assertCountsAsSql(campaign);
    }
}
