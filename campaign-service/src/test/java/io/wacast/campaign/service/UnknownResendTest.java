package io.wacast.campaign.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.wacast.campaign.Api;
import io.wacast.campaign.ApplierFeed;
import io.wacast.campaign.KafkaProbe;
import io.wacast.campaign.KafkaTopicsTestResource;
import io.wacast.campaign.StagedCampaign;
import io.wacast.campaign.StagedCampaign.Row;
import io.wacast.campaign.StagedCampaign.Target;
import io.wacast.common.Topics;
import io.wacast.common.event.Outcome;
import io.wacast.common.event.OutcomeStatus;
import io.wacast.common.event.SendJob;

/**
 * The unknown safety net against the real broker and database, with a sweep every second that decides
 * after 1 s and gives up after 3 s: an unknown recipient is re-sent once when a recipient queued with or
 * after it was delivered, kept unknown otherwise; its campaign completes only after the decision, and
 * after a re-send only once the re-send settled it or 3 s passed. Campaigns are staged in the database,
 * so only the re-sends reach the topic.
 */
@QuarkusTest
@TestProfile(UnknownResendTest.QuickDecisions.class)
@QuarkusTestResource(KafkaTopicsTestResource.class)
class UnknownResendTest {

    public static class QuickDecisions implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("wacast.campaign.unknown-resend.after", "1s",
                    "wacast.campaign.unknown-resend.give-up-after", "3s",
                    "wacast.campaign.unknown-resend.interval", "1s");
        }
    }

    private static final Duration PATIENCE = Duration.ofSeconds(30);
    /** Several sweeps: long enough for a wrong second re-send to show. */
    private static final Duration SWEEPS = Duration.ofSeconds(4);

    @Inject
    AgroalDataSource dataSource;

    @Inject
    ObjectMapper json;

    @Inject
    ApplierFeed publish;

    @Test
    void anUnknownWhoseLaterQueuedNeighbourWasDeliveredIsResentExactlyOnce() throws Exception {
        double resentBefore = metric("wacast_unknown_resend_total", "decision", "resent");
        try (KafkaProbe jobs = jobsProbe()) {
            // the queued one keeps the campaign open while the sweeps are watched
            StagedCampaign campaign = StagedCampaign.sending(dataSource, new Row("unknown", 60), new Row("delivered", 30),
                    new Row("sent", 30), new Row("queued", 1));
            Target unknown = campaign.recipient(0);

            await().atMost(PATIENCE).until(() -> jobsOf(jobs, campaign).size() == 1);
            SendJob resend = jobsOf(jobs, campaign).get(0);
            assertThat(resend.resend()).isTrue();
            assertThat(resend.jobId()).isEqualTo(unknown.jobId());
            assertThat(resend.recipientId()).isEqualTo(unknown.id());
            assertThat(resend.to()).isEqualTo(unknown.phone());
            assertThat(resend.notBefore()).isNull();
            assertThat(resend.variables()).containsEntry("body.1", "R0").containsKeys("header.image", "body.2", "button.url.0");
            assertThat(campaign.column(unknown, "resend_state")).isEqualTo("resent");
            assertThat(campaign.column(unknown, "status")).isEqualTo("unknown");
            assertThat(campaign.counts()).containsEntry("resentUnknown", 1).containsEntry("keptUnknown", 0)
                    .containsEntry("unknown", 1);
            await().atMost(PATIENCE).until(() -> metric("wacast_unknown_resend_total", "decision", "resent") >= resentBefore + 1);

            // A deferral from before the decision is of the original attempt: stale, nothing changes.
            Instant decidedAt = campaign.instant(unknown, "resend_decided_at");
            double appliedBefore = metric("wacast_applier_events_total", "result", "applied");
            publish.outcome(outcome(unknown, OutcomeStatus.DEFERRED, decidedAt.minusSeconds(60)));
            await().atMost(PATIENCE).until(() -> metric("wacast_applier_events_total", "result", "applied") >= appliedBefore + 1);
            await().during(SWEEPS).atMost(SWEEPS.plusSeconds(10)).until(() -> jobsOf(jobs, campaign).size() == 1
                    && "resent".equals(campaign.column(unknown, "resend_state")));
        }
    }

    @Test
    void theResendsSentOutcomeMovesTheRecipientOnAndCompletesTheCampaign() throws Exception {
        try (KafkaProbe jobs = jobsProbe()) {
            StagedCampaign campaign = StagedCampaign.sending(dataSource, new Row("unknown", 60), new Row("read", 30));
            Target unknown = campaign.recipient(0);
            await().atMost(PATIENCE).until(() -> jobsOf(jobs, campaign).size() == 1);
            Instant decidedAt = campaign.instant(unknown, "resend_decided_at");

            publish.outcome(Outcome.of(unknown.jobId(), campaign.id(), unknown.id(), OutcomeStatus.SENT,
                    "wamid.resend." + unknown.id(), "accepted", null, null, null, null, 1, Instant.now()));
            await().atMost(PATIENCE).until(() -> "sent".equals(campaign.column(unknown, "status")));
            assertThat(campaign.countersEqualRows()).isTrue();
            assertThat(campaign.counts()).containsEntry("total", 2).containsEntry("unknown", 0).containsEntry("sent", 1)
                    .containsEntry("resentUnknown", 1).containsEntry("keptUnknown", 0);
            await().atMost(PATIENCE).until(() -> "completed".equals(campaign.status()));
            assertThat(campaign.completedAt()).isAfterOrEqualTo(decidedAt);
            assertThat(jobsOf(jobs, campaign)).hasSize(1);
        }
    }

    @Test
    void withoutADeliveredNeighbourQueuedWithOrAfterItNothingIsResentAndTheUnknownIsKept() throws Exception {
        try (KafkaProbe jobs = jobsProbe()) {
            // delivered, but queued before the unknown one; sent, but no webhook delivered it
            StagedCampaign campaign = StagedCampaign.sending(dataSource, new Row("unknown", 60), new Row("delivered", 120),
                    new Row("sent", 30));
            Target unknown = campaign.recipient(0);

            List<String> seen = new ArrayList<>();
            await().atMost(PATIENCE).until(() -> {
                String state = campaign.statusWithResendStateOf(unknown);
                seen.add(state);
                return state.endsWith("/kept") || state.startsWith("completed/");
            });
            assertThat(seen).as("the campaign is not completed while its unknown recipient is undecided")
                    .noneMatch(state -> state.equals("completed/undecided"));
            assertThat(campaign.column(unknown, "status")).isEqualTo("unknown");
            assertThat(campaign.counts()).containsEntry("keptUnknown", 1).containsEntry("resentUnknown", 0);

            await().atMost(PATIENCE).until(() -> "completed".equals(campaign.status()));
            assertThat(campaign.completedAt()).isAfterOrEqualTo(campaign.instant(unknown, "resend_decided_at"));
            await().during(SWEEPS).atMost(SWEEPS.plusSeconds(10)).until(() -> jobsOf(jobs, campaign).isEmpty());
        }
    }

    @Test
    void aDeferredResendIsUndecidedAgainAndResentOnceMore() throws Exception {
        try (KafkaProbe jobs = jobsProbe()) {
            // the queued one keeps the campaign open, so the re-send's deferral finds it sending
            StagedCampaign campaign = StagedCampaign.sending(dataSource, new Row("unknown", 60), new Row("responded", 10),
                    new Row("queued", 1));
            Target unknown = campaign.recipient(0);
            await().atMost(PATIENCE).until(() -> jobsOf(jobs, campaign).size() == 1);
            Instant firstDecision = campaign.instant(unknown, "resend_decided_at");

            // The sender dropped the re-send (the campaign was paused for a moment, say).
            publish.outcome(outcome(unknown, OutcomeStatus.DEFERRED, Instant.now()));
            await().atMost(PATIENCE).until(() -> jobsOf(jobs, campaign).size() == 2);
            List<SendJob> resends = jobsOf(jobs, campaign);
            assertThat(resends).allMatch(SendJob::resend).extracting(SendJob::jobId).containsOnly(unknown.jobId());
            assertThat(resends).extracting(SendJob::eventId).doesNotHaveDuplicates();
            assertThat(campaign.instant(unknown, "resend_decided_at")).isAfter(firstDecision);
            assertThat(campaign.column(unknown, "resend_state")).isEqualTo("resent");
            assertThat(campaign.countersEqualRows()).isTrue();
            await().during(SWEEPS).atMost(SWEEPS.plusSeconds(10)).until(() -> jobsOf(jobs, campaign).size() == 2);
        }
    }

    @Test
    void aPausedCampaignsUnknownIsResentOnlyOnceItIsResumed() throws Exception {
        try (KafkaProbe jobs = jobsProbe()) {
            StagedCampaign campaign = StagedCampaign.sending(dataSource, new Row("unknown", 60), new Row("delivered", 30));
            Api.admin().post("/api/whatsapp/campaigns/" + campaign.id() + "/pause").then().statusCode(200);
            Target unknown = campaign.recipient(0);

            await().during(SWEEPS).atMost(SWEEPS.plusSeconds(10)).until(() -> jobsOf(jobs, campaign).isEmpty()
                    && campaign.column(unknown, "resend_state") == null);
            Api.admin().post("/api/whatsapp/campaigns/" + campaign.id() + "/resume").then().statusCode(200);
            await().atMost(PATIENCE).until(() -> jobsOf(jobs, campaign).stream().anyMatch(SendJob::resend));
            assertThat(campaign.column(unknown, "resend_state")).isEqualTo("resent");
        }
    }

    @Test
    void aResendThatStaysUnknownKeepsTheCampaignOpenForGiveUpAfterOnly() throws Exception {
        try (KafkaProbe jobs = jobsProbe()) {
            StagedCampaign campaign = StagedCampaign.sending(dataSource, new Row("unknown", 60), new Row("delivered", 30));
            Target unknown = campaign.recipient(0);
            await().alias("re-sent (its campaign must not complete before)").atMost(PATIENCE)
                    .until(() -> jobsOf(jobs, campaign).size() == 1);
            // no outcome for the re-send: the sender that took it died too, say
            await().atMost(PATIENCE).until(() -> "completed".equals(campaign.status()));
            assertThat(Duration.between(campaign.instant(unknown, "resend_decided_at"), campaign.completedAt()))
                    .isGreaterThanOrEqualTo(Duration.ofSeconds(3));
            assertThat(campaign.column(unknown, "status")).isEqualTo("unknown");
            assertThat(campaign.counts()).containsEntry("unknown", 1).containsEntry("resentUnknown", 1);
        }
    }

    // ---- helpers --------------------------------------------------------------------------------

    private static KafkaProbe jobsProbe() {
        return new KafkaProbe(Topics.SEND_JOBS, record -> record.value().contains("\"resend\":true"));
    }

    /** The campaign's re-sends on {@code wacast.send-jobs} since the probe opened, each keyed by its phone. */
    private List<SendJob> jobsOf(KafkaProbe jobs, StagedCampaign campaign) throws JsonProcessingException {
        List<SendJob> found = new ArrayList<>();
        for (ConsumerRecord<String, String> record : jobs.records()) {
            SendJob job = json.readValue(record.value(), SendJob.class);
            if (job.campaignId() == campaign.id()) {
                assertThat(record.key()).isEqualTo(job.to());
                found.add(job);
            }
        }
        return found;
    }

    private static Outcome outcome(Target recipient, OutcomeStatus status, Instant at) {
        return Outcome.of(recipient.jobId(), recipient.campaign(), recipient.id(), status, null, null, null,
                status == OutcomeStatus.DEFERRED ? "campaign is paused" : null, null, null, 1, at);
    }

    private static double metric(String name, String tag, String value) {
        return RestAssured.get("/q/metrics").then().statusCode(200).extract().asString().lines()
                .filter(line -> line.startsWith(name + "{") && line.contains(tag + "=\"" + value + "\""))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1))).sum();
    }
}
