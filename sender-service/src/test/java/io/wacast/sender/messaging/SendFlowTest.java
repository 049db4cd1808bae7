package io.wacast.sender.messaging;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.Scenario;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.wacast.common.Topics;
import io.wacast.common.event.CampaignControl;
import io.wacast.common.event.JobId;
import io.wacast.common.event.Outcome;
import io.wacast.common.event.OutcomeStatus;
import io.wacast.common.event.SendJob;
import io.wacast.common.meta.MetaErrorPolicy.Action;
import io.wacast.common.status.CampaignStatus;
import io.wacast.sender.KafkaTestClient;
import io.wacast.sender.SenderTestResources;
import io.wacast.sender.ledger.SendLedger;
import io.wacast.sender.service.ProcessIdentity;

/** The whole path against the real broker and database, with WireMock answering as Meta. */
@QuarkusTest
@QuarkusTestResource(SenderTestResources.class)
class SendFlowTest {

    private static final AtomicLong RECIPIENTS = new AtomicLong(1);
    private static KafkaTestClient kafka;

    WireMockServer wireMock;

    @Inject
    SendJobConsumer consumer;

    @Inject
    CampaignControls controls;

    @Inject
    SendLedger ledger;

    @Inject
    javax.sql.DataSource dataSource;

    @BeforeAll
    static void connect() {
        kafka = new KafkaTestClient();
    }

    @AfterAll
    static void disconnect() {
        kafka.close();
    }

    @BeforeEach
    void senderIsConsuming() {
        await().atMost(Duration.ofSeconds(30)).until(() -> consumer.assignedPartitions() > 0);
        wireMock.stubFor(post(urlPathMatching("/v23.0/.*/messages")).atPriority(10)
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                        .withBody("{\"messaging_product\":\"whatsapp\",\"messages\":[{\"id\":\"wamid.ok\",\"message_status\":\"accepted\"}]}")));
    }

    private static String newPhone() {
        return "+9199" + String.format("%08d", (System.nanoTime() / 1000 + RECIPIENTS.incrementAndGet()) % 100_000_000L);
    }

    private static SendJob job(long campaignId, String number, String phone, Map<String, String> variables) {
        long recipientId = RECIPIENTS.incrementAndGet();
        return SendJob.of(JobId.of(campaignId, recipientId), campaignId, recipientId, number, phone,
                "tour_package_marketing", "en_US", variables, 1, null, Instant.now());
    }

    private static SendJob job(long campaignId, String phone) {
        return job(campaignId, SenderTestResources.NUMBER, phone, Map.of("body.1", "Bali", "button.url.0", "bali-2025"));
    }

    private static void publish(SendJob job) {
        kafka.publish(Topics.SEND_JOBS, job.to(), job);
    }

    private static List<Outcome> awaitOutcomes(String jobId, int count) {
        await().atMost(Duration.ofSeconds(20)).until(() -> kafka.outcomesOfJob(jobId).size() >= count);
        return kafka.outcomesOfJob(jobId);
    }

    private void answer(String phone, int status, String body) {
        wireMock.stubFor(post(urlPathMatching("/v23.0/.*/messages")).atPriority(1)
                .withRequestBody(matchingJsonPath("$.to", equalTo(phone)))
                .willReturn(aResponse().withStatus(status).withHeader("Content-Type", "application/json").withBody(body)));
    }

    private int callsTo(String phone) {
        return wireMock.findAll(postRequestedFor(urlPathMatching("/v23.0/.*/messages"))
                .withRequestBody(matchingJsonPath("$.to", equalTo(phone)))).size();
    }

    @Test
    void aJobIsSentOnceWithTheTemplateAndTheJobIdAndReportedSent() {
        long campaign = kafka.newCampaign();
        String phone = newPhone();
        answer(phone, 200, "{\"messages\":[{\"id\":\"wamid.HBg1\",\"message_status\":\"held_for_quality_assessment\"}]}");
        SendJob job = job(campaign, phone);

        publish(job);

        Outcome outcome = awaitOutcomes(job.jobId(), 1).get(0);
        assertThat(outcome.status()).isEqualTo(OutcomeStatus.SENT);
        assertThat(outcome.wamid()).isEqualTo("wamid.HBg1");
        assertThat(outcome.messageStatus()).isEqualTo("held_for_quality_assessment");
        assertThat(outcome.attempt()).isEqualTo(1);
        wireMock.verify(1, postRequestedFor(urlPathMatching("/v23.0/" + SenderTestResources.NUMBER + "/messages"))
                .withHeader("Authorization", equalTo("Bearer " + System.getenv().getOrDefault("WACAST_META_ACCESS_TOKEN", "test-token")))
                .withRequestBody(matchingJsonPath("$.to", equalTo(phone)))
                .withRequestBody(matchingJsonPath("$.biz_opaque_callback_data", equalTo(job.jobId())))
                .withRequestBody(matchingJsonPath("$.template.name", equalTo("tour_package_marketing")))
                .withRequestBody(matchingJsonPath("$.template.components[0].parameters[0].text", equalTo("Bali"))));
        assertThat(ledger.row(job.jobId())).containsEntry("state", "answered").containsEntry("outcome_status", "sent");
    }

    @ParameterizedTest(name = "HTTP {0} {1} → {2}")
    @CsvSource(delimiter = '|', value = {
            "400|{\"error\":{\"code\":131050,\"message\":\"stopped marketing\"}}|opted_out|opt_out",
            "400|{\"error\":{\"code\":131047,\"message\":\"re-engagement\"}}|failed|fail",
            "400|{\"error\":{\"code\":131049,\"message\":\"healthy ecosystem\"}}|failed|fail_marketing_limit",
            "404|{\"error\":{\"code\":132001,\"message\":\"template missing\"}}|failed|fail_and_pause_campaign",
            "400|{\"error\":{\"code\":131026,\"message\":\"undeliverable\"}}|retry_scheduled|fail_with_one_retry",
            "400|{\"error\":{\"code\":131056,\"message\":\"pair rate\"}}|retry_scheduled|retry_recipient_later",
            "500|{\"error\":{\"code\":131000,\"message\":\"oops\"}}|retry_scheduled|retry_transient",
            "502|<html>bad gateway</html>|retry_scheduled|retry_transient",
            "200|not json at all|unknown|" })
    void everyErrorClassBecomesTheOutcomeThePolicySays(int status, String body, String expected, String action) {
        long campaign = kafka.newCampaign();
        String phone = newPhone();
        answer(phone, status, body);
        SendJob job = job(campaign, phone);

        publish(job);

        Outcome outcome = awaitOutcomes(job.jobId(), 1).get(0);
        assertThat(outcome.status()).isEqualTo(OutcomeStatus.fromString(expected));
        assertThat(outcome.action()).isEqualTo(action == null ? null : Action.fromString(action));
        if (outcome.status() == OutcomeStatus.RETRY_SCHEDULED) {
            assertThat(outcome.retryAt()).isAfter(outcome.occurredAt());
            assertThat(ledger.row(job.jobId()).get("retry_due_at_ms")).isNotNull();
        }
        assertThat(callsTo(phone)).isEqualTo(1);
    }

    @Test
    void aReadTimeoutIsReportedUnknownAndNeverSentAgain() {
        long campaign = kafka.newCampaign();
        String phone = newPhone();
        wireMock.stubFor(post(urlPathMatching("/v23.0/.*/messages")).atPriority(1)
                .withRequestBody(matchingJsonPath("$.to", equalTo(phone)))
                .willReturn(aResponse().withStatus(200).withFixedDelay(3_000)
                        .withBody("{\"messages\":[{\"id\":\"wamid.late\"}]}")));
        SendJob job = job(campaign, phone);

        publish(job);

        Outcome outcome = awaitOutcomes(job.jobId(), 1).get(0);
        assertThat(outcome.status()).isEqualTo(OutcomeStatus.UNKNOWN);
        assertThat(ledger.row(job.jobId())).containsEntry("state", "unknown");
        publish(job.nextAttempt(null, Instant.now()));
        assertThat(awaitOutcomes(job.jobId(), 2).get(1).eventId()).isEqualTo(outcome.eventId());
        assertThat(callsTo(phone)).isEqualTo(1);
    }

    @Test
    void aTransientErrorIsRetriedAtItsDueTimeAsTheNextAttemptAndThenSent() {
        long campaign = kafka.newCampaign();
        String phone = newPhone();
        wireMock.stubFor(post(urlPathMatching("/v23.0/.*/messages")).atPriority(1).inScenario(phone)
                .whenScenarioStateIs(Scenario.STARTED).willSetStateTo("recovered")
                .withRequestBody(matchingJsonPath("$.to", equalTo(phone)))
                .willReturn(aResponse().withStatus(503).withBody("{\"error\":{\"code\":131000,\"message\":\"busy\"}}")));
        wireMock.stubFor(post(urlPathMatching("/v23.0/.*/messages")).atPriority(1).inScenario(phone)
                .whenScenarioStateIs("recovered")
                .withRequestBody(matchingJsonPath("$.to", equalTo(phone)))
                .willReturn(aResponse().withStatus(200).withBody("{\"messages\":[{\"id\":\"wamid.second\"}]}")));
        SendJob job = job(campaign, phone);

        publish(job);

        List<Outcome> outcomes = awaitOutcomes(job.jobId(), 2);
        assertThat(outcomes.get(0).status()).isEqualTo(OutcomeStatus.RETRY_SCHEDULED);
        assertThat(outcomes.get(0).attempt()).isEqualTo(1);
        assertThat(outcomes.get(1).status()).isEqualTo(OutcomeStatus.SENT);
        assertThat(outcomes.get(1).attempt()).isEqualTo(2);
        assertThat(outcomes.get(1).wamid()).isEqualTo("wamid.second");
        assertThat(outcomes.get(1).occurredAt()).isAfterOrEqualTo(outcomes.get(0).retryAt());
        assertThat(ledger.row(job.jobId())).containsEntry("attempt", 2).containsEntry("outcome_status", "sent");
        assertThat(callsTo(phone)).isEqualTo(2);
    }

    @Test
    void aRedeliveredJobRepublishesTheRecordedOutcomeWithoutASecondCall() {
        long campaign = kafka.newCampaign();
        String phone = newPhone();
        SendJob job = job(campaign, phone);
        publish(job);
        Outcome first = awaitOutcomes(job.jobId(), 1).get(0);

        publish(job);

        Outcome again = awaitOutcomes(job.jobId(), 2).get(1);
        assertThat(again).isEqualTo(first);
        assertThat(callsTo(phone)).isEqualTo(1);
    }

    @ParameterizedTest
    @CsvSource({ "paused", "cancelled" })
    void jobsOfAPausedOrCancelledCampaignAreDeferredAndNotSent(String status) {
        long campaign = kafka.newCampaign();
        CampaignControl control = CampaignControl.of(campaign, SenderTestResources.NUMBER, CampaignStatus.fromString(status),
                0, null, 2, Instant.now());
        kafka.publish(Topics.CAMPAIGN_CONTROL, Long.toString(campaign), control);
        await().atMost(Duration.ofSeconds(10)).until(() -> controls.of(campaign) != null);
        String phone = newPhone();
        SendJob job = job(campaign, phone);

        publish(job);

        Outcome outcome = awaitOutcomes(job.jobId(), 1).get(0);
        assertThat(outcome.status()).isEqualTo(OutcomeStatus.DEFERRED);
        assertThat(outcome.errorMessage()).isEqualTo("campaign is " + status);
        assertThat(callsTo(phone)).isZero();
    }

    @Test
    void aStaleControlMessageDoesNotResumeAPausedCampaign() {
        long campaign = kafka.newCampaign();
        kafka.publish(Topics.CAMPAIGN_CONTROL, Long.toString(campaign),
                CampaignControl.of(campaign, SenderTestResources.NUMBER, CampaignStatus.PAUSED, 0, null, 5, Instant.now()));
        kafka.publish(Topics.CAMPAIGN_CONTROL, Long.toString(campaign),
                CampaignControl.of(campaign, SenderTestResources.NUMBER, CampaignStatus.SENDING, 0, null, 4, Instant.now()));
        await().atMost(Duration.ofSeconds(10)).until(() -> controls.of(campaign) != null);
        SendJob job = job(campaign, newPhone());

        publish(job);

        assertThat(awaitOutcomes(job.jobId(), 1).get(0).status()).isEqualTo(OutcomeStatus.DEFERRED);
        assertThat(controls.of(campaign).version()).isEqualTo(5);
    }

    @Test
    void aJobOutsideItsCampaignsSendWindowIsDeferred() {
        long campaign = kafka.newCampaign();
        int hourNow = Instant.now().atZone(java.time.ZoneOffset.UTC).getHour();
        CampaignControl.SendWindow closed = new CampaignControl.SendWindow((hourNow + 2) % 24, (hourNow + 3) % 24, "UTC");
        kafka.publish(Topics.CAMPAIGN_CONTROL, Long.toString(campaign),
                CampaignControl.of(campaign, SenderTestResources.NUMBER, CampaignStatus.SENDING, 0, closed, 1, Instant.now()));
        await().atMost(Duration.ofSeconds(10)).until(() -> controls.of(campaign) != null);
        String phone = newPhone();
        SendJob job = job(campaign, phone);

        publish(job);

        Outcome outcome = awaitOutcomes(job.jobId(), 1).get(0);
        assertThat(outcome.status()).isEqualTo(OutcomeStatus.DEFERRED);
        assertThat(outcome.errorMessage()).contains("send window");
        assertThat(callsTo(phone)).isZero();
    }

    @Test
    void anInvalidTokenStopsTheNumberAndDefersItsJobsWithoutFurtherCalls() {
        long campaign = kafka.newCampaign();
        String phone = newPhone();
        String other = newPhone();
        answer(phone, 401, "{\"error\":{\"code\":190,\"message\":\"token expired\",\"type\":\"OAuthException\"}}");
        SendJob first = job(campaign, SenderTestResources.STOPPED_NUMBER, phone, Map.of());
        publish(first);
        assertThat(awaitOutcomes(first.jobId(), 1).get(0).status()).isEqualTo(OutcomeStatus.DEFERRED);

        SendJob second = job(campaign, SenderTestResources.STOPPED_NUMBER, other, Map.of());
        publish(second);

        Outcome outcome = awaitOutcomes(second.jobId(), 1).get(0);
        assertThat(outcome.status()).isEqualTo(OutcomeStatus.DEFERRED);
        assertThat(outcome.action()).isEqualTo(Action.STOP_ACCOUNT);
        assertThat(callsTo(other)).isZero();
        assertThat(ledger.row(first.jobId())).containsEntry("state", "released");
    }

    @Test
    void badJobsFailWithAClearReasonAndDoNotBlockThePartition() {
        long campaign = kafka.newCampaign();
        SendJob unknownNumber = job(campaign, "999", newPhone(), Map.of("body.1", "x"));
        SendJob missingVariable = job(campaign, SenderTestResources.NUMBER, newPhone(), Map.of("body.2", "x"));
        String malformed = "{\"eventId\":\"e1\",\"jobId\":\"wc:" + campaign + ":1\",\"campaignId\":" + campaign
                + ",\"attempt\":\"not a number\"}";

        kafka.publish(Topics.SEND_JOBS, "+4915112345678", malformed);
        kafka.publish(Topics.SEND_JOBS, "+4915112345678", "not json");
        publish(unknownNumber);
        publish(missingVariable);
        // what the ledger could not store would fail every claim of its batch: refused at intake instead
        SendJob longId = SendJob.of("wc:" + campaign + ":" + "9".repeat(600), campaign, RECIPIENTS.incrementAndGet(),
                SenderTestResources.NUMBER, newPhone(), "tour_package_marketing", "en_US",
                Map.of("body.1", "Bali", "button.url.0", "bali-2025"), 1, null, Instant.now());
        publish(longId);
        SendJob huge = job(campaign, SenderTestResources.NUMBER, newPhone(),
                Map.of("body.1", "x".repeat(300_000), "button.url.0", "bali-2025"));
        publish(huge);
        SendJob fine = job(campaign, newPhone());
        publish(fine);

        assertThat(awaitOutcomes(longId.jobId(), 1).get(0).errorMessage()).contains("at most 512");
        assertThat(awaitOutcomes(huge.jobId(), 1).get(0).errorMessage()).contains("at most 262144 are accepted");
        assertThat(callsTo(longId.to()) + callsTo(huge.to())).isZero();
        assertThat(awaitOutcomes(unknownNumber.jobId(), 1).get(0).errorMessage()).contains("unknown phone-number id '999'");
        assertThat(awaitOutcomes(missingVariable.jobId(), 1).get(0).errorMessage()).contains("missing body.1");
        Outcome bad = awaitOutcomes("wc:" + campaign + ":1", 1).get(0);
        assertThat(bad.status()).isEqualTo(OutcomeStatus.FAILED);
        assertThat(bad.errorMessage()).startsWith("malformed send job");
        assertThat(awaitOutcomes(fine.jobId(), 1).get(0).status()).isEqualTo(OutcomeStatus.SENT);
    }

    @Test
    void anAttemptLeftInFlightByADeadSenderBecomesUnknownAndIsNotSent() throws Exception {
        long campaign = kafka.newCampaign();
        String phone = newPhone();
        SendJob job = job(campaign, phone);
        try (var connection = dataSource.getConnection(); var insert = connection.prepareStatement(
                "INSERT INTO send_ledger (job_id, campaign_id, attempt, state, claim_id, owner, claimed_at_ms) "
                        + "VALUES (?, ?, 1, 'in_flight', 42, 'a-dead-sender', ?)")) {
            insert.setString(1, job.jobId());
            insert.setLong(2, campaign);
            insert.setLong(3, System.currentTimeMillis() - 60_000);
            insert.executeUpdate();
        }

        publish(job);

        Outcome outcome = awaitOutcomes(job.jobId(), 1).get(0);
        assertThat(outcome.status()).isEqualTo(OutcomeStatus.UNKNOWN);
        assertThat(ledger.row(job.jobId())).containsEntry("state", "unknown");
        assertThat(callsTo(phone)).isZero();
    }

    private void ledgerRow(SendJob job, String state, String owner) throws Exception {
        try (var connection = dataSource.getConnection(); var insert = connection.prepareStatement(
                "INSERT INTO send_ledger (job_id, campaign_id, attempt, state, claim_id, owner, claimed_at_ms, outcome_status, outcome_json) "
                        + "VALUES (?, ?, 1, ?, 42, ?, ?, ?, ?)")) {
            insert.setString(1, job.jobId());
            insert.setLong(2, job.campaignId());
            insert.setString(3, state);
            insert.setString(4, owner);
            insert.setLong(5, System.currentTimeMillis() - 1_000);
            boolean unknown = "unknown".equals(state);
            insert.setString(6, unknown ? "unknown" : null);
            insert.setString(7, unknown ? KafkaTestClient.JSON.writeValueAsString(Outcome.of(job.jobId(), job.campaignId(), job.recipientId(),
                    OutcomeStatus.UNKNOWN, null, null, null, "the attempt's sender stopped", null, null, 1, Instant.now()))
                    : null);
            insert.executeUpdate();
        }
    }

    @Test
    void aJobADeadSenderClaimedButNeverMarkedDepartingIsTakenOverAndSentOnce() throws Exception {
        long campaign = kafka.newCampaign();
        String phone = newPhone();
        SendJob job = job(campaign, phone);
        ledgerRow(job, "claimed", "a-dead-sender"); // no heartbeat: dead

        publish(job);

        Outcome outcome = awaitOutcomes(job.jobId(), 1).get(0);
        assertThat(outcome.status()).isEqualTo(OutcomeStatus.SENT);
        assertThat(callsTo(phone)).isEqualTo(1);
        assertThat(ledger.row(job.jobId())).containsEntry("state", "answered");
    }

    @Test
    void aJobALiveSenderHoldsIsNeitherSentNorDeclaredUnknownHere() throws Exception {
        long campaign = kafka.newCampaign();
        String phone = newPhone();
        SendJob job = job(campaign, phone);
        ledger.heartbeat("a-live-sender", System.currentTimeMillis() + 60_000);
        ledgerRow(job, "claimed", "a-live-sender");

        publish(job);

        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5))
                .until(() -> kafka.outcomesOfJob(job.jobId()).isEmpty() && callsTo(phone) == 0);
        assertThat(ledger.row(job.jobId())).containsEntry("state", "claimed").containsEntry("owner", "a-live-sender");
        ledger.leave("a-live-sender", 0);
    }

    /**
     * The database went away at the commit of a claim (FaultMatrixIT, MariaDB restarted): the claim
     * committed, this process never learned it and claimed again under a new id. It used to find its
     * own row "held by a live replica" — itself — and wait for ever: the job stayed unsent and its
     * campaign never completed until a rebalance moved the partition to another replica.
     */
    @Test
    void aClaimOfThisProcessWhoseCommitItNeverLearnedIsClaimedAgainAndSentOnce() throws Exception {
        long campaign = kafka.newCampaign();
        String phone = newPhone();
        SendJob job = job(campaign, phone);
        ledgerRow(job, "claimed", ProcessIdentity.ID); // claim id 42: not one this process holds

        publish(job);

        Outcome outcome = awaitOutcomes(job.jobId(), 1).get(0);
        assertThat(outcome.status()).isEqualTo(OutcomeStatus.SENT);
        assertThat(callsTo(phone)).isEqualTo(1);
        assertThat(ledger.row(job.jobId())).containsEntry("state", "answered").containsEntry("owner", ProcessIdentity.ID);
    }

    /** A mark whose commit was not learned is tried again: the retry finds its own mark and goes on. */
    @Test
    void aMarkTriedAgainAfterItsCommitWasLostIsStillThisClaimsMark() throws Exception {
        long campaign = kafka.newCampaign();
        SendJob job = job(campaign, newPhone());
        ledgerRow(job, "claimed", "a-sender-whose-database-went-away");

        assertThat(ledger.markDeparting(List.of(new SendLedger.Departure(job.jobId(), 42)), 1_000)).isEmpty();
        assertThat(ledger.markDeparting(List.of(new SendLedger.Departure(job.jobId(), 42)), 2_000))
                .as("the same claim's mark again").isEmpty();
        assertThat(ledger.markDeparting(List.of(new SendLedger.Departure(job.jobId(), 41)), 3_000))
                .as("another claim's").containsExactly(new SendLedger.Departure(job.jobId(), 41));
        assertThat(ledger.row(job.jobId())).containsEntry("state", "in_flight");
        try (var connection = dataSource.getConnection();
                var select = connection.prepareStatement("SELECT marked_at_ms FROM send_ledger WHERE job_id = ?")) {
            select.setString(1, job.jobId());
            try (var row = select.executeQuery()) {
                assertThat(row.next()).isTrue();
                assertThat(row.getLong(1)).as("the first mark's time").isEqualTo(1_000L);
            }
        }
    }

    /**
     * Two copies of one job in one marking batch — the stale claim this process re-claimed and the new
     * claim (FaultMatrixIT, MariaDB restarted): only the stale one is refused. Refusals used to be by job
     * id, so both copies were refused, and the job was left departing, never sent.
     */
    @Test
    void ofTwoCopiesOfAJobInOneMarkOnlyTheOneWhoseClaimHoldsTheRowDeparts() throws Exception {
        long campaign = kafka.newCampaign();
        SendJob job = job(campaign, newPhone());
        ledgerRow(job, "claimed", ProcessIdentity.ID);

        assertThat(ledger.markDeparting(List.of(new SendLedger.Departure(job.jobId(), 41),
                new SendLedger.Departure(job.jobId(), 42)), System.currentTimeMillis()))
                .containsExactly(new SendLedger.Departure(job.jobId(), 41));
        assertThat(ledger.row(job.jobId())).containsEntry("state", "in_flight");
    }

    /** An answer recorded again after its commit was lost lands again: the job is not taken for somebody else's. */
    @Test
    void anAnswerRecordedAgainAfterItsCommitWasLostStillLands() throws Exception {
        long campaign = kafka.newCampaign();
        SendJob job = job(campaign, newPhone());
        ledgerRow(job, "in_flight", ProcessIdentity.ID);
        SendLedger.Answer answer = new SendLedger.Answer(job.jobId(), 42, io.wacast.sender.ledger.LedgerState.ANSWERED, "sent",
                "{}", null, null);

        assertThat(ledger.record(List.of(answer), 1_000)).isEmpty();
        assertThat(ledger.record(List.of(answer), 2_000)).as("the same answer again").isEmpty();
        assertThat(ledger.row(job.jobId())).containsEntry("state", "answered").containsEntry("outcome_status", "sent");
    }

    /**
     * A batch larger than one statement takes ({@code JoinedUpdate.MAX_ROWS}), with one departure and one
     * answer whose claim no longer holds its row: exactly those are refused, every other row changes, each
     * with its own values.
     */
    @Test
    void aLargeBatchWithOneStaleClaimRefusesOnlyThatOne() throws Exception {
        long campaign = kafka.newCampaign();
        List<SendJob> jobs = new java.util.ArrayList<>();
        for (int i = 0; i < 300; i++) {
            SendJob job = job(campaign, newPhone());
            ledgerRow(job, "claimed", ProcessIdentity.ID);
            jobs.add(job);
        }
        SendJob stale = jobs.get(137);
        assertThat(ledger.markDeparting(jobs.stream().map(j -> new SendLedger.Departure(j.jobId(), 42)).toList(), 5_000))
                .as("all of them, in two statements").isEmpty();
        assertThat(jobs).allSatisfy(j -> assertThat(ledger.row(j.jobId())).containsEntry("state", "in_flight"));
        List<SendLedger.Departure> departures = new java.util.ArrayList<>(jobs.stream()
                .map(j -> new SendLedger.Departure(j.jobId(), j == stale ? 41 : 42)).toList());
        departures.add(new SendLedger.Departure("no-such-job", 42));
        assertThat(ledger.markDeparting(departures, 5_500)).containsExactlyInAnyOrder(
                new SendLedger.Departure(stale.jobId(), 41), new SendLedger.Departure("no-such-job", 42));

        SendJob retried = jobs.get(3);
        long dueAt = System.currentTimeMillis() + 3_600_000; // not due while the tests run: nobody re-publishes it
        List<SendLedger.Answer> answers = jobs.stream().map(j -> j == retried
                ? new SendLedger.Answer(j.jobId(), 42, io.wacast.sender.ledger.LedgerState.ANSWERED, "retry_scheduled",
                        "{\"job\":\"" + j.jobId() + "\"}", dueAt, "{\"retry\":1}")
                : new SendLedger.Answer(j.jobId(), j == stale ? 41 : 42, io.wacast.sender.ledger.LedgerState.ANSWERED,
                        "sent", "{\"job\":\"" + j.jobId() + "\"}", null, null)).toList();

        assertThat(ledger.record(answers, 6_000)).containsExactly(stale.jobId());
        assertThat(ledger.record(answers.stream().filter(a -> !a.jobId().equals(stale.jobId())).toList(), 6_500))
                .as("the others again, in two statements").isEmpty();
        assertThat(jobs).allSatisfy(j -> assertThat(ledger.row(j.jobId()).get("outcome_status"))
                .isEqualTo(j == stale ? null : j == retried ? "retry_scheduled" : "sent"));
        assertThat(ledger.row(stale.jobId())).containsEntry("state", "in_flight");
        assertThat(ledger.row(retried.jobId())).containsEntry("retry_due_at_ms", dueAt);
        assertThat(ledger.row(jobs.get(200).jobId())).containsEntry("retry_due_at_ms", null);
    }

    @Test
    void aMarkIsRefusedOnceTheClaimWasTakenOver() throws Exception {
        long campaign = kafka.newCampaign();
        SendJob job = job(campaign, newPhone());
        ledgerRow(job, "claimed", "a-sender-taken-for-dead");

        assertThat(ledger.markDeparting(List.of(new SendLedger.Departure(job.jobId(), 41)), System.currentTimeMillis()))
                .as("another claim holds the row").containsExactly(new SendLedger.Departure(job.jobId(), 41));
        assertThat(ledger.markDeparting(List.of(new SendLedger.Departure(job.jobId(), 42)), System.currentTimeMillis()))
                .isEmpty();
        assertThat(ledger.row(job.jobId())).containsEntry("state", "in_flight");
    }

    @Test
    void anUnknownAttemptIsResentOnceAndOnlyOnce() throws Exception {
        long campaign = kafka.newCampaign();
        String phone = newPhone();
        SendJob job = job(campaign, phone);
        ledgerRow(job, "unknown", "a-dead-sender");

        publish(job); // a plain redelivery: republishes the unknown, no call
        assertThat(awaitOutcomes(job.jobId(), 1).get(0).status()).isEqualTo(OutcomeStatus.UNKNOWN);
        publish(job.asResend(Instant.now()));
        await().atMost(Duration.ofSeconds(20)).until(() -> kafka.outcomesOfJob(job.jobId()).stream()
                .anyMatch(o -> o.status() == OutcomeStatus.SENT));
        publish(job.asResend(Instant.now())); // a second re-send: the ledger answers with the recorded outcome
        await().atMost(Duration.ofSeconds(20)).until(() -> kafka.outcomesOfJob(job.jobId()).size() >= 3);

        assertThat(callsTo(phone)).isEqualTo(1);
        assertThat(kafka.outcomesOfJob(job.jobId())).extracting(Outcome::status)
                .containsExactly(OutcomeStatus.UNKNOWN, OutcomeStatus.SENT, OutcomeStatus.SENT);
    }
}
