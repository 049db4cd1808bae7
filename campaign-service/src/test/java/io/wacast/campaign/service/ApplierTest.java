package io.wacast.campaign.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.wacast.campaign.Api;
import io.wacast.campaign.ApplierFeed;
import io.wacast.campaign.KafkaProbe;
import io.wacast.campaign.KafkaTopicsTestResource;
import io.wacast.campaign.TestData;
import io.wacast.common.Topics;
import io.wacast.common.event.DeliveryStatus;
import io.wacast.common.event.InboundEvent;
import io.wacast.common.event.InboundKind;
import io.wacast.common.event.JobId;
import io.wacast.common.event.Outcome;
import io.wacast.common.event.OutcomeStatus;
import io.wacast.common.event.SendJob;
import io.wacast.common.event.StatusEvent;
import io.wacast.common.meta.MetaErrorPolicy;
import io.wacast.common.meta.MetaErrorPolicy.Action;

/**
 * The applier against the real broker and database: outcomes and webhook events published to the
 * shared topics end up in recipient rows, counters, timeline, error breakdown, suppression list and
 * campaign status exactly once, whatever the order and however often they arrive. Most campaigns
 * here are put in flight directly in the database, so no job reaches a sender another module may be
 * testing at the same time; the deferral test dispatches for real.
 */
@QuarkusTest
@QuarkusTestResource(KafkaTopicsTestResource.class)
class ApplierTest {

    private static final Duration PATIENCE = Duration.ofSeconds(30);
    private static final String NUMBER = "100000000000001";

    @Inject
    AgroalDataSource dataSource;

    @Inject
    ObjectMapper json;

    @Inject
    EventApplier applier;

    @Inject
    ApplierFeed publish;

    record Target(long campaign, long id, String phone) {

        String jobId() {
            return JobId.of(campaign, id);
        }

        String wamid() {
            return "wamid.test." + campaign + "." + id;
        }

        /** Meta's recipient_id / from: the number without '+'. */
        String waId() {
            return phone.substring(1);
        }
    }

    @Test
    void statsStayExactUnderDuplicateAndOutOfOrderEvents() {
        List<Target> r = inFlightCampaign(7, NUMBER);
        long campaign = r.get(0).campaign();
        List<Runnable> events = new ArrayList<>();
        // r0: read arrives before delivered (counts both), delivered late changes nothing, read twice.
        StatusEvent read0 = status(r.get(0), DeliveryStatus.READ, null);
        events.add(() -> publish.outcome(sent(r.get(0))));
        events.add(() -> publish.status(read0));
        events.add(() -> publish.status(status(r.get(0), DeliveryStatus.DELIVERED, null)));
        events.add(() -> publish.status(read0));
        // r1: delivered, and the same event again.
        StatusEvent delivered1 = status(r.get(1), DeliveryStatus.DELIVERED, null);
        events.add(() -> publish.outcome(sent(r.get(1))));
        events.add(() -> publish.status(delivered1));
        events.add(() -> publish.status(delivered1));
        // r2: failed after delivered changes nothing.
        events.add(() -> publish.outcome(sent(r.get(2))));
        events.add(() -> publish.status(status(r.get(2), DeliveryStatus.DELIVERED, null)));
        events.add(() -> publish.status(status(r.get(2), DeliveryStatus.FAILED, 131026)));
        // r3: refused by Meta at send time, never sent.
        events.add(() -> publish.outcome(failed(r.get(3), 131026)));
        // r4: sent, then undeliverable: counts as sent and failed.
        events.add(() -> publish.outcome(sent(r.get(4))));
        events.add(() -> publish.status(status(r.get(4), DeliveryStatus.FAILED, 131026)));
        // r5: nothing yet.
        // r6: failed, then delivered to another device of the user: delivered, no longer an error.
        events.add(() -> publish.outcome(sent(r.get(6))));
        events.add(() -> publish.status(status(r.get(6), DeliveryStatus.FAILED, 131026)));
        events.add(() -> publish.status(status(r.get(6), DeliveryStatus.DELIVERED, null)));
        events.forEach(Runnable::run);

        Map<String, Object> expected = counts(7, 0, 1, 5, 4, 1, 2, 0, 0, 0);
        await().atMost(PATIENCE).until(() -> stats(campaign).get("stats").equals(expected));
        Map<String, Object> stats = stats(campaign);
        assertThat(stats.get("metrics")).isEqualTo(Map.of("deliveryRate", "80.00%", "readRate", "25.00%",
                "responseRate", "0.00%", "failureRate", "28.57%", "conversionRate", "0.00%",
                "values", Map.of("deliveryRate", 80.0f, "readRate", 25.0f, "responseRate", 0.0f, "failureRate", 28.57f,
                        "conversionRate", 0.0f)));
        assertThat(stats.get("errorBreakdown")).isEqualTo(List.of(
                Map.of("code", 131026, "count", 2, "meaning", MetaErrorPolicy.meaning(131026))));
        assertThat(timelineSums(stats)).containsExactly(5L, 4L, 1L, 3L);
        assertThat(stats.get("progress")).extracting("done", "remaining").containsExactly(6, 1);
        assertThat(((Map<?, ?>) stats.get("progress")).get("etaSeconds")).isInstanceOf(Integer.class)
                .satisfies(eta -> assertThat((Integer) eta).isPositive());
        assertThat(failurePhones(stats)).hasSize(2).allMatch(p -> p.contains("*") && !r.stream().map(Target::phone).toList().contains(p));

        // Every event again, then fresh ones for r5 and a reply from r1 behind them on both topics.
        events.forEach(Runnable::run);
        publish.outcome(sent(r.get(5)));
        publish.status(status(r.get(5), DeliveryStatus.DELIVERED, null));
        publish.inbound(reply(r.get(1), r.get(1).wamid()));

        Map<String, Object> after = counts(7, 0, 0, 6, 5, 2, 2, 0, 1, 0);
        await().atMost(PATIENCE).until(() -> stats(campaign).get("stats").equals(after));
        stats = stats(campaign);
        assertThat(timelineSums(stats)).containsExactly(6L, 5L, 2L, 3L);
        assertThat(((Map<?, ?>) stats.get("metrics")).get("responseRate")).isEqualTo("20.00%");
        assertThat(countersEqualRows(campaign)).isTrue();
        await().atMost(PATIENCE).until(() -> "completed".equals(campaignStatus(campaign)));
    }

    /** The unknown safety net is on, deciding after its default 15 minutes (UnknownResendTest decides quickly). */
    @Test
    void anUnknownRecipientCountsAsDoneButKeepsTheCampaignOpenUntilALateWebhookSettlesIt() {
        List<Target> r = inFlightCampaign(3, NUMBER);
        long campaign = r.get(0).campaign();
        publish.outcome(sent(r.get(0)));
        publish.outcome(outcome(r.get(1), OutcomeStatus.UNKNOWN, null, null, null));
        publish.outcome(failed(r.get(2), 131047));

        await().atMost(PATIENCE).until(() -> stats(campaign).get("stats").equals(counts(3, 0, 0, 1, 0, 0, 1, 0, 0, 1)));
        assertThat(stats(campaign).get("progress")).extracting("done", "remaining").containsExactly(3, 0);
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(10))
                .until(() -> "sending".equals(campaignStatus(campaign)));

        publish.status(status(r.get(1), DeliveryStatus.DELIVERED, null));
        await().atMost(PATIENCE).until(() -> stats(campaign).get("stats").equals(counts(3, 0, 0, 2, 1, 0, 1, 0, 0, 0)));
        assertThat(recipientColumn(r.get(1).id(), "wamid")).isEqualTo(r.get(1).wamid());
        await().atMost(PATIENCE).until(() -> "completed".equals(campaignStatus(campaign)));
    }

    @Test
    void aStatusWithoutJobIdIsMatchedByWamid() {
        List<Target> r = inFlightCampaign(1, NUMBER);
        long campaign = r.get(0).campaign();
        publish.outcome(sent(r.get(0)));
        await().atMost(PATIENCE).until(() -> "sent".equals(recipientColumn(r.get(0).id(), "status")));
        publish.status(StatusEvent.of(null, r.get(0).wamid(), null, NUMBER, r.get(0).waId(), DeliveryStatus.READ,
                Instant.now(), null, null, null, null, null, Instant.now()));
        await().atMost(PATIENCE).until(() -> "read".equals(recipientColumn(r.get(0).id(), "status")));
        assertThat(stats(campaign).get("stats")).isEqualTo(counts(1, 0, 0, 1, 1, 1, 0, 0, 0, 0));
    }

    /** The applier writes changed rows as one JSON document: what Meta wrote arrives intact, cut at 500 characters. */
    @Test
    void anErrorMessageIsStoredAsMetaWroteItCutAt500Characters() {
        List<Target> r = inFlightCampaign(2, NUMBER);
        String message = "Nachricht \"nicht\" zugestellt \\ {\"a\":[1]} — 配信できません \n" + "x".repeat(600);
        publish.outcome(outcome(r.get(0), OutcomeStatus.FAILED, 131026, message, MetaErrorPolicy.forCode(131026).action()));
        publish.outcome(sent(r.get(1)));
        await().atMost(PATIENCE).until(() -> "sent".equals(recipientColumn(r.get(1).id(), "status"))
                && "failed".equals(recipientColumn(r.get(0).id(), "status")));
        assertThat(recipientColumn(r.get(0).id(), "last_error_message")).isEqualTo(message.substring(0, 500));
        assertThat(recipientColumn(r.get(0).id(), "last_error_code")).isEqualTo("131026");
        assertThat(recipientColumn(r.get(0).id(), "wamid")).isNull();
        assertThat(recipientColumn(r.get(1).id(), "wamid")).isEqualTo(r.get(1).wamid());
        assertThat(recipientColumn(r.get(1).id(), "last_error_message")).isNull();
    }

    /**
     * Status integrity: a signed status naming a recipient's job id moves it only if it is about the
     * message Meta accepted for that recipient. One refused at send time (131049, no wamid) or opted
     * out (131050) cannot become read; a status carrying another message's wamid changes nothing; a
     * status that overtakes the sender's own answer still counts (that race is normal).
     */
    @Test
    void aStatusMovesARecipientOnlyWhenItIsAboutTheMessageMetaAcceptedForIt() {
        double mismatchedBefore = metric("mismatched");
        List<Target> r = inFlightCampaign(4, NUMBER);
        long campaign = r.get(0).campaign();
        publish.outcome(failed(r.get(0), 131049));
        publish.outcome(failed(r.get(1), 131050));
        publish.outcome(sent(r.get(2)));
        await().atMost(PATIENCE).until(() -> stats(campaign).get("stats").equals(counts(4, 0, 1, 1, 0, 0, 1, 1, 0, 0)));

        publish.status(status(r.get(0), DeliveryStatus.READ, null));
        publish.status(status(r.get(1), DeliveryStatus.READ, null));
        publish.status(StatusEvent.of(r.get(2).jobId(), "wamid.someone.else", campaign, NUMBER, r.get(2).waId(),
                DeliveryStatus.DELIVERED, Instant.now(), null, null, null, null, null, Instant.now()));
        publish.status(status(r.get(2), DeliveryStatus.READ, null));
        publish.status(status(r.get(3), DeliveryStatus.DELIVERED, null));

        await().atMost(PATIENCE).until(() -> metric("mismatched") >= mismatchedBefore + 3);
        await().atMost(PATIENCE).until(() -> stats(campaign).get("stats").equals(counts(4, 0, 0, 2, 2, 1, 1, 1, 0, 0)));
        assertThat(metric("mismatched")).isEqualTo(mismatchedBefore + 3);
        assertThat(recipientColumn(r.get(0).id(), "status")).isEqualTo("failed");
        assertThat(recipientColumn(r.get(0).id(), "wamid")).isNull();
        assertThat(recipientColumn(r.get(1).id(), "status")).isEqualTo("opted_out");
        assertThat(recipientColumn(r.get(1).id(), "wamid")).isNull();
        assertThat(recipientColumn(r.get(2).id(), "wamid")).isEqualTo(r.get(2).wamid());
        assertThat(recipientColumn(r.get(3).id(), "wamid")).isEqualTo(r.get(3).wamid());
        assertThat(countersEqualRows(campaign)).isTrue();
    }

    /**
     * A poison event: a status dated in a year the database cannot store fails every batch that holds
     * it. After the bounded tries it is found, parked with its reason and listed for admins; every
     * other event flows; replaying it while its cause stands answers 422 and changes nothing.
     */
    @Test
    void anEventThatCannotBeAppliedIsParkedAndTheRestFlow() {
        double parkedBefore = parkedMetric();
        List<Target> r = inFlightCampaign(3, NUMBER);
        long campaign = r.get(0).campaign();
        Target poisoned = r.get(1);
        publish.outcome(sent(r.get(0)));
        publish.status(StatusEvent.of(poisoned.jobId(), poisoned.wamid(), campaign, NUMBER, poisoned.waId(),
                DeliveryStatus.DELIVERED, Instant.parse("+10000-01-01T00:00:00Z"), null, null, null, null, null,
                Instant.now()));
        publish.outcome(sent(r.get(2)));
        publish.status(status(r.get(2), DeliveryStatus.DELIVERED, null));

        await().atMost(PATIENCE).until(() -> stats(campaign).get("stats").equals(counts(3, 0, 1, 2, 1, 0, 0, 0, 0, 0)));
        await().atMost(PATIENCE).until(() -> parkedMetric() >= parkedBefore + 1);
        assertThat(recipientColumn(poisoned.id(), "status")).isEqualTo("queued");
        assertThat(countersEqualRows(campaign)).isTrue();

        Map<String, Object> parked = Api.admin().get("/api/whatsapp/parked-events?size=20").then().statusCode(200)
                .extract().jsonPath().<Map<String, Object>>getList("items").stream()
                .filter(p -> String.valueOf(p.get("payload")).contains(poisoned.jobId()))
                .findFirst().orElseThrow();
        assertThat(parked.get("topic")).isEqualTo(Topics.EVENTS);
        assertThat(parked.get("eventType")).isEqualTo(Topics.EVENT_TYPE_STATUS);
        assertThat((String) parked.get("reason")).isNotBlank().doesNotContain(poisoned.phone());
        assertThat(parked.get("replayedAt")).isNull();

        Api.as(Api.issueKey("operator")).get("/api/whatsapp/parked-events").then().statusCode(403)
                .contentType("application/problem+json");
        Api.admin().post("/api/whatsapp/parked-events/" + parked.get("id") + "/replay").then().statusCode(422)
                .contentType("application/problem+json");
        Api.admin().post("/api/whatsapp/parked-events/999999999/replay").then().statusCode(404)
                .contentType("application/problem+json");
        assertThat(recipientColumn(poisoned.id(), "status")).isEqualTo("queued");
        assertThat(stats(campaign).get("stats")).isEqualTo(counts(3, 0, 1, 2, 1, 0, 0, 0, 0, 0));
    }

    @Test
    void policyErrorPausesTheCampaign() {
        List<Target> r = inFlightCampaign(3, NUMBER);
        long campaign = r.get(0).campaign();
        publish.outcome(failed(r.get(0), 132001));
        await().atMost(PATIENCE).until(() -> "paused".equals(campaignStatus(campaign)));
        Api.admin().get("/api/whatsapp/campaigns/" + campaign).then()
                .body("statusReason", org.hamcrest.Matchers.containsString("132001"));
    }

    @Test
    void aPolicyPauseSurvivesACrashRightAfterTheBatchCommit() {
        List<Target> r = inFlightCampaign(3, NUMBER);
        long campaign = r.get(0).campaign();
        Outcome policyFailure = failed(r.get(0), 132001);
        // The batch's transaction commits, then the process dies before the pause (its offset was not
        // committed either): the event is recorded as applied, the recipient as failed.
        assertThat(applier.commit(List.of(Evidence.of(policyFailure))).applied()).isEqualTo(1);
        assertThat(recipientColumn(r.get(0).id(), "status")).isEqualTo("failed");

        // Kafka redelivers the record to the restarted applier, which finds it a duplicate.
        publish.outcome(policyFailure);
        await().atMost(PATIENCE).until(() -> "paused".equals(campaignStatus(campaign)));
        Api.admin().get("/api/whatsapp/campaigns/" + campaign).then()
                .body("statusReason", org.hamcrest.Matchers.containsString("132001"));
        assertThat(pauseRequestsOf(campaign)).isZero();
    }

    /**
     * A dispatch round holds its campaign's row FOR UPDATE while it waits for the counter rows; a batch
     * holding those counter rows must not then wait for the campaign row. Inserting timeline and error
     * rows with a foreign key to campaigns did (a shared lock on the parent row): the two deadlocked,
     * 38 times in a 100k-recipient run, each costing the applier a one-second backoff.
     */
    @Test
    void aBatchDoesNotWaitForTheCampaignRowADispatchRoundHolds() throws Exception {
        List<Target> r = inFlightCampaign(20, NUMBER);
        long campaign = r.get(0).campaign();
        try (var dispatchRound = dataSource.getConnection()) {
            dispatchRound.setAutoCommit(false);
            try (var lock = dispatchRound.prepareStatement("SELECT id FROM campaigns WHERE id = ? FOR UPDATE")) {
                lock.setLong(1, campaign);
                lock.executeQuery().close();
            }
            try (var other = dataSource.getConnection();
                    var probe = other.prepareStatement("SELECT id FROM campaigns WHERE id = ? FOR UPDATE NOWAIT")) {
                other.setAutoCommit(false);
                probe.setLong(1, campaign);
                org.assertj.core.api.Assertions.assertThatThrownBy(() -> probe.executeQuery().close())
                        .as("the dispatch round's lock is held").isInstanceOf(SQLException.class);
                other.rollback();
            }
            var batch = java.util.concurrent.CompletableFuture.supplyAsync(() -> applier.commit(List.of(
                    Evidence.of(sent(r.get(0))), Evidence.of(failed(r.get(1), 131026)))).applied());
            try {
                // new timeline minute and a new error code: both rows are inserted while the campaign row is held
                assertThat(batch.get(10, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo(2);
            } finally {
                dispatchRound.rollback();
            }
        }
        Map<?, ?> counts = (Map<?, ?>) stats(campaign).get("stats");
        assertThat(counts.get("sent")).isEqualTo(1);
        assertThat(counts.get("failed")).isEqualTo(1);
    }

    @Test
    void howFarTheCountersAreBehindTheEventsIsMeasured() {
        List<Target> r = inFlightCampaign(1, NUMBER);
        double before = freshnessCount();
        publish.outcome(sent(r.get(0)));
        await().atMost(PATIENCE).until(() -> ((Map<?, ?>) stats(r.get(0).campaign()).get("stats")).get("sent").equals(1));
        await().atMost(PATIENCE).until(() -> freshnessCount() >= before + 1);
        assertThat(RestAssured.get("/q/metrics").then().statusCode(200).extract().asString())
                .contains("wacast_applier_freshness_seconds_bucket");
    }

    private static double freshnessCount() {
        return RestAssured.get("/q/metrics").then().statusCode(200).extract().asString().lines()
                .filter(line -> line.startsWith("wacast_applier_freshness_seconds_count"))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1))).sum();
    }

    @Test
    void aHighRecentFailureRatePausesTheCampaign() {
        List<Target> r = inFlightCampaign(10, NUMBER);
        long campaign = r.get(0).campaign();
        for (int i = 0; i < 9; i++) {
            publish.outcome(failed(r.get(i), 131047));
        }
        await().atMost(PATIENCE).until(() -> "paused".equals(campaignStatus(campaign)));
        Api.admin().get("/api/whatsapp/campaigns/" + campaign).then()
                .body("statusReason", org.hamcrest.Matchers.containsString("of the last"));
    }

    @Test
    void anAccountStopPausesEveryCampaignOnThatNumber() {
        String number = "1000" + (100_000_000L + new java.security.SecureRandom().nextInt(800_000_000));
        List<Target> first = inFlightCampaign(2, number);
        List<Target> second = inFlightCampaign(2, number);
        List<Target> elsewhere = inFlightCampaign(2, NUMBER);
        publish.outcome(outcome(first.get(0), OutcomeStatus.DEFERRED, 190, "access token expired", Action.STOP_ACCOUNT));

        await().atMost(PATIENCE).until(() -> "paused".equals(campaignStatus(first.get(0).campaign()))
                && "paused".equals(campaignStatus(second.get(0).campaign())));
        assertThat(campaignStatus(elsewhere.get(0).campaign())).isEqualTo("sending");
        // Back to pending; the dispatcher may have queued it again in the moment before the pause.
        assertThat(recipientColumn(first.get(0).id(), "status")).isIn("pending", "queued");
    }

    @Test
    void optOutsFeedTheSuppressionListAndTheUsersOptInLiftsOnlyTheirOwn() {
        List<Target> r = inFlightCampaign(3, NUMBER);
        long campaign = r.get(0).campaign();
        publish.outcome(outcome(r.get(0), OutcomeStatus.OPTED_OUT, 131050, "user stopped marketing", Action.OPT_OUT));
        publish.inbound(keyword(r.get(1), InboundKind.OPT_OUT));
        Api.admin().body(Map.of("phoneNumber", r.get(2).phone(), "reason", "asked by phone")).post("/api/whatsapp/opt-outs")
                .then().statusCode(201);

        await().atMost(PATIENCE).until(() -> suppressionSource(r.get(0).phone()) != null && suppressionSource(r.get(1).phone()) != null);
        assertThat(suppressionSource(r.get(0).phone())).isEqualTo("meta_131050");
        assertThat(suppressionSource(r.get(1).phone())).isEqualTo("reply");
        Map<String, Object> stats = stats(campaign);
        assertThat(stats.get("stats")).isEqualTo(counts(3, 0, 2, 0, 0, 0, 0, 1, 0, 0));
        assertThat(stats.get("errorBreakdown")).isEqualTo(List.of(
                Map.of("code", 131050, "count", 1, "meaning", MetaErrorPolicy.meaning(131050))));

        // Same key, so the second is applied only after the first.
        publish.inbound(keyword(r.get(2), InboundKind.OPT_IN), "+" + r.get(1).waId());
        publish.inbound(keyword(r.get(1), InboundKind.OPT_IN), "+" + r.get(1).waId());
        await().atMost(PATIENCE).until(() -> suppressionSource(r.get(1).phone()) == null);
        assertThat(suppressionSource(r.get(2).phone())).isEqualTo("operator");
    }

    @Test
    void aDeferredRecipientGoesBackToPendingAndIsDispatchedAgainWithTheSameJobId() throws Exception {
        long campaign = TestData.draft();
        Api.admin().body(List.of(Map.of("phoneNumber", TestData.phone(), "variables", Map.of("body.1", "A")),
                Map.of("phoneNumber", TestData.phone(), "variables", Map.of("body.1", "B"))))
                .post("/api/whatsapp/campaigns/" + campaign + "/recipients").then().statusCode(200);
        List<Target> r = targets(campaign);
        try (KafkaProbe jobs = new KafkaProbe(Topics.SEND_JOBS, rec -> rec.value().contains("\"campaignId\":" + campaign + ","))) {
            Api.admin().post("/api/whatsapp/campaigns/" + campaign + "/send").then().statusCode(200);
            await().atMost(PATIENCE).until(() -> jobs.records().size() == 2);
            Instant queuedAt = queuedAt(r.get(1).id());

            publish.outcome(outcome(r.get(0), OutcomeStatus.DEFERRED, null, "campaign is paused", null));
            publish.outcome(new Outcome(UUID.randomUUID().toString(), Outcome.SCHEMA_VERSION, r.get(1).jobId(), campaign,
                    r.get(1).id(), OutcomeStatus.DEFERRED, null, null, null, "stale", null, null, 1, queuedAt.minusSeconds(60)));

            await().atMost(PATIENCE).until(() -> jobs.records().size() == 3);
            Map<String, List<SendJob>> byJob = new HashMap<>();
            for (var record : jobs.records()) {
                SendJob job = json.readValue(record.value(), SendJob.class);
                byJob.computeIfAbsent(job.jobId(), id -> new ArrayList<>()).add(job);
            }
            assertThat(byJob.get(r.get(0).jobId())).hasSize(2).allMatch(job -> job.recipientId() == r.get(0).id());
            assertThat(byJob.get(r.get(1).jobId())).hasSize(1);
            await().atMost(PATIENCE).until(() -> "queued".equals(recipientColumn(r.get(0).id(), "status")));
            assertThat(recipientColumn(r.get(1).id(), "status")).isEqualTo("queued");
            assertThat(countersEqualRows(campaign)).isTrue();
        }
    }

    @Test
    void eventsOfUnknownCampaignsAndUnreadableRecordsAreCountedAndSkipped() {
        double skippedBefore = metric("skipped");
        double malformedBefore = metric("malformed");
        List<Target> r = inFlightCampaign(1, NUMBER);
        long missing = 9_000_000_000L + new java.security.SecureRandom().nextInt(1_000_000);
        publish.outcome(Outcome.of(JobId.of(missing, 1), missing, 1, OutcomeStatus.SENT, "wamid.x", "accepted", null,
                null, null, null, 1, Instant.now()));
        publish.send(Topics.OUTCOMES, Long.toString(r.get(0).campaign()), "not json", null);
        publish.send(Topics.EVENTS, Long.toString(r.get(0).campaign()), "{\"eventId\":\"x\"}", null);
        publish.status(status(new Target(r.get(0).campaign(), r.get(0).id() + 1_000_000_000L, r.get(0).phone()),
                DeliveryStatus.DELIVERED, null));
        publish.outcome(sent(r.get(0)));

        await().atMost(PATIENCE).until(() -> "sent".equals(recipientColumn(r.get(0).id(), "status")));
        await().atMost(PATIENCE).until(() -> metric("skipped") >= skippedBefore + 2 && metric("malformed") >= malformedBefore + 2);
    }

    @Test
    void statsOfAMissingCampaignAre404AndViewersMayReadThem() {
        Api.admin().get("/api/whatsapp/campaigns/999999999/stats").then().statusCode(404)
                .contentType("application/problem+json");
        long campaign = TestData.draft();
        Api.as(Api.issueKey("viewer")).get("/api/whatsapp/campaigns/" + campaign + "/stats").then().statusCode(200)
                .body("campaign.status", org.hamcrest.Matchers.equalTo("draft"))
                .body("stats.total", org.hamcrest.Matchers.equalTo(0))
                .body("metrics.deliveryRate", org.hamcrest.Matchers.equalTo("0.00%"))
                .body("progress.etaSeconds", org.hamcrest.Matchers.equalTo(0));
        RestAssured.given().get("/api/whatsapp/campaigns/" + campaign + "/stats").then().statusCode(401);
    }

    // ---- events -------------------------------------------------------------------------------

    private static Outcome sent(Target t) {
        return Outcome.of(t.jobId(), t.campaign(), t.id(), OutcomeStatus.SENT, t.wamid(), "accepted", null, null, null,
                null, 1, Instant.now());
    }

    private static Outcome failed(Target t, int code) {
        return outcome(t, OutcomeStatus.FAILED, code, "error " + code, MetaErrorPolicy.forCode(code).action());
    }

    private static Outcome outcome(Target t, OutcomeStatus status, Integer code, String message, Action action) {
        return Outcome.of(t.jobId(), t.campaign(), t.id(), status, null, null, code, message, action, null, 1, Instant.now());
    }

    private static StatusEvent status(Target t, DeliveryStatus status, Integer code) {
        return StatusEvent.of(t.jobId(), t.wamid(), t.campaign(), NUMBER, t.waId(), status, Instant.now(), code,
                code == null ? null : "error", code == null ? null : "Meta error " + code, null, null, Instant.now());
    }

    private static InboundEvent reply(Target t, String contextWamid) {
        return InboundEvent.of("wamid.in." + UUID.randomUUID(), NUMBER, t.waId(), InboundKind.REPLY, "text", "Interested!",
                null, contextWamid, null, Instant.now(), Instant.now());
    }

    private static InboundEvent keyword(Target t, InboundKind kind) {
        return InboundEvent.of("wamid.in." + UUID.randomUUID(), NUMBER, t.waId(), kind, "text",
                kind == InboundKind.OPT_OUT ? "STOP" : "START", null, null, null, Instant.now(), Instant.now());
    }

    // ---- fixtures and reads ---------------------------------------------------------------------

    /**
     * A sending campaign whose recipients are all queued, set up in the database in one transaction
     * (recipients and counters first, so the dispatcher never sees them pending).
     */
    private List<Target> inFlightCampaign(int recipients, String phoneNumberId) {
        long campaign = ((Number) Api.admin().body(Map.of(
                "name", "applier " + UUID.randomUUID(),
                "templateName", TestData.template(),
                "templateLanguage", "en_US",
                "templateVariables", TestData.defaults(),
                "phoneNumberId", phoneNumberId,
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
        return targets(campaign);
    }

    private List<Target> targets(long campaign) {
        List<Target> targets = new ArrayList<>();
        try (var connection = dataSource.getConnection();
                var query = connection.prepareStatement("SELECT id, phone_e164 FROM recipients WHERE campaign_id = ? ORDER BY id")) {
            query.setLong(1, campaign);
            try (var rows = query.executeQuery()) {
                while (rows.next()) {
                    targets.add(new Target(campaign, rows.getLong(1), rows.getString(2)));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return targets;
    }

    private static Map<String, Object> stats(long campaign) {
        return Api.admin().get("/api/whatsapp/campaigns/" + campaign + "/stats").then().statusCode(200).extract().jsonPath().getMap("$");
    }

    private static Map<String, Object> counts(int total, int pending, int queued, int sent, int delivered, int read,
            int failed, int optedOut, int responded, int unknown) {
        Map<String, Object> counts = new LinkedHashMap<>();
        counts.put("total", total);
        counts.put("pending", pending);
        counts.put("queued", queued);
        counts.put("sent", sent);
        counts.put("delivered", delivered);
        counts.put("read", read);
        counts.put("failed", failed);
        counts.put("optedOut", optedOut);
        counts.put("responded", responded);
        counts.put("unknown", unknown);
        counts.put("resentUnknown", 0);
        counts.put("keptUnknown", 0);
        counts.put("cancelled", 0);
        // every response here is a credited reply; no test here sends an order
        counts.put("replies", responded);
        counts.put("orders", 0);
        counts.put("converted", 0);
        return counts;
    }

    @SuppressWarnings("unchecked")
    private static List<Long> timelineSums(Map<String, Object> stats) {
        long sent = 0;
        long delivered = 0;
        long read = 0;
        long failed = 0;
        for (Map<String, Object> bucket : (List<Map<String, Object>>) stats.get("timeline")) {
            sent += ((Number) bucket.get("sent")).longValue();
            delivered += ((Number) bucket.get("delivered")).longValue();
            read += ((Number) bucket.get("read")).longValue();
            failed += ((Number) bucket.get("failed")).longValue();
        }
        return List.of(sent, delivered, read, failed);
    }

    @SuppressWarnings("unchecked")
    private static List<String> failurePhones(Map<String, Object> stats) {
        return ((List<Map<String, Object>>) stats.get("sampleFailures")).stream()
                .map(f -> (String) f.get("phoneNumber")).toList();
    }

    private static String campaignStatus(long campaign) {
        return Api.admin().get("/api/whatsapp/campaigns/" + campaign).then().extract().path("status");
    }

    private long pauseRequestsOf(long campaign) {
        try (var connection = dataSource.getConnection();
                var query = connection.prepareStatement("SELECT COUNT(*) FROM campaign_pause_requests WHERE campaign_id = ?")) {
            query.setLong(1, campaign);
            try (var rows = query.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private String recipientColumn(long id, String column) {
        Object value = recipientValue(id, column);
        return value == null ? null : value.toString();
    }

    private Object recipientValue(long id, String column) {
        try (var connection = dataSource.getConnection();
                var query = connection.prepareStatement("SELECT " + column + " FROM recipients WHERE id = ?")) {
            query.setLong(1, id);
            try (var rows = query.executeQuery()) {
                return rows.next() ? rows.getObject(1) : null;
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private Instant queuedAt(long id) {
        try (var connection = dataSource.getConnection();
                var query = connection.prepareStatement("SELECT queued_at FROM recipients WHERE id = ?")) {
            query.setLong(1, id);
            try (var rows = query.executeQuery()) {
                rows.next();
                return rows.getTimestamp(1).toInstant();
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private String suppressionSource(String phone) {
        try (var connection = dataSource.getConnection();
                var query = connection.prepareStatement("SELECT source FROM opt_outs WHERE phone_e164 = ?")) {
            query.setString(1, phone);
            try (var rows = query.executeQuery()) {
                return rows.next() ? rows.getString(1) : null;
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** docs/DESIGN.md §7: counters always equal the recipient rows. */
    private boolean countersEqualRows(long campaign) {
        try (var connection = dataSource.getConnection();
                var query = connection.prepareStatement("SELECT COUNT(*) FROM campaign_counters c WHERE c.campaign_id = ?"
                        + " AND c.recipients <> (SELECT COUNT(*) FROM recipients r WHERE r.campaign_id = c.campaign_id AND r.status = c.status)")) {
            query.setLong(1, campaign);
            try (var rows = query.executeQuery()) {
                rows.next();
                return rows.getLong(1) == 0;
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static double parkedMetric() {
        String body = RestAssured.given().get("/q/metrics").then().statusCode(200).extract().asString();
        return body.lines().filter(line -> line.startsWith("wacast_applier_parked_total"))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1))).sum();
    }

    private static double metric(String result) {
        String body = RestAssured.given().get("/q/metrics").then().statusCode(200).extract().asString();
        return body.lines()
                .filter(line -> line.startsWith("wacast_applier_events_total{") && line.contains("result=\"" + result + "\""))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                .sum();
    }
}
