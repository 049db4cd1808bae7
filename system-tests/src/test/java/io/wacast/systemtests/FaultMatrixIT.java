package io.wacast.systemtests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.fasterxml.jackson.databind.JsonNode;

import io.wacast.common.testing.ServiceProcess;
import io.wacast.systemtests.Infrastructure.Component;

/**
 * The fault matrix (docs/DESIGN.md §7, RELIABILITY.md): one fault per test, each in the middle of a
 * campaign of its own of 2,000 recipients on one running system (two senders), and each campaign
 * ends as if nothing had happened — completed, every counter equal to the simulator's truth, every
 * recipient accepted by Meta exactly once (one accepted call each, no duplicate, one wamid each),
 * nothing pending, queued or unknown, no webhook dropped:
 * <ol>
 * <li>the Kafka broker stopped for 20 s and started again ({@code ./wacast infra stop|start kafka});</li>
 * <li>the MariaDB server restarted ({@code ./wacast infra stop|start mariadb});</li>
 * <li>the campaign-service killed with SIGKILL while recipients are still undispatched, and started again;</li>
 * <li>the webhook-service down for 60 s while the simulator retries its webhooks with backoff, as Meta does;</li>
 * <li>a sender replica paused (SIGSTOP) for 15 s — three times its call timeout, longer than its consumer
 * session and its ledger heartbeat — and resumed (SIGCONT).</li>
 * </ol>
 * The campaign-service dispatches 100 recipients a round with at most 400 queued, so a campaign is
 * dispatched over its whole run and a fault at a fifth of it finds undispatched recipients, jobs on the
 * topic and calls in flight. A broker or database is always started again, and a paused sender
 * continued, in a {@code finally}: a failed assertion never leaves the next test without them. Each test
 * logs one {@code fault-matrix |} line (recovery, unknowns, re-sends, duplicates) for RELIABILITY.md.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FaultMatrixIT {

    private static final System.Logger LOG = System.getLogger(FaultMatrixIT.class.getName());

    private static final int RECIPIENTS = 2_000;
    /** Accepted calls of the campaign before the fault lands: a fifth of it. */
    private static final int FAULT_AT = RECIPIENTS / 5;
    private static final Duration KAFKA_DOWN = Duration.ofSeconds(20);
    private static final Duration WEBHOOKS_DOWN = Duration.ofSeconds(60);
    /** The senders' call timeout here is 5 s (WacastSystem#startSender). */
    private static final Duration SENDER_PAUSED = Duration.ofSeconds(15);

    @RegisterExtension
    static final WacastSystem system = new WacastSystem("FaultMatrixIT");
    private static Infrastructure infrastructure;
    private static final List<String> RESULTS = new ArrayList<>();

    @BeforeAll
    static void startTheSystem() {
        system.start(2, Map.of("wacast.campaign.dispatch.batch-size", "100", "wacast.campaign.dispatch.max-in-flight", "400"));
        system.registerTemplate();
        infrastructure = system.infrastructure();
    }

    @AfterAll
    static void stopTheSystem() {
        try {
            if (infrastructure != null) {
                infrastructure.ensureRunning(Component.MARIADB);
                infrastructure.ensureRunning(Component.KAFKA);
            }
        } finally {
            system.close();
            RESULTS.forEach(line -> LOG.log(System.Logger.Level.INFO, "fault-matrix | " + line));
        }
    }

    @Test
    @Order(1)
    void theKafkaBrokerStoppedFor20SecondsMidCampaignLosesAndDoublesNothing() {
        Run run = new Run("Kafka broker stopped 20 s");
        run.awaitAccepted(FAULT_AT);
        int kafkaPort = Integer.parseInt(System.getenv("KAFKA_BOOTSTRAP_SERVERS").replaceAll(".*:", ""));
        try (Infrastructure.Outage outage = infrastructure.stop(Component.KAFKA)) {
            run.faultNow();
            await("broker down for " + KAFKA_DOWN).pollDelay(KAFKA_DOWN).atMost(KAFKA_DOWN.plusSeconds(30))
                    .until(() -> !portOpen(kafkaPort));
            outage.restore();
            run.restoredNow("sent");
        }
        run.awaitRecovery();
        run.assertSettledExactly();
    }

    @Test
    @Order(2)
    void theDatabaseRestartedMidCampaignLosesAndDoublesNothing() {
        Run run = new Run("MariaDB restarted");
        run.awaitAccepted(FAULT_AT);
        try (Infrastructure.Outage outage = infrastructure.stop(Component.MARIADB)) {
            run.faultNow();
            outage.restore();
            run.restoredNow("sent");
        }
        run.awaitRecovery();
        run.assertSettledExactly();
    }

    @Test
    @Order(3)
    void theCampaignServiceKilledMidDispatchAndRestartedLosesAndDoublesNothing() {
        Run run = new Run("campaign-service SIGKILL");
        run.awaitAccepted(FAULT_AT);
        long pendingAtKill = system.stats(run.campaign).path("stats").path("pending").asLong();
        run.sentBeforeFault = system.stats(run.campaign).path("stats").path("sent").asLong();
        ServiceProcess victim = system.campaignService();
        victim.kill();
        run.faultNow();
        assertThat(victim.isAlive()).as("campaign-service alive after SIGKILL").isFalse();
        assertThat(pendingAtKill).as("recipients not yet dispatched when the campaign-service was killed").isPositive();
        system.startCampaignService("campaign-service-restarted").awaitReady();
        run.restoredNow("sent");
        run.awaitRecovery();
        run.assertSettledExactly();
    }

    @Test
    @Order(4)
    void theWebhookServiceDownFor60SecondsWhileTheSimulatorRetriesLosesNoWebhook() {
        Run run = new Run("webhook-service down 60 s");
        run.awaitAccepted(FAULT_AT);
        long failuresBefore = system.simulatorStats().path("webhookFailures").asLong();
        system.webhookService().stop();
        run.faultNow();
        await("webhook-service down for " + WEBHOOKS_DOWN + ", the simulator's deliveries failing")
                .pollDelay(WEBHOOKS_DOWN).atMost(WEBHOOKS_DOWN.plusSeconds(30)).pollInterval(Duration.ofSeconds(1))
                .until(() -> system.simulatorStats().path("webhookFailures").asLong() > failuresBefore);
        run.webhookFailures = system.simulatorStats().path("webhookFailures").asLong() - failuresBefore;
        system.startWebhookService("webhook-service-restarted").awaitReady();
        run.restoredNow("delivered");
        run.awaitRecovery();
        run.assertSettledExactly();
    }

    @Test
    @Order(5)
    void aSenderPausedLongerThanItsCallTimeoutAndResumedSendsNobodyTwice() {
        Run run = new Run("sender SIGSTOP 15 s");
        run.awaitAccepted(FAULT_AT);
        ServiceProcess victim = system.senders().get(0);
        signal(victim, "STOP");
        try {
            run.faultNow();
            // the other replica takes over the paused one's partitions and claims and goes on sending
            await("paused for " + SENDER_PAUSED + ", the campaign going on without it").pollDelay(SENDER_PAUSED)
                    .atMost(SENDER_PAUSED.plusSeconds(60)).pollInterval(Duration.ofMillis(500))
                    .until(() -> run.accepted() > run.acceptedAtFault);
        } finally {
            signal(victim, "CONT");
        }
        run.restoredNow("sent");
        victim.awaitReady();
        run.recovery = Duration.between(run.restoredAt, Instant.now());
        run.recoveryMeaning = "resumed replica ready again";
        run.assertSettledExactly();
    }

    /** One campaign of {@link #RECIPIENTS} under one fault, and what was observed of it. */
    private static final class Run {
        final String fault;
        final long campaign;
        long acceptedAtFault;
        Instant faultAt;
        Instant restoredAt;
        String counter;
        long counterAtRestore;
        long sentBeforeFault = -1;
        Duration recovery;
        String recoveryMeaning;
        long peakUnknown;
        long webhookFailures = -1;

        Run(String fault) {
            this.fault = fault;
            campaign = system.createCampaign("FaultMatrixIT " + fault + " " + Instant.now());
            assertThat(system.upload(campaign, RecipientList.of(campaign, RECIPIENTS, 0)).path("accepted").asLong())
                    .isEqualTo(RECIPIENTS);
            system.send(campaign);
        }

        long accepted() {
            return system.truth(campaign).path("acceptedCalls").asLong();
        }

        void awaitAccepted(long calls) {
            await("simulator accepted " + calls + " calls of campaign " + campaign).atMost(Duration.ofSeconds(120))
                    .pollInterval(Duration.ofMillis(100)).until(() -> accepted() >= calls);
        }

        /** The fault has just landed: it must be mid-campaign. */
        void faultNow() {
            faultAt = Instant.now();
            acceptedAtFault = accepted();
            assertThat(acceptedAtFault).as("accepted calls when the fault landed (mid-campaign)").isLessThan(RECIPIENTS);
        }

        /** The component is back; recovery is measured until the campaign's {@code counter} moves on. */
        void restoredNow(String counter) {
            restoredAt = Instant.now();
            this.counter = counter;
            JsonNode stats = statsOrNull();
            counterAtRestore = stats != null ? stats.path("stats").path(counter).asLong() : sentBeforeFault;
        }

        /**
         * Waits until the operator sees the campaign move again: its counter above the value at the
         * restore (or the whole campaign counted already).
         */
        void awaitRecovery() {
            await(fault + ": campaign " + campaign + " moving again").atMost(Duration.ofMinutes(3))
                    .pollInterval(Duration.ofMillis(200)).until(() -> {
                        JsonNode stats = statsOrNull();
                        if (stats == null) {
                            return false;
                        }
                        long value = stats.path("stats").path(counter).asLong();
                        return value > counterAtRestore || value == RECIPIENTS;
                    });
            recovery = Duration.between(restoredAt, Instant.now());
            recoveryMeaning = "restore → `" + counter + "` counting again";
        }

        JsonNode statsOrNull() {
            try {
                return system.stats(campaign);
            } catch (RuntimeException unavailable) {
                return null;
            }
        }

        /**
         * The campaign completes and settles, and then: every recipient accepted exactly once by the
         * simulator, with one wamid each; counters equal to the simulator's truth; no unknown left.
         */
        void assertSettledExactly() {
            await(fault + ": campaign " + campaign + " completed").atMost(Duration.ofMinutes(5))
                    .pollInterval(Duration.ofMillis(500)).until(() -> {
                        JsonNode stats = statsOrNull();
                        if (stats == null) {
                            return false;
                        }
                        peakUnknown = Math.max(peakUnknown, stats.path("stats").path("unknown").asLong());
                        String status = stats.path("campaign").path("status").asText();
                        if (status.equals("paused") || status.equals("cancelled")) {
                            throw new AssertionError("campaign " + campaign + " is " + status + ": " + stats);
                        }
                        return status.equals("completed");
                    });
            Duration toCompleted = Duration.between(faultAt, Instant.now());
            system.awaitWebhooksDelivered(Duration.ofMinutes(3));
            JsonNode truth = system.truth(campaign);
            long accepted = truth.path("recipientsAccepted").asLong();

            assertThat(truth.path("duplicates")).as("recipients accepted twice").isEmpty();
            assertThat(truth.path("acceptedCalls").asLong()).as("accepted calls, one per recipient").isEqualTo(accepted);
            assertThat(accepted).as("recipients accepted, each exactly once").isEqualTo(RECIPIENTS);
            assertThat(truth.path("delivered").asLong()).as("delivered webhooks").isPositive();
            assertThat(truth.path("read").asLong()).as("read webhooks").isPositive();
            long resent = system.stats(campaign).path("stats").path("resentUnknown").asLong();
            Map<String, Long> expected = WacastSystem.expectedCounters(truth, RECIPIENTS, 0, resent);
            long replies = expected.get("responded");
            /*
             * responded is exact too: a reply read before the wamid it quotes is recorded (the sender's outcome and
             * the statuses come late after a broker outage or a campaign-service restart) waits in
             * awaiting_attribution and is credited by the batch that records that wamid (docs/DESIGN.md §4).
             */
            await(fault + ": stats equal to the simulator's truth").atMost(Duration.ofSeconds(90))
                    .pollInterval(Duration.ofMillis(500))
                    .untilAsserted(() -> assertThat(WacastSystem.counters(system.stats(campaign))).isEqualTo(expected));
            assertThat(system.messagedRecipients(campaign)).as("recipients with a wamid, one each").hasSize(RECIPIENTS);
            assertThat(system.stats(campaign).path("campaign").path("status").asText()).isEqualTo("completed");
            assertThat(system.simulatorStats().path("webhooksDropped").asLong()).as("webhooks dropped by the simulator").isZero();

            String line = String.format("%s | campaign %d | fault at %d/%d accepted | %s: %.1f s | completed %.1f s after the fault"
                    + " | peak unknown %d | re-sent by the safety net %d | duplicates %d | accepted calls %d = recipients %d"
                    + " | sent %d delivered %d read %d failed %d responded %d = truth%s",
                    fault, campaign, acceptedAtFault, RECIPIENTS, recoveryMeaning, recovery.toMillis() / 1000.0,
                    toCompleted.toMillis() / 1000.0, peakUnknown, resent, truth.path("duplicates").size(),
                    truth.path("acceptedCalls").asLong(), accepted, accepted, truth.path("delivered").asLong(),
                    truth.path("read").asLong(), truth.path("failed").asLong(), replies,
                    webhookFailures >= 0 ? " | webhook attempts failed and retried " + webhookFailures : "");
            RESULTS.add(line);
            LOG.log(System.Logger.Level.INFO, "fault-matrix | " + line + "; " + system.summary(campaign, truth));
        }
    }

    private static boolean portOpen(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (IOException closed) {
            return false;
        }
    }

    /** {@code kill -SIGNAL <java pid>}: STOP freezes every thread of the JVM at once, CONT lets them go on. */
    private static void signal(ServiceProcess process, String signal) {
        try {
            Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).inheritIO().start();
            assertThat(kill.waitFor(10, TimeUnit.SECONDS) && kill.exitValue() == 0).as("kill -%s %d", signal, process.pid()).isTrue();
        } catch (IOException e) {
            throw new IllegalStateException("could not send SIG" + signal + " to " + process.name, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
