package io.wacast.campaign.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.wacast.campaign.Api;
import io.wacast.campaign.ApplierFeed;
import io.wacast.campaign.KafkaProbe;
import io.wacast.campaign.KafkaTopicsTestResource;
import io.wacast.campaign.TestData;
import io.wacast.common.Topics;
import io.wacast.common.event.InboundEvent;
import io.wacast.common.event.InboundKind;
import io.wacast.common.event.SendJob;

/** Consent as the engine enforces it: at dispatch, and as opt-in/opt-out webhooks change it. */
@QuarkusTest
@QuarkusTestResource(KafkaTopicsTestResource.class)
class ContactConsentTest {

    private static final Duration PATIENCE = Duration.ofSeconds(30);

    @Inject
    AgroalDataSource dataSource;

    @Inject
    ObjectMapper json;

    @Inject
    ApplierFeed publish;

    @Test
    void aMarketingCampaignSkipsNumbersWithoutAnOptInAndAUtilityCampaignSendsThem() throws Exception {
        String optedIn = TestData.phone();
        String withdrawn = TestData.phone();
        String erased = TestData.phone();
        List<String> phones = List.of(optedIn, withdrawn, erased);
        long marketing = campaign(TestData.template(), phones);
        long utility = campaign(utilityTemplate(), phones);
        // uploading recorded an opt-in for every number; the operator withdraws one and erases another
        Api.admin().body(Map.of("consent", Map.of("status", "none"))).put("/api/whatsapp/contacts/" + withdrawn)
                .then().statusCode(200).body("consent.status", equalTo("none"));
        Api.admin().delete("/api/whatsapp/contacts/" + erased).then().statusCode(204);

        try (KafkaProbe jobs = new KafkaProbe(Topics.SEND_JOBS, r -> r.value().contains("\"campaignId\":" + marketing + ",")
                || r.value().contains("\"campaignId\":" + utility + ","))) {
            Api.admin().post("/api/whatsapp/campaigns/" + marketing + "/send").then().statusCode(200);
            Api.admin().post("/api/whatsapp/campaigns/" + utility + "/send").then().statusCode(200);
            await().atMost(PATIENCE).until(() -> jobs.records().size() >= 4);
            await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(5)).until(() -> jobs.records().size() == 4);
            List<String> toMarketing = new ArrayList<>();
            List<String> toUtility = new ArrayList<>();
            for (var record : jobs.records()) {
                SendJob job = json.readValue(record.value(), SendJob.class);
                (job.campaignId() == marketing ? toMarketing : toUtility).add(job.to());
            }
            assertThat(toMarketing).containsExactly(optedIn);
            assertThat(toUtility).containsExactlyInAnyOrderElementsOf(phones);
        }
        await().atMost(PATIENCE).until(() -> count("SELECT COUNT(*) FROM recipients WHERE campaign_id = " + marketing
                + " AND status = 'opted_out' AND last_error_message = '" + CampaignDispatcher.NO_MARKETING_OPT_IN + "'") == 2);
        Api.admin().get("/api/whatsapp/campaigns/" + marketing + "/stats").then().statusCode(200)
                .body("stats.optedOut", equalTo(2));
    }

    @Test
    void optInAndOptOutWebhooksChangeTheContactsConsent() {
        String phone = TestData.phone();
        String known = TestData.phone();
        String city = "City" + UUID.randomUUID().toString().substring(0, 8);
        Api.admin().body(Map.of("name", "Known", "tags", List.of("vip"), "attributes", Map.of("city", city)))
                .put("/api/whatsapp/contacts/" + known).then().statusCode(201).body("consent.status", equalTo("none"));
        Map<String, Object> knownByReply = Map.of("attributes", List.of(Map.of("name", "city", "op", "eq", "value", city)),
                "consent", Map.of("sources", List.of("whatsapp_reply")));
        assertThat(audienceCount(knownByReply)).as("the contact before its opt-in").isZero();

        publish.inbound(keyword(phone, InboundKind.OPT_IN, "text"), phone);
        publish.inbound(keyword(known, InboundKind.OPT_IN, "user_preferences"), known);
        await().atMost(PATIENCE).untilAsserted(() -> Api.admin().get("/api/whatsapp/contacts/" + phone).then()
                .statusCode(200)
                .body("country", equalTo("IN"))
                .body("consent.status", equalTo("opted_in"))
                .body("consent.optIn.source", equalTo("whatsapp_reply")));
        await().atMost(PATIENCE).untilAsserted(() -> Api.admin().get("/api/whatsapp/contacts/" + known).then()
                .body("name", equalTo("Known"))
                .body("consent.optIn.source", equalTo("whatsapp_reply")));
        // the opt-in reached the contact's attribute rows too (V35): an attribute with a source counts it
        assertThat(audienceCount(knownByReply)).as("the contact after its opt-in, by attribute and source").isEqualTo(1);

        publish.inbound(keyword(phone, InboundKind.OPT_OUT, "text"), phone);
        await().atMost(PATIENCE).untilAsserted(() -> Api.admin().get("/api/whatsapp/contacts/" + phone).then()
                .body("consent.status", equalTo("opted_out"))
                .body("consent.optOut.source", equalTo("reply")));
        Api.admin().queryParam("consent", "opted_out").queryParam("tag", "vip").get("/api/whatsapp/contacts").then()
                .statusCode(200);

        // the user's START lifts their own STOP and records a new opt-in
        publish.inbound(keyword(phone, InboundKind.OPT_IN, "text"), phone);
        await().atMost(PATIENCE).untilAsserted(() -> Api.admin().get("/api/whatsapp/contacts/" + phone).then()
                .body("consent.status", equalTo("opted_in")));
        // each change is in the number's consent history, made by the user over WhatsApp
        Api.admin().get("/api/whatsapp/contacts/" + phone + "/consent").then().statusCode(200)
                .body("changes.status", org.hamcrest.Matchers.contains("opted_in", "opt_out_lifted", "opted_out", "opted_in"))
                .body("changes.source", org.hamcrest.Matchers.contains("whatsapp_reply", "reply", "reply", "whatsapp_reply"))
                .body("changes.actor", org.hamcrest.Matchers.everyItem(equalTo("whatsapp")));
    }

    private static long audienceCount(Map<String, Object> filter) {
        return ((Number) Api.admin().body(Map.of("filter", filter)).post("/api/whatsapp/audiences/count").then().statusCode(200)
                .extract().path("contacts")).longValue();
    }

    private static InboundEvent keyword(String phone, InboundKind kind, String type) {
        return InboundEvent.of("wamid.in." + UUID.randomUUID(), "100000000000001", phone.substring(1), kind, type,
                kind == InboundKind.OPT_OUT ? "STOP" : "START", null, null, null, Instant.now(), Instant.now());
    }

    private static String utilityTemplate() {
        String name = "utility_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        Api.admin().body(Map.of("name", name, "language", "en_US", "category", "utility", "headerType", "image",
                "body", "Hi {{1}}, {{2}} off today",
                "buttons", List.of(Map.of("type", "url", "text", "Shop", "url", "https://shop.example/{{1}}", "parameter", true))))
                .post("/api/whatsapp/templates").then().statusCode(201);
        return name;
    }

    private static long campaign(String template, List<String> phones) {
        long id = TestData.draft(template);
        List<Map<String, Object>> rows = new ArrayList<>();
        for (String phone : phones) {
            rows.add(Map.of("phoneNumber", phone, "variables", Map.of("body.1", "R")));
        }
        Api.admin().body(rows).post("/api/whatsapp/campaigns/" + id + "/recipients").then().statusCode(200)
                .body("accepted", equalTo(phones.size()));
        return id;
    }

    private long count(String sql) throws SQLException {
        try (var connection = dataSource.getConnection(); var query = connection.createStatement(); var rows = query.executeQuery(sql)) {
            rows.next();
            return rows.getLong(1);
        }
    }
}
