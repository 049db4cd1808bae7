package io.wacast.campaign.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.wacast.campaign.Api;
import io.wacast.campaign.EventPublisher;
import io.wacast.campaign.KafkaTopicsTestResource;
import io.wacast.campaign.TestData;
import io.wacast.campaign.messaging.SignalConsumer;
import io.wacast.common.Topics;
import io.wacast.common.event.AccountSignal;

/**
 * Meta's account-level webhooks, as the webhook-service publishes them to the real
 * {@code wacast.account-signals}, acted on by the campaign-service over the real database: a paused
 * template pauses the campaigns sending it within seconds with the reason in the campaign, resume waits
 * for re-approval, RED quality, a flagged number and a restricted account pause what they concern,
 * and redelivered, stale and unreadable signals change nothing and never stall the consumer.
 */
@QuarkusTest
@QuarkusTestResource(KafkaTopicsTestResource.class)
class AccountSignalsTest {

    /** The design's bound for a paused template to pause its campaigns (DESIGN §4), with a CI margin. */
    private static final Duration PAUSE_BOUND = Duration.ofSeconds(5);
    private static final Duration PATIENCE = Duration.ofSeconds(30);
    private static final String NUMBER = "100000000000001";
    /** Mapped to display number 15550000009 in the test profile. */
    private static final String OTHER_NUMBER = "100000000000009";

    @Inject
    AgroalDataSource dataSource;

    @Inject
    ObjectMapper json;

    @Inject
    SignalConsumer consumer;

    private EventPublisher publish;
    private final String waba = "waba-" + UUID.randomUUID();
    private long clock = Instant.now().getEpochSecond() - 600;

    @BeforeEach
    void waitForTheConsumer() {
        await().atMost(PATIENCE).until(consumer::isAssigned);
        publish = new EventPublisher(json);
    }

    @AfterEach
    void close() {
        publish.close();
    }

    @Test
    void aPausedTemplatePausesEverySendingCampaignOfItWithTheReasonAndOnlyReapprovalMakesThemResumable() {
        String template = TestData.template();
        long first = sendingCampaign(template, NUMBER);
        long second = sendingCampaign(template, NUMBER);
        long other = sendingCampaign(TestData.template(), NUMBER);
        long draft = TestData.draft(template);

        AccountSignal paused = templateStatus(template, "PAUSED", "LOW_QUALITY");
        publish(paused);

        await("campaigns of the paused template paused").atMost(PAUSE_BOUND).pollInterval(Duration.ofMillis(100))
                .untilAsserted(() -> {
                    assertThat(status(first)).isEqualTo("paused");
                    assertThat(status(second)).isEqualTo("paused");
                });
        assertThat(campaign(first).getString("statusReason"))
                .isEqualTo("template " + template + " (en_US) paused by Meta: LOW_QUALITY");
        assertThat(status(other)).as("a campaign of another template").isEqualTo("sending");
        assertThat(status(draft)).as("a draft is not sending").isEqualTo("draft");
        JsonPath view = template(template);
        assertThat(view.getString("status")).isEqualTo("paused");
        assertThat(view.getString("statusReason")).isEqualTo("LOW_QUALITY");
        Api.admin().post("/api/whatsapp/campaigns/" + first + "/resume").then().statusCode(422);

        publish(templateStatus(template, "APPROVED", "NONE"));
        await("template approved again").atMost(PATIENCE).until(() -> template(template).getString("status").equals("approved"));
        assertThat(status(first)).as("re-approval does not resume by itself").isEqualTo("paused");
        Api.admin().post("/api/whatsapp/campaigns/" + first + "/resume").then().statusCode(200);
        assertThat(status(first)).isEqualTo("sending");

        // Meta redelivers the pause (same event id) and an older one arrives late: neither pauses again
        publish(paused);
        publish(new AccountSignal(UUID.randomUUID().toString(), 1, AccountSignal.TEMPLATE_STATUS, waba, "PAUSED", null,
                template, "en_US", "LOW_QUALITY", null, null, null, null, null, List.of(),
                paused.metaTimestamp().minusSeconds(60), Instant.now()));
        AccountSignal marker = templateQuality(template, "YELLOW");
        publish(marker);
        await("the signals after them applied").atMost(PATIENCE)
                .until(() -> "yellow".equals(template(template).getString("quality")));
        assertThat(status(first)).isEqualTo("sending");
        assertThat(template(template).getString("status")).isEqualTo("approved");
    }

    @Test
    void aScheduledCampaignOfAPausedTemplateKeepsItsScheduleWithTheReasonAndStartsPaused() {
        String template = TestData.template();
        long campaign = TestData.withRecipient(((Number) Api.admin().body(Map.of(
                "name", "scheduled " + UUID.randomUUID(),
                "templateName", template,
                "templateLanguage", "en_US",
                "templateVariables", TestData.defaults(),
                "scheduledFor", java.time.OffsetDateTime.now().plusSeconds(4).toString()))
                .post("/api/whatsapp/campaigns").then().statusCode(201).extract().path("id")).longValue());

        publish(templateStatus(template, "PAUSED", "LOW_QUALITY"));
        await().atMost(PAUSE_BOUND).until(() -> campaign(campaign).getString("statusReason") != null);
        assertThat(status(campaign)).as("a resume would start it before its time").isEqualTo("scheduled");
        assertThat(campaign(campaign).getString("statusReason")).startsWith("template " + template + " (en_US) paused by Meta");

        await("started at scheduledFor, paused").atMost(PATIENCE).until(() -> status(campaign).equals("paused"));
        assertThat(campaign(campaign).getString("statusReason"))
                .startsWith("not started at its scheduled time: template '" + template + "' (en_US) is paused");
        assertThat(Api.admin().get("/api/whatsapp/campaigns/" + campaign + "/stats").then().statusCode(200).extract()
                .jsonPath().getLong("stats.pending")).as("nothing dispatched").isEqualTo(1L);
    }

    @Test
    void aMarketingTemplateDroppingToRedPausesItsCampaignsAndEveryQualityIsShown() {
        String template = TestData.template();
        long campaign = sendingCampaign(template, NUMBER);

        publish(templateQuality(template, "GREEN"));
        await().atMost(PATIENCE).until(() -> "green".equals(template(template).getString("quality")));
        assertThat(status(campaign)).isEqualTo("sending");

        publish(templateQuality(template, "RED"));
        await().atMost(PAUSE_BOUND).until(() -> status(campaign).equals("paused"));
        assertThat(template(template).getString("quality")).isEqualTo("red");
        assertThat(campaign(campaign).getString("statusReason")).contains("quality dropped to RED");
    }

    @Test
    void onlyACompletedCategoryChangeChangesTheCategoryAnImpendingOneIsShownAsUpcoming() {
        String template = TestData.template();
        long effective = Instant.now().plusSeconds(86_400).getEpochSecond();

        publish(signal(AccountSignal.TEMPLATE_CATEGORY, AccountSignal.CATEGORY_IMPENDING, template, null, "MARKETING",
                "UTILITY", Instant.ofEpochSecond(effective), null, null, List.of()));
        await().atMost(PATIENCE).until(() -> "utility".equals(template(template).getString("upcomingCategory")));
        assertThat(template(template).getString("category")).isEqualTo("marketing");

        publish(signal(AccountSignal.TEMPLATE_CATEGORY, AccountSignal.CATEGORY_COMPLETED, template, null, "MARKETING",
                "UTILITY", null, null, null, List.of()));
        await().atMost(PATIENCE).until(() -> "utility".equals(template(template).getString("category")));
        assertThat(template(template).getString("upcomingCategory")).isNull();
    }

    @Test
    void aFlaggedNumberPausesOnlyTheMarketingCampaignsOnItAndTheNumbersAndTierAreShown() {
        long onFlagged = sendingCampaign(TestData.template(), OTHER_NUMBER);
        long elsewhere = sendingCampaign(TestData.template(), NUMBER);

        publish(signal(AccountSignal.NUMBER_QUALITY, "FLAGGED", null, null, "TIER_10K", "TIER_10K", null,
                "15550000009", 10_000L, List.of()));

        await().atMost(PAUSE_BOUND).until(() -> status(onFlagged).equals("paused"));
        assertThat(campaign(onFlagged).getString("statusReason")).isEqualTo("number " + OTHER_NUMBER + " flagged by Meta (quality)");
        assertThat(status(elsewhere)).isEqualTo("sending");
        JsonPath numbers = Api.admin().get("/api/whatsapp/numbers").then().statusCode(200).extract().jsonPath();
        Map<String, Object> number = numbers.getMap("numbers.find { it.displayPhoneNumber == '15550000009' }");
        assertThat(number).containsEntry("phoneNumberId", OTHER_NUMBER).containsEntry("lastEvent", "FLAGGED")
                .containsEntry("flagged", true).containsEntry("wabaId", waba);
        assertThat(numbers.getLong("portfolios.find { it.wabaId == '" + waba + "' }.messagingLimit")).isEqualTo(10_000L);

        publish(signal(AccountSignal.BUSINESS_CAPABILITY, "CAPABILITY", null, null, null, null, null, null, 100_000L, List.of()));
        assertThat(Api.admin().get("/api/whatsapp/campaigns/" + elsewhere + "/plan").then().statusCode(200).extract()
                .jsonPath().getLong("messagingLimit.tier")).as("another portfolio's number keeps its own tier")
                .isNotEqualTo(100_000L);
        await("the learned tier feeds the plan of the portfolio's numbers").atMost(PATIENCE).until(() -> Api.admin()
                .get("/api/whatsapp/campaigns/" + onFlagged + "/plan").then().statusCode(200).extract().jsonPath()
                .getLong("messagingLimit.tier") == 100_000L);
        Api.as(Api.issueKey("viewer")).get("/api/whatsapp/numbers").then().statusCode(200);
        io.restassured.RestAssured.given().get("/api/whatsapp/numbers").then().statusCode(401);
    }

    @Test
    void anAccountRestrictionStopsTheCampaignsOnItsNumbersWithTheReason() {
        // the account's numbers are those Meta's number webhooks named for it
        publish(signal(AccountSignal.NUMBER_QUALITY, "UNFLAGGED", null, null, null, null, null, "15550000009", null, List.of()));
        long campaign = sendingCampaign(TestData.template(), OTHER_NUMBER);

        publish(signal(AccountSignal.ACCOUNT_UPDATE, "ACCOUNT_RESTRICTION", null, null, null, null, null, null, null,
                List.of(new AccountSignal.Restriction("RESTRICTED_BIZ_INITIATED_MESSAGING", "2026-12-19T13:59:20+0000"))));

        await().atMost(PAUSE_BOUND).until(() -> status(campaign).equals("paused"));
        assertThat(campaign(campaign).getString("statusReason")).isEqualTo("account " + waba
                + " account restriction; RESTRICTED_BIZ_INITIATED_MESSAGING until 2026-12-19T13:59:20+0000");
        JsonPath numbers = Api.admin().get("/api/whatsapp/numbers").then().statusCode(200).extract().jsonPath();
        assertThat(numbers.getBoolean("portfolios.find { it.wabaId == '" + waba + "' }.blocked")).isTrue();
    }

    @Test
    void unreadableRecordsAndSignalsOfUnknownTemplatesAreSkippedWithoutStallingTheConsumer() {
        String template = TestData.template();
        publish.send(Topics.ACCOUNT_SIGNALS, waba, "{not json", Topics.EVENT_TYPE_ACCOUNT_SIGNAL);
        publish.send(Topics.ACCOUNT_SIGNALS, waba, "{\"eventId\":\"x\",\"field\":\"account_update\"}", Topics.EVENT_TYPE_ACCOUNT_SIGNAL);
        publish(templateStatus("no_such_template_" + UUID.randomUUID().toString().substring(0, 8), "PAUSED", null));
        publish(templateQuality(template, "YELLOW"));

        await().atMost(PATIENCE).until(() -> "yellow".equals(template(template).getString("quality")));
        String metrics = io.restassured.RestAssured.given().get("/q/metrics").then().extract().asString();
        assertThat(metrics).contains("wacast_campaign_signals_total{result=\"malformed\"}")
                .contains("wacast_campaign_signals_total{result=\"unmatched\"}");
    }

    private AccountSignal templateStatus(String template, String event, String reason) {
        return signal(AccountSignal.TEMPLATE_STATUS, event, template, reason, null, null, null, null, null, List.of());
    }

    private AccountSignal templateQuality(String template, String score) {
        return signal(AccountSignal.TEMPLATE_QUALITY, score, template, null, null, score, null, null, null, List.of());
    }

    /** A signal as the webhook-service publishes it, each one a second after the previous (Meta's time). */
    private AccountSignal signal(String field, String event, String template, String reason, String previous,
            String next, Instant effectiveAt, String display, Long limit, List<AccountSignal.Restriction> restrictions) {
        clock++;
        return new AccountSignal(UUID.randomUUID().toString(), AccountSignal.SCHEMA_VERSION, field, waba, event,
                template == null ? null : "9" + Math.abs(template.hashCode()), template, template == null ? null : "en_US",
                reason, previous, next, effectiveAt, display, limit, restrictions, Instant.ofEpochSecond(clock), Instant.now());
    }

    private void publish(AccountSignal signal) {
        try {
            publish.send(Topics.ACCOUNT_SIGNALS, waba, json.writeValueAsString(signal), Topics.EVENT_TYPE_ACCOUNT_SIGNAL);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String status(long campaign) {
        return campaign(campaign).getString("status");
    }

    private static JsonPath campaign(long campaign) {
        return Api.admin().get("/api/whatsapp/campaigns/" + campaign).then().statusCode(200).extract().jsonPath();
    }

    private static JsonPath template(String name) {
        List<Map<String, Object>> all = Api.admin().get("/api/whatsapp/templates").then().statusCode(200).extract()
                .jsonPath().getList("$");
        Object id = all.stream().filter(t -> name.equals(t.get("name"))).findFirst().orElseThrow().get("id");
        return Api.admin().get("/api/whatsapp/templates/" + id).then().statusCode(200).extract().jsonPath();
    }

    /**
     * A sending campaign whose recipients are all queued already, put in flight in the database so no
     * job reaches a sender another module may be testing at the same time (as in ApplierTest).
     */
    private long sendingCampaign(String template, String phoneNumberId) {
        long campaign = ((Number) Api.admin().body(Map.of(
                "name", "signals " + UUID.randomUUID(),
                "templateName", template,
                "templateLanguage", "en_US",
                "templateVariables", TestData.defaults(),
                "phoneNumberId", phoneNumberId,
                "rateLimit", 60)).post("/api/whatsapp/campaigns").then().statusCode(201).extract().path("id")).longValue();
        List<Map<String, Object>> rows = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            rows.add(Map.of("phoneNumber", TestData.phone(), "variables", Map.of("body.1", "R" + i)));
        }
        Api.admin().body(rows).post("/api/whatsapp/campaigns/" + campaign + "/recipients").then().statusCode(200);
        try (var connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try (var statement = connection.createStatement()) {
                statement.executeUpdate("UPDATE recipients SET status = 'queued', queued_at = NOW(6) - INTERVAL 1 MINUTE"
                        + " WHERE campaign_id = " + campaign);
                statement.executeUpdate("UPDATE campaign_counters SET recipients = CASE status WHEN 'queued' THEN 3 ELSE 0 END"
                        + " WHERE campaign_id = " + campaign);
                statement.executeUpdate("UPDATE campaigns SET status = 'sending', started_at = NOW(6) - INTERVAL 1 MINUTE"
                        + " WHERE id = " + campaign);
            }
            connection.commit();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return campaign;
    }
}
