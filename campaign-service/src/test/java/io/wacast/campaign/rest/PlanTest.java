package io.wacast.campaign.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.startsWith;

import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import io.wacast.campaign.Api;
import io.wacast.campaign.TestData;

@QuarkusTest
@TestProfile(PlanTest.Blocking.class)
class PlanTest {

    private static final String CAMPAIGNS = "/api/whatsapp/campaigns";
    private static final SecureRandom RANDOM = new SecureRandom();

    /** Germany blocked, a tiny rate card, Meta's starting tier of 250. */
    public static class Blocking implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("wacast.campaign.plan.blocked-countries", "DE",
                    "wacast.campaign.plan.rate-card", "src/test/resources/plan-rate-card.csv",
                    "wacast.campaign.plan.messaging-limit-tier", "250");
        }
    }

    @Inject
    AgroalDataSource dataSource;

    /**
     * The profile's tier applies while Meta has reported no limit for the portfolio; a limit other tests
     * (or a console walk on a developer's long-lived instance) left behind would replace it.
     */
    @BeforeEach
    void noLimitReportedByMeta() throws Exception {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            statement.executeUpdate("UPDATE business_portfolios SET messaging_limit = NULL, limit_at = NULL");
        }
    }

    private static String digits(int count) {
        StringBuilder digits = new StringBuilder();
        for (int i = 0; i < count; i++) {
            digits.append(RANDOM.nextInt(10));
        }
        return digits.toString();
    }

    /** A campaign on a number of its own (no other campaign shares its throughput), 60 messages a minute. */
    private static long campaign(String template, Map<String, Object> extra) {
        Map<String, Object> spec = new HashMap<>();
        spec.put("name", "plan " + UUID.randomUUID());
        spec.put("templateName", template);
        spec.put("templateLanguage", "en_US");
        spec.put("templateVariables", TestData.defaults());
        spec.put("phoneNumberId", "9" + digits(14));
        spec.put("rateLimit", 60);
        spec.putAll(extra);
        return ((Number) Api.admin().body(spec).post(CAMPAIGNS).then().statusCode(201).extract().path("id")).longValue();
    }

    private static Map<String, Object> recipient(String phone, Map<String, String> variables) {
        return Map.of("phoneNumber", phone, "variables", variables);
    }

    @Test
    void thePlanCountsEachExclusionOnceAndPricesWhatWillBeSentByCountry() {
        String template = TestData.template();
        long id = campaign(template, Map.of());
        Map<String, String> full = Map.of("body.1", "A", "body.2", "10%");
        String optedOut = TestData.phone();
        List<Map<String, Object>> rows = new ArrayList<>();
        rows.add(recipient(TestData.phone(), full));                     // IN, sent
        rows.add(recipient(optedOut, full));                             // IN, suppressed after upload
        rows.add(recipient(TestData.phone(), Map.of("body.1", "C")));    // IN, relies on the body.2 default removed below
        rows.add(recipient("+1650253" + digits(4), full));               // US, marketing template
        rows.add(recipient("+49151" + digits(8), full));                 // DE, blocked by configuration
        rows.add(recipient("+55119" + digits(8), full));                 // BR, sent
        rows.add(recipient("+141696" + digits(5), full));                // CA, +1 but not US: sent at the rest-of-world rate
        Api.admin().body(rows).post(CAMPAIGNS + "/" + id + "/recipients").then().statusCode(200).body("accepted", equalTo(7));
        Api.admin().body(Map.of("phoneNumber", optedOut, "reason", "asked")).post("/api/whatsapp/opt-outs").then().statusCode(201);
        Map<String, Object> spec = new HashMap<>();
        spec.put("name", "plan edited");
        spec.put("templateName", template);
        spec.put("templateLanguage", "en_US");
        spec.put("templateVariables", Map.of("header.image", "https://img.example/a.png", "button.url.0", "sale"));
        spec.put("phoneNumberId", Api.admin().get(CAMPAIGNS + "/" + id).then().extract().path("phoneNumberId"));
        spec.put("rateLimit", 60);
        Api.admin().body(spec).put(CAMPAIGNS + "/" + id).then().statusCode(200);

        JsonPath plan = Api.as(Api.issueKey("viewer")).get(CAMPAIGNS + "/" + id + "/plan").then().statusCode(200)
                .body("recipients.pending", equalTo(7))
                .body("recipients.willSend", equalTo(3))
                .body("recipients.excluded.optedOut", equalTo(1))
                .body("recipients.excluded.blockedCountry", equalTo(1))
                .body("recipients.excluded.usMarketing", equalTo(1))
                .body("recipients.excluded.missingVariables", equalTo(1))
                .body("template.name", equalTo(template))
                .body("template.status", equalTo("approved"))
                .body("template.category", equalTo("marketing"))
                .body("template.usable", equalTo(true))
                .body("warnings", hasItem(startsWith("The template was created less than 24 h ago")))
                .body("cost.category", equalTo("marketing"))
                .extract().jsonPath();
        assertThat(plan.getList("cost.countries.country")).containsExactly("BR", "CA", "IN");
        assertThat(plan.getList("cost.countries.recipients", Integer.class)).containsExactly(1, 1, 1);
        assertThat(plan.getList("cost.countries.unitPrice", Float.class)).containsExactly(0.05f, 0.02f, 0.01f);
        assertThat(plan.getList("cost.countries.restOfWorld", Boolean.class)).containsExactly(false, true, false);
        assertThat(plan.getString("cost.totals[0].currency")).isEqualTo("USD");
        assertThat(plan.getDouble("cost.totals[0].amount")).isEqualTo(0.08);
        assertThat(plan.getDouble("duration.perSecond")).isEqualTo(1.0);
        assertThat(plan.getLong("duration.seconds")).isEqualTo(2);
        assertThat(plan.getInt("duration.otherSendingCampaigns")).isZero();
    }

    @Test
    void aWindowedScheduledCampaignIsPlannedFromItsStartWithinItsWindow() {
        ZoneId kolkata = ZoneId.of("Asia/Kolkata");
        ZonedDateTime start = ZonedDateTime.now(kolkata).plusDays(2).withHour(8).withMinute(0).withSecond(0).withNano(0);
        long id = campaign(TestData.template(), Map.of("rateLimit", 30, "scheduledFor", start.toOffsetDateTime().toString(),
                "sendWindow", Map.of("startHour", 9, "endHour", 10, "timeZone", "Asia/Kolkata")));
        List<Map<String, Object>> rows = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            rows.add(recipient(TestData.phone(), Map.of("body.1", "R" + i)));
        }
        Api.admin().body(rows).post(CAMPAIGNS + "/" + id + "/recipients").then().statusCode(200);

        Instant opens = start.withHour(9).toInstant();
        Api.admin().get(CAMPAIGNS + "/" + id + "/plan").then().statusCode(200)
                .body("duration.perSecond", equalTo(0.5f))
                .body("duration.start", equalTo(start.toInstant().toString()))
                .body("duration.end", equalTo(opens.plusSeconds(8).toString()))
                .body("duration.days.size()", equalTo(1))
                .body("duration.days[0].date", equalTo(LocalDate.from(start).toString()))
                .body("duration.days[0].messages", equalTo(5))
                .body("duration.days[0].firstSend", equalTo(opens.toString()))
                .body("duration.days[0].lastSend", equalTo(opens.plusSeconds(8).toString()));
    }

    @Test
    void aCampaignLargerThanTheMessagingLimitDoesNotFitAndIsSplitIntoDays() {
        long id = campaign(TestData.template(), Map.of());
        List<Map<String, Object>> rows = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            rows.add(recipient(TestData.phone(), Map.of("body.1", "R" + i)));
        }
        Api.admin().body(rows).post(CAMPAIGNS + "/" + id + "/recipients").then().statusCode(200).body("accepted", equalTo(300));

        JsonPath plan = Api.admin().get(CAMPAIGNS + "/" + id + "/plan").then().statusCode(200)
                .body("messagingLimit.tier", equalTo(250))
                .body("messagingLimit.fits", equalTo(false))
                .body("messagingLimit.suggestedSplit.recipientsPerDay", equalTo(250))
                .body("messagingLimit.suggestedSplit.days", equalTo(2))
                .extract().jsonPath();
        long reached = plan.getLong("messagingLimit.reachedLast24h");
        Instant start = Instant.parse(plan.getString("duration.start"));
        long room = Math.max(0, 250 - reached);
        assertThat(Instant.parse(plan.getString("messagingLimit.wouldHitLimitAt")))
                .isEqualTo(room == 0 ? start : start.plusSeconds(room - 1));
    }

    @Test
    void aSmallCampaignFitsTheMessagingLimitUnlessOthersUsedIt() {
        long id = TestData.withRecipient(campaign(TestData.template(), Map.of()));
        JsonPath plan = Api.admin().get(CAMPAIGNS + "/" + id + "/plan").then().statusCode(200).extract().jsonPath();
        long reached = plan.getLong("messagingLimit.reachedLast24h");
        // the database is shared with other test runs, whose sends count in the moving 24 h
        assertThat(plan.getBoolean("messagingLimit.fits")).isEqualTo(reached + 1 <= 250);
        if (plan.getBoolean("messagingLimit.fits")) {
            assertThat(plan.getString("messagingLimit.wouldHitLimitAt")).isNull();
            assertThat(plan.getString("messagingLimit.suggestedSplit")).isNull();
        }
    }

    @Test
    void anUnknownCampaignHasNoPlan() {
        Api.admin().get(CAMPAIGNS + "/999999999/plan").then().statusCode(404).contentType("application/problem+json");
    }

    @Test
    void aCampaignWithoutRecipientsIsNotSentAndStaysDraft() {
        long id = TestData.draft();
        Api.admin().post(CAMPAIGNS + "/" + id + "/send").then().statusCode(409)
                .contentType("application/problem+json")
                .body("errors[0].field", equalTo("recipients"));
        Api.admin().get(CAMPAIGNS + "/" + id).then().body("status", equalTo("draft"));
        Api.admin().get(CAMPAIGNS + "/" + id + "/plan").then().statusCode(200)
                .body("recipients.pending", equalTo(0))
                .body("duration.seconds", equalTo(0));
    }

    @Test
    void aCampaignWhoseTemplateIsNoLongerApprovedIsNotSent() throws Exception {
        String template = TestData.template();
        long id = TestData.withRecipient(TestData.draft(template));
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            statement.executeUpdate("UPDATE templates SET status = 'paused' WHERE name = '" + template + "'");
        }
        Api.admin().post(CAMPAIGNS + "/" + id + "/send").then().statusCode(422)
                .contentType("application/problem+json")
                .body("errors[0].field", equalTo("templateName"));
        Api.admin().get(CAMPAIGNS + "/" + id).then().body("status", equalTo("draft"));
        Api.admin().get(CAMPAIGNS + "/" + id + "/plan").then().statusCode(200)
                .body("template.usable", equalTo(false))
                .body("warnings", hasItem(startsWith("The template is paused")));
    }
}
