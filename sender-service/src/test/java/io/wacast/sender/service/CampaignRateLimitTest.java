package io.wacast.sender.service;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.matching;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.wacast.common.Topics;
import io.wacast.common.event.CampaignControl;
import io.wacast.common.event.JobId;
import io.wacast.common.event.OutcomeStatus;
import io.wacast.common.event.SendJob;
import io.wacast.common.status.CampaignStatus;
import io.wacast.sender.KafkaTestClient;
import io.wacast.sender.SenderTestResources;
import io.wacast.sender.messaging.CampaignControls;
import io.wacast.sender.messaging.SendJobConsumer;

/**
 * A campaign's own {@code rateLimit} (messages per minute) is a second schedule in front of the
 * number's, shared through the database by every replica: it spaces the campaign's calls, leaves
 * other campaigns at the number's rate, and follows changes of the limit and of the campaign's state.
 */
@QuarkusTest
@QuarkusTestResource(SenderTestResources.class)
class CampaignRateLimitTest {

    private static final AtomicLong RECIPIENTS = new AtomicLong(1);
    private static KafkaTestClient kafka;

    WireMockServer wireMock;

    @Inject
    SendJobConsumer consumer;

    @Inject
    CampaignControls controls;

    @Inject
    DataSource dataSource;

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
                        .withBody("{\"messaging_product\":\"whatsapp\",\"messages\":[{\"id\":\"wamid.ok\"}]}")));
    }

    @Test
    void aCampaignsRateLimitSpacesItsCallsWhileAnUnlimitedCampaignGoesAtTheNumbersRate() throws Exception {
        long limited = kafka.newCampaign();
        long unlimited = kafka.newCampaign();
        control(limited, CampaignStatus.SENDING, 600, 1); // 10 a second
        List<SendJob> jobs = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            jobs.add(job(limited));
            jobs.add(job(unlimited));
        }

        long published = System.currentTimeMillis();
        jobs.forEach(CampaignRateLimitTest::publish);

        await().atMost(Duration.ofSeconds(30)).until(() -> sentCount(limited) == 20 && sentCount(unlimited) == 20);
        List<Long> limitedCalls = callTimesOf(limited);
        List<Long> unlimitedCalls = callTimesOf(unlimited);
        assertThat(limitedCalls).hasSize(20);
        assertThat(unlimitedCalls).hasSize(20);
        // Invariants, true however busy the machine: the campaign's schedule booked 20 slots 100 ms apart,
        // none before the jobs existed, so its next free slot lies at least 2 s after they were published ...
        assertThat(nextSlotMs(limited)).isGreaterThanOrEqualTo(published + 2_000);
        // ... and no call left before its slot: the 20th reached Meta no sooner than slot 19 (less the few
        // milliseconds a slot may be released early by the firer's wake-up)
        assertThat(limitedCalls.get(19)).isGreaterThanOrEqualTo(published + 1_900 - 50);
        // the other campaign never waited for campaign slots: it has no schedule of its own
        assertThat(hasSchedule(unlimited)).isFalse();
        // How the calls spread is a speed of this machine: printed, not asserted.
        System.out.printf("rate-limited campaign: 20 calls over %d ms, busiest second %d; unlimited: last call %d ms after publishing%n",
                limitedCalls.get(19) - limitedCalls.get(0), busiestSecond(limitedCalls), unlimitedCalls.get(19) - published);
    }

    @Test
    void slotsOfACampaignThatAnotherReplicaLeasedAreNotUsedAgain() throws Exception {
        long campaign = kafka.newCampaign();
        control(campaign, CampaignStatus.SENDING, 60, 1);
        long heldUntilMs = System.currentTimeMillis() + 2_000;
        try (var connection = dataSource.getConnection(); var insert = connection.prepareStatement(
                "INSERT INTO token_budget (budget_key, next_slot_us) VALUES (?, ?)")) {
            // another replica holds the campaign's next two seconds
            insert.setString(1, "campaign:" + campaign);
            insert.setLong(2, heldUntilMs * 1000);
            insert.executeUpdate();
        }

        publish(job(campaign));

        await().atMost(Duration.ofSeconds(15)).until(() -> sentCount(campaign) == 1);
        assertThat(callTimesOf(campaign).get(0)).isGreaterThanOrEqualTo(heldUntilMs);
        assertThat(nextSlotMs(campaign)).isGreaterThanOrEqualTo(heldUntilMs + 1_000);
    }

    @Test
    void liftingTheRateLimitReleasesTheWaitingJobsAtOnce() {
        long campaign = kafka.newCampaign();
        control(campaign, CampaignStatus.SENDING, 6, 1); // one every 10 s
        for (int i = 0; i < 4; i++) {
            publish(job(campaign));
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> sentCount(campaign) == 1);

        control(campaign, CampaignStatus.SENDING, 0, 2);

        await().atMost(Duration.ofSeconds(5)).until(() -> sentCount(campaign) == 4);
        assertThat(callTimesOf(campaign)).hasSize(4);
    }

    @Test
    void pausingACampaignDefersTheJobsWaitingForItsSlotsWithoutSendingThem() {
        long campaign = kafka.newCampaign();
        control(campaign, CampaignStatus.SENDING, 6, 1);
        for (int i = 0; i < 3; i++) {
            publish(job(campaign));
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> sentCount(campaign) == 1);

        control(campaign, CampaignStatus.PAUSED, 6, 2);

        await().atMost(Duration.ofSeconds(5)).until(() -> kafka.outcomesOf(campaign).stream()
                .filter(o -> o.status() == OutcomeStatus.DEFERRED).count() == 2);
        assertThat(callTimesOf(campaign)).hasSize(1);
        assertThat(kafka.outcomesOf(campaign).stream().filter(o -> o.status() == OutcomeStatus.DEFERRED))
                .allSatisfy(o -> assertThat(o.errorMessage()).isEqualTo("campaign is paused"));
    }

    private void control(long campaign, CampaignStatus status, int ratePerMinute, long version) {
        kafka.publish(Topics.CAMPAIGN_CONTROL, Long.toString(campaign), CampaignControl.of(campaign,
                SenderTestResources.NUMBER, status, ratePerMinute, null, version, Instant.now()));
        await().atMost(Duration.ofSeconds(10))
                .until(() -> controls.of(campaign) != null && controls.of(campaign).version() == version);
    }

    private static SendJob job(long campaignId) {
        long recipientId = RECIPIENTS.incrementAndGet();
        String phone = "+9198" + String.format("%08d", (System.nanoTime() / 1000 + recipientId) % 100_000_000L);
        return SendJob.of(JobId.of(campaignId, recipientId), campaignId, recipientId, SenderTestResources.NUMBER, phone,
                "order_update", "en_US", Map.of("body.1", "A-" + recipientId), 1, null, Instant.now());
    }

    private static void publish(SendJob job) {
        kafka.publish(Topics.SEND_JOBS, job.to(), job);
    }

    private static long sentCount(long campaign) {
        return kafka.outcomesOf(campaign).stream().filter(o -> o.status() == OutcomeStatus.SENT).count();
    }

    /** When WireMock received each call of the campaign, in order (epoch ms). */
    private List<Long> callTimesOf(long campaign) {
        return wireMock.findAll(postRequestedFor(urlPathMatching("/v23.0/.*/messages"))
                .withRequestBody(matchingJsonPath("$.biz_opaque_callback_data", matching("wc:" + campaign + ":.*"))))
                .stream().map(LoggedRequest::getLoggedDate).map(java.util.Date::getTime).sorted().toList();
    }

    private static int busiestSecond(List<Long> sortedMs) {
        int busiest = 0;
        for (int i = 0, j = 0; i < sortedMs.size(); i++) {
            while (sortedMs.get(i) - sortedMs.get(j) >= 1_000) {
                j++;
            }
            busiest = Math.max(busiest, i - j + 1);
        }
        return busiest;
    }

    private boolean hasSchedule(long campaign) throws Exception {
        try (var connection = dataSource.getConnection(); var select = connection.prepareStatement(
                "SELECT 1 FROM token_budget WHERE budget_key = ?")) {
            select.setString(1, "campaign:" + campaign);
            try (var rs = select.executeQuery()) {
                return rs.next();
            }
        }
    }

    private long nextSlotMs(long campaign) throws Exception {
        try (var connection = dataSource.getConnection(); var select = connection.prepareStatement(
                "SELECT next_slot_us FROM token_budget WHERE budget_key = ?")) {
            select.setString(1, "campaign:" + campaign);
            try (var rs = select.executeQuery()) {
                assertThat(rs.next()).isTrue();
                return rs.getLong(1) / 1000;
            }
        }
    }
}
