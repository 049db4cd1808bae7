package io.wacast.campaign.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.wacast.campaign.Api;
import io.wacast.campaign.KafkaTopicsTestResource;
import io.wacast.campaign.TestData;
import io.wacast.common.event.JobId;
import io.wacast.common.event.Outcome;
import io.wacast.common.event.OutcomeStatus;

/**
 * What the send answers of paced and paused templates do to a campaign: messages Meta accepted but held
 * by template pacing ({@code message_status} held_for_quality_assessment or paused) are counted per
 * campaign, exactly once per outcome however often it arrives, and shown in the stats beside
 * {@code sent}; a 132015 refusal (template paused) ends the recipient {@code failed} with its code and
 * reason and pauses the campaign (docs/DESIGN.md §6).
 */
@QuarkusTest
@QuarkusTestResource(KafkaTopicsTestResource.class)
class PacingCountsTest {

    @Inject
    AgroalDataSource dataSource;

    @Inject
    EventApplier applier;

    @Test
    void heldAndPausedAnswersAreCountedOncePerOutcomeAndShownInTheStats() {
        long campaign = inFlightCampaign(5);
        List<Long> ids = recipients(campaign);
        Outcome held0 = sent(campaign, ids.get(0), "held_for_quality_assessment");
        Outcome held1 = sent(campaign, ids.get(1), "held_for_quality_assessment");
        Outcome paused2 = sent(campaign, ids.get(2), "paused");
        Outcome accepted3 = sent(campaign, ids.get(3), "accepted");
        Outcome unknownStatus4 = sent(campaign, ids.get(4), "some_future_status");

        applier.apply(List.of(Evidence.of(held0), Evidence.of(held1), Evidence.of(held0)));
        applier.apply(List.of(Evidence.of(paused2), Evidence.of(accepted3), Evidence.of(held1), Evidence.of(unknownStatus4)));
        applier.apply(List.of(Evidence.of(paused2)));

        Api.admin().get("/api/whatsapp/campaigns/" + campaign + "/stats").then().statusCode(200)
                .body("stats.sent", org.hamcrest.Matchers.is(5))
                .body("pacing.heldForQualityAssessment", org.hamcrest.Matchers.is(2))
                .body("pacing.paused", org.hamcrest.Matchers.is(1));
    }

    @Test
    void aCampaignWithoutHeldMessagesShowsZeros() {
        long campaign = inFlightCampaign(1);
        applier.apply(List.of(Evidence.of(sent(campaign, recipients(campaign).get(0), "accepted"))));

        Api.admin().get("/api/whatsapp/campaigns/" + campaign + "/stats").then().statusCode(200)
                .body("pacing.heldForQualityAssessment", org.hamcrest.Matchers.is(0))
                .body("pacing.paused", org.hamcrest.Matchers.is(0));
    }

    @Test
    void aTemplatePausedRefusalEndsTheRecipientFailedWithItsReasonAndPausesTheCampaign() {
        long campaign = inFlightCampaign(2);
        List<Long> ids = recipients(campaign);
        // as the sender reports Meta's answer (OutcomeRules: fail_and_pause_campaign, no retry)
        Outcome refused = Outcome.of(JobId.of(campaign, ids.get(0)), campaign, ids.get(0), OutcomeStatus.FAILED, null,
                null, 132015, "template is paused (HTTP 400): (#132015) Template is Paused: Template x is paused due to"
                        + " low quality so it cannot be sent in a template message",
                io.wacast.common.meta.MetaErrorPolicy.Action.FAIL_AND_PAUSE_CAMPAIGN, null, 1, Instant.now());

        applier.apply(List.of(Evidence.of(refused), Evidence.of(refused)));

        Api.admin().get("/api/whatsapp/campaigns/" + campaign + "/recipients?status=failed").then().statusCode(200)
                .body("total", org.hamcrest.Matchers.is(1))
                .body("items[0].lastErrorCode", org.hamcrest.Matchers.is(132015))
                .body("items[0].lastErrorMessage", org.hamcrest.Matchers.containsString("Template is Paused"));
        Api.admin().get("/api/whatsapp/campaigns/" + campaign + "/stats").then().statusCode(200)
                .body("stats.failed", org.hamcrest.Matchers.is(1))
                .body("errorBreakdown.find { it.code == 132015 }.count", org.hamcrest.Matchers.is(1))
                .body("errorBreakdown.find { it.code == 132015 }.meaning", org.hamcrest.Matchers.is("template is paused"));
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30)).until(() -> "paused".equals(
                Api.admin().get("/api/whatsapp/campaigns/" + campaign).then().extract().path("status")));
        Api.admin().get("/api/whatsapp/campaigns/" + campaign).then()
                .body("statusReason", org.hamcrest.Matchers.containsString("132015"));
    }

    private static Outcome sent(long campaign, long recipient, String messageStatus) {
        return Outcome.of(JobId.of(campaign, recipient), campaign, recipient, OutcomeStatus.SENT,
                "wamid.pacing." + campaign + "." + recipient, messageStatus, null, null, null, null, 1, Instant.now());
    }

    private long inFlightCampaign(int recipients) {
        long campaign = ((Number) Api.admin().body(Map.of(
                "name", "pacing " + UUID.randomUUID(),
                "templateName", TestData.template(),
                "templateLanguage", "en_US",
                "templateVariables", TestData.defaults(),
                "rateLimit", 60)).post("/api/whatsapp/campaigns").then().statusCode(201).extract().path("id")).longValue();
        List<Map<String, Object>> rows = new ArrayList<>();
        for (int i = 0; i < recipients; i++) {
            rows.add(Map.of("phoneNumber", TestData.phone(), "variables", Map.of("body.1", "R" + i)));
        }
        Api.admin().body(rows).post("/api/whatsapp/campaigns/" + campaign + "/recipients").then().statusCode(200);
        try (var connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try (var statement = connection.createStatement()) {
                statement.executeUpdate("UPDATE recipients SET status = 'queued', queued_at = NOW(6) - INTERVAL 1 MINUTE"
                        + " WHERE campaign_id = " + campaign);
                statement.executeUpdate("UPDATE campaign_counters SET recipients = CASE status WHEN 'queued' THEN "
                        + recipients + " ELSE 0 END WHERE campaign_id = " + campaign);
                statement.executeUpdate("UPDATE campaigns SET status = 'sending', started_at = NOW(6) - INTERVAL 1 MINUTE"
                        + " WHERE id = " + campaign);
            }
            connection.commit();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return campaign;
    }

    private List<Long> recipients(long campaign) {
        List<Long> ids = new ArrayList<>();
        try (var connection = dataSource.getConnection();
                var query = connection.prepareStatement("SELECT id FROM recipients WHERE campaign_id = ? ORDER BY id")) {
            query.setLong(1, campaign);
            try (var rows = query.executeQuery()) {
                while (rows.next()) {
                    ids.add(rows.getLong(1));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return ids;
    }
}
