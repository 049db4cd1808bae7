package io.wacast.campaign.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.zip.InflaterInputStream;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.agroal.api.AgroalDataSource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.wacast.campaign.Api;
import io.wacast.campaign.KafkaProbe;
import io.wacast.campaign.KafkaTopicsTestResource;
import io.wacast.campaign.TestData;
import io.wacast.campaign.service.CampaignDispatcher;
import io.wacast.common.Topics;
import io.wacast.common.event.JobId;
import io.wacast.common.event.SendJob;

/**
 * A crash in the middle of dispatch, at the two points that matter: inside the dispatch transaction
 * (before it commits) and between Kafka's acknowledgement of the jobs and the commit that deletes them
 * from the outbox. The engine loop is off, so the test drives dispatcher and relay step by step; a
 * crash is a transaction that never commits, which is what the database makes of a dead process.
 * Afterwards no recipient is lost and none has two different job ids; a job may be published twice
 * with the same jobId, which the sender's ledger dedupes.
 */
@QuarkusTest
@TestProfile(DispatchCrashTest.EngineOff.class)
@QuarkusTestResource(KafkaTopicsTestResource.class)
class DispatchCrashTest {

    public static class EngineOff implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("wacast.campaign.dispatch.enabled", "false");
        }
    }

    private static final int RECIPIENTS = 40;

    @Inject
    CampaignDispatcher dispatcher;

    @Inject
    OutboxRelay relay;

    @Inject
    AgroalDataSource dataSource;

    @Inject
    ObjectMapper json;

    static final class SimulatedCrash extends RuntimeException {
        SimulatedCrash() {
            super("simulated crash", null, false, false);
        }
    }

    @Test
    void aCrashAnywhereInDispatchNeitherLosesNorDoublesAJob() throws Exception {
        long campaign = TestData.draft();
        List<Map<String, Object>> rows = new ArrayList<>();
        for (int i = 0; i < RECIPIENTS; i++) {
            rows.add(Map.of("phoneNumber", TestData.phone(), "variables", Map.of("body.1", "R" + i)));
        }
        Api.admin().body(rows).post("/api/whatsapp/campaigns/" + campaign + "/recipients").then().statusCode(200);
        Api.admin().post("/api/whatsapp/campaigns/" + campaign + "/send").then().statusCode(200);

        try (KafkaProbe jobs = new KafkaProbe(Topics.SEND_JOBS, r -> r.value().contains("\"campaignId\":" + campaign + ","))) {
            // 1. Dies inside the dispatch transaction: nothing queued, nothing in the outbox.
            assertThatThrownBy(() -> QuarkusTransaction.requiringNew().run(() -> {
                assertThat(dispatcher.dispatch(campaign)).isEqualTo(RECIPIENTS);
                throw new SimulatedCrash();
            })).isInstanceOf(SimulatedCrash.class);
            assertThat(count("SELECT COUNT(*) FROM recipients WHERE campaign_id = ? AND status = 'pending'", campaign))
                    .isEqualTo(RECIPIENTS);
            assertThat(outboxJobs(campaign)).isZero();

            // 2. The next dispatch queues everyone, and the job of each recipient is in the outbox.
            assertThat(dispatcher.dispatch(campaign)).isEqualTo(RECIPIENTS);
            assertThat(outboxJobs(campaign)).isEqualTo(RECIPIENTS);

            // 3. Dies after Kafka acknowledged the jobs, before the delete of the outbox rows commits.
            assertThatThrownBy(() -> QuarkusTransaction.requiringNew().run(() -> {
                try {
                    assertThat(relay.publishOneRound()).isGreaterThanOrEqualTo(RECIPIENTS);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
                throw new SimulatedCrash();
            })).isInstanceOf(SimulatedCrash.class);
            await().atMost(Duration.ofSeconds(30)).until(() -> jobs.records().size() == RECIPIENTS);
            assertThat(outboxJobs(campaign)).isEqualTo(RECIPIENTS);

            // 4. The restarted relay publishes the same messages again and empties the outbox.
            relay.drain();
            assertThat(outboxJobs(campaign)).isZero();
            await().atMost(Duration.ofSeconds(30)).until(() -> jobs.records().size() == 2 * RECIPIENTS);
            assertThat(dispatcher.dispatch(campaign)).isZero();

            Map<Long, Set<String>> jobIdsByRecipient = new HashMap<>();
            for (var record : jobs.records()) {
                SendJob job = json.readValue(record.value(), SendJob.class);
                assertThat(job.jobId()).isEqualTo(JobId.of(campaign, job.recipientId()));
                jobIdsByRecipient.computeIfAbsent(job.recipientId(), id -> new HashSet<>()).add(job.jobId());
            }
            assertThat(jobIdsByRecipient).hasSize(RECIPIENTS).allSatisfy((recipient, ids) -> assertThat(ids).hasSize(1));
            assertThat(jobIdsByRecipient.keySet()).containsExactlyInAnyOrderElementsOf(dispatchedRecipients(campaign));
            assertThat(count("SELECT COUNT(*) FROM recipients WHERE campaign_id = ? AND status = 'pending'", campaign)).isZero();
        }
    }

    /**
     * The relay runs on its own thread: while a relay round holds its claim (Kafka has not acknowledged
     * yet), the dispatcher must still be able to write the next round to the outbox. A claim that locked
     * the gap at the end of the outbox would make that insert wait for the lock wait timeout.
     */
    @Test
    void dispatchWritesTheNextRoundWhileTheRelayWaitsForKafka() throws Exception {
        long first = sendingCampaign(5);
        long second = sendingCampaign(5);
        assertThat(dispatcher.dispatch(first)).isEqualTo(5);

        CountDownLatch claimed = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        ExecutorService relayThread = Executors.newSingleThreadExecutor();
        try (KafkaProbe jobs = new KafkaProbe(Topics.SEND_JOBS,
                r -> r.value().contains("\"campaignId\":" + first + ",") || r.value().contains("\"campaignId\":" + second + ","))) {
            Future<Integer> round = relayThread.submit(() -> QuarkusTransaction.requiringNew().call(() -> {
                int published = relay.publishOneRound();
                claimed.countDown();
                release.await();
                return published;
            }));
            assertThat(claimed.await(30, TimeUnit.SECONDS)).isTrue();

            CompletableFuture<Integer> dispatch = CompletableFuture.supplyAsync(() -> dispatcher.dispatch(second));
            await().atMost(Duration.ofSeconds(10)).until(dispatch::isDone);
            assertThat(dispatch.get()).isEqualTo(5);
            assertThat(outboxJobs(second)).isEqualTo(5);

            release.countDown();
            assertThat(round.get(30, TimeUnit.SECONDS)).isGreaterThanOrEqualTo(5);
            relay.drain();
            await().atMost(Duration.ofSeconds(30)).until(() -> jobs.records().size() >= 10);
            await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(5)).until(() -> jobs.records().size() == 10);
            Set<String> jobIds = new HashSet<>();
            for (var record : jobs.records()) {
                jobIds.add(json.readValue(record.value(), SendJob.class).jobId());
            }
            assertThat(jobIds).hasSize(10);
            assertThat(outboxJobs(first) + outboxJobs(second)).isZero();
        } finally {
            release.countDown();
            relayThread.shutdownNow();
        }
    }

    private long sendingCampaign(int recipients) {
        long campaign = TestData.draft();
        List<Map<String, Object>> rows = new ArrayList<>();
        for (int i = 0; i < recipients; i++) {
            rows.add(Map.of("phoneNumber", TestData.phone(), "variables", Map.of("body.1", "R" + i)));
        }
        Api.admin().body(rows).post("/api/whatsapp/campaigns/" + campaign + "/recipients").then().statusCode(200);
        Api.admin().post("/api/whatsapp/campaigns/" + campaign + "/send").then().statusCode(200);
        return campaign;
    }

    /** Jobs of the campaign waiting in the outbox: lines of deflated batch rows, or single-message rows. */
    private long outboxJobs(long campaign) throws Exception {
        String marker = "\"campaignId\":" + campaign + ",";
        long jobs = 0;
        try (var connection = dataSource.getConnection();
                var query = connection.prepareStatement("SELECT payload, batch FROM outbox WHERE topic = ?")) {
            query.setString(1, Topics.SEND_JOBS);
            try (var rows = query.executeQuery()) {
                while (rows.next()) {
                    byte[] batch = rows.getBytes(2);
                    String text = batch == null ? rows.getString(1)
                            : new String(new InflaterInputStream(new ByteArrayInputStream(batch)).readAllBytes(), StandardCharsets.UTF_8);
                    jobs += text.lines().filter(line -> line.contains(marker)).count();
                }
            }
        }
        return jobs;
    }

    private long count(String sql, long campaign) throws SQLException {
        try (var connection = dataSource.getConnection(); var query = connection.prepareStatement(sql)) {
            query.setLong(1, campaign);
            try (var rows = query.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        }
    }

    private List<Long> dispatchedRecipients(long campaign) throws SQLException {
        List<Long> ids = new ArrayList<>();
        try (var connection = dataSource.getConnection();
                var query = connection.prepareStatement("SELECT id FROM recipients WHERE campaign_id = ? AND status <> 'pending'")) {
            query.setLong(1, campaign);
            try (var rows = query.executeQuery()) {
                while (rows.next()) {
                    ids.add(rows.getLong(1));
                }
            }
        }
        return ids;
    }
}
