package io.wacast.sender.packaged;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;

import org.jboss.logging.Logger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.wacast.common.testing.ServiceProcess;
import io.wacast.common.Topics;
import io.wacast.common.event.OutcomeStatus;

/**
 * DESIGN.md §5 on the real thing: three packaged sender replicas (separate JVMs, one consumer group,
 * one database) against the packaged simulator capped at {@value #CAP} msg/s. The simulator, which
 * counts every call at arrival in a sliding window, must never see more than the cap in any one
 * second, and the replicas together must reach at least 95 % of the cap over a campaign in which a
 * fourth replica joins and one leaves.
 */
class ReplicasShareTheBudgetIT {

    private static final Logger LOG = Logger.getLogger(ReplicasShareTheBudgetIT.class);
    private static final int CAP = 100;
    private static final int JOBS = 3_000;
    /**
     * The schedule's margin under the cap. A call takes its slot in the sender but is counted when it
     * reaches the simulator, so the slots of one second (at 0.975 and 5 ms lateness at most
     * {@code ⌊1.005 s / 10.257 ms⌋ + 1 = 98}) plus the spread between leaving and arriving must stay
     * within the cap. A call that cannot leave within its slot's lateness does not leave at all
     * (it waits for another slot), which took the sender's own share of that spread away: four sender
     * JVMs, the simulator, Kafka and MariaDB share two cores here, and before that check the busiest
     * second reached 101–104 at 0.97; with it, 98–99 over six runs at 0.97–0.975, at 95.9–96.8 msg/s.
     */
    private static final double UTILISATION = Double.parseDouble(System.getProperty("wacast.it.utilisation", "0.975"));
    private static final String LATENESS = System.getProperty("wacast.it.lateness", "5ms");
    /** Issue 4: together the replicas reach at least 95 % of the cap over a campaign in which one joins and one leaves. */
    private static final double MIN_SHARE_OF_CAP = 0.95;
    /**
     * In the seven seconds around the join (or the leave) alone: a fourth JVM starting on the same two
     * cores starves the running dispatchers of CPU for a moment, and the slots they miss are dropped, not
     * bunched (measured 94.5–95.8 msg/s around the join, 96.5–97.3 around the leave). A replica joining
     * elsewhere (its own node, as in Kubernetes) costs nothing; a real dent (a lost partition, a stalled
     * lease) costs far more than this allows.
     */
    private static final double MIN_SHARE_OF_CAP_AROUND_A_CHANGE = 0.93;

    private static PackagedSystem system;

    @BeforeAll
    static void startSimulator() {
        system = new PackagedSystem();
    }

    @AfterAll
    static void stopEverything() {
        if (system != null) {
            system.close();
        }
    }

    @Test
    void replicasTogetherStayUnderTheCapInEverySecondAndKeepTheScheduleWhileOneJoinsAndOneLeaves() throws Exception {
        system.simulate(CAP);
        system.newConsumerGroup();
        List<ServiceProcess> replicas = List.of(system.startSender(0, CAP, UTILISATION, LATENESS),
                system.startSender(1, CAP, UTILISATION, LATENESS), system.startSender(2, CAP, UTILISATION, LATENESS));
        replicas.forEach(ServiceProcess::awaitReady);
        system.warmUp(CAP);
        long campaign = system.kafka.newCampaign();
        system.kafka.publishAll(Topics.SEND_JOBS, PackagedSystem.jobs(campaign, JOBS));

        // the simulator's count of accepted calls, five times a second: the rate is measured from it
        try (AcceptedCalls samples = new AcceptedCalls(system, campaign, 200)) {
            await().atMost(Duration.ofSeconds(30)).until(() -> samples.accepted() >= 700);
            ServiceProcess fourth = system.startSender(3, CAP, UTILISATION, LATENESS).awaitReady();
            long joinedAt = System.nanoTime();
            await().atMost(Duration.ofSeconds(30)).until(() -> samples.accepted() >= 1_700);
            long leavingAt = System.nanoTime();
            replicas.get(0).stop();
            long leftAt = System.nanoTime();

            await().atMost(Duration.ofSeconds(60)).until(() -> system.kafka.outcomesOf(campaign).stream()
                    .filter(o -> o.status() == OutcomeStatus.SENT).map(o -> o.jobId()).distinct().count() == JOBS);
            await().atMost(Duration.ofSeconds(5)).until(() -> samples.accepted() >= JOBS);
            assertThat(fourth.isAlive()).isTrue();

            JsonNode number = system.numberStats();
            JsonNode stats = system.campaignStats(campaign);
            double whole = samples.rate(samples.firstAt(100), samples.lastAt(JOBS - 100));
            double aroundJoin = samples.rate(joinedAt - 3_000_000_000L, joinedAt + 4_000_000_000L);
            double aroundLeave = samples.rate(leavingAt - 2_000_000_000L, leftAt + 3_000_000_000L);
            replicas.stream().skip(1).forEach(r -> LOG.infof("%s: %s", r.name, String.join(" ",
                    r.metrics("wacast_sender_budget_slots_dropped_total"), r.metrics("wacast_sender_budget_backoffs_total"),
                    r.metrics("wacast_sender_departure_lag_seconds_max"), r.metrics("wacast_sender_calls_max_per_second"))));
            LOG.infof("cap %d/s, 3 replicas, a 4th joining and one leaving: busiest second %d calls, %.1f msg/s overall,"
                    + " %.1f around the join, %.1f around the leave; 130429: %d", CAP,
                    number.path("maxCallsInAnyOneSecondWindow").asInt(), whole, aroundJoin, aroundLeave,
                    system.stats().path("rejectedByCode").path("130429").asLong());

            assertThat(number.path("maxCallsInAnyOneSecondWindow").asInt()).isLessThanOrEqualTo(CAP);
            assertThat(system.stats().path("rejectedByCode").path("130429").asLong()).isZero();
            assertThat(stats.path("acceptedCalls").asLong()).isEqualTo(JOBS);
            assertThat(stats.path("duplicates")).isEmpty();
            assertThat(whole).isGreaterThanOrEqualTo(CAP * MIN_SHARE_OF_CAP);
            assertThat(aroundJoin).isGreaterThanOrEqualTo(CAP * MIN_SHARE_OF_CAP_AROUND_A_CHANGE);
            assertThat(aroundLeave).isGreaterThanOrEqualTo(CAP * MIN_SHARE_OF_CAP_AROUND_A_CHANGE);
        }
    }
}
