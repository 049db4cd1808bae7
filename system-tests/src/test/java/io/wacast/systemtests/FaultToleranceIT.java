package io.wacast.systemtests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.fasterxml.jackson.databind.JsonNode;

import io.wacast.common.testing.ServiceProcess;

/**
 * Crashes in the middle of a campaign change nothing an operator can count (DESIGN.md §7): a sender
 * replica is killed with SIGKILL and a new one started, then the webhook-service is killed while
 * the simulator keeps delivering webhooks (it retries with backoff, as Meta does) and started
 * again. The campaign still completes; its counters equal the simulator's truth; nobody got the
 * message twice; no accepted message and no webhook is lost, and every order message, those retried
 * across the crash included, is one order in the catalog-service. The only trace of the crash allowed is
 * {@code unknown}: jobs the dead sender had claimed but whose call never reached Meta (sender-service
 * README, "kill -9 between any two steps") — those it did send are settled by their webhooks.
 */
class FaultToleranceIT {

    private static final System.Logger LOG = System.getLogger(FaultToleranceIT.class.getName());

    private static final int RECIPIENTS = 4_000;
    /**
     * Unknowns a SIGKILL may leave: the claims made ahead of their slot (claim-ahead, 0.3 s of the
     * number's throughput) plus the calls in flight and answers awaiting their ledger commit —
     * milliseconds normally; a whole second of throughput on a loaded two-core machine.
     */
    private static final long UNKNOWN_BOUND = Math.round(WacastSystem.THROUGHPUT * 1.3);

    @RegisterExtension
    static final WacastSystem system = new WacastSystem("FaultToleranceIT");
    private static Shop shop;

    @BeforeAll
    static void startTheSystem() {
        system.start(2);
        system.registerTemplate();
        shop = system.openShop("FaultToleranceIT tours");
    }

    @AfterAll
    static void stopTheSystem() {
        system.close();
    }

    @Test
    void aCampaignSurvivesASenderAndTheWebhookServiceKilledMidRunWithExactCountersAndNoRecipientMessagedTwice() {
        long campaign = system.createCampaign("FaultToleranceIT " + Instant.now());
        RecipientList recipients = RecipientList.of(campaign, RECIPIENTS, 0);
        assertThat(system.upload(campaign, recipients).path("accepted").asLong()).isEqualTo(RECIPIENTS);
        system.send(campaign);

        // kill -9 of a sender's JVM a fifth of the way in, and a replacement
        awaitAccepted(campaign, RECIPIENTS / 5);
        ServiceProcess victim = system.senders().get(0);
        assertThat(ProcessHandle.of(victim.pid()).flatMap(p -> p.info().command()).orElseThrow())
                .as("the pid killed is the JVM's own").endsWith("java");
        victim.kill();
        assertThat(ProcessHandle.of(victim.pid()).map(ProcessHandle::isAlive).orElse(false)).as("victim alive").isFalse();
        long acceptedAtSenderKill = system.truth(campaign).path("acceptedCalls").asLong();
        ServiceProcess replacement = system.startSender();

        // the webhook-service killed while the simulator keeps delivering: its attempts fail and are retried
        awaitAccepted(campaign, RECIPIENTS * 2 / 5);
        long failuresBefore = system.simulatorStats().path("webhookFailures").asLong();
        system.webhookService().kill();
        long acceptedAtWebhookKill = system.truth(campaign).path("acceptedCalls").asLong();
        await("webhook deliveries failing").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .until(() -> system.simulatorStats().path("webhookFailures").asLong() > failuresBefore + 20);
        system.startWebhookService("webhook-service-restarted").awaitReady();
        replacement.awaitReady();

        system.awaitCompleted(campaign, Duration.ofMinutes(3));
        system.awaitWebhooksDelivered(Duration.ofMinutes(2));
        JsonNode truth = system.truth(campaign);
        long accepted = truth.path("recipientsAccepted").asLong();
        long unknown = RECIPIENTS - accepted;

        assertThat(acceptedAtSenderKill).as("sender killed mid-run").isLessThan(RECIPIENTS * 3L / 4);
        assertThat(acceptedAtWebhookKill).as("webhook-service killed mid-run").isLessThan(RECIPIENTS);
        assertThat(truth.path("duplicates")).as("recipients accepted twice").isEmpty();
        assertThat(truth.path("acceptedCalls").asLong()).as("accepted calls, one per recipient").isEqualTo(accepted);
        assertThat(truth.path("delivered").asLong()).as("webhooks reached wacast").isPositive();
        assertThat(truth.path("orders").asLong()).as("order messages").isPositive();
        assertThat(unknown).as("recipients never accepted (the dead sender's claims)").isBetween(0L, UNKNOWN_BOUND);
        await("stats equal to the simulator's truth").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                .untilAsserted(() -> assertThat(WacastSystem.counters(system.stats(campaign)))
                        .isEqualTo(WacastSystem.expectedCounters(truth, RECIPIENTS, unknown)));
        LOG.log(System.Logger.Level.INFO, "sender killed at " + acceptedAtSenderKill + " accepted, webhook-service at " + acceptedAtWebhookKill
                + "; " + system.summary(campaign, truth));
        assertThat(system.stats(campaign).path("campaign").path("status").asText()).isEqualTo("completed");
        assertThat(system.simulatorStats().path("webhooksDropped").asLong()).as("webhooks dropped by the simulator").isZero();

        system.awaitOrdersConsumed(Duration.ofSeconds(60));
        shop.assertOrdersAnswer(campaign, system.messagedRecipients(campaign), truth.path("orders").asLong());
        LOG.log(System.Logger.Level.INFO, truth.path("orders") + " orders for as many order messages; catalog-service: "
                + system.catalogService().metrics("wacast_catalog_order").replace('\n', ' '));
    }

    private static void awaitAccepted(long campaign, long calls) {
        await("simulator accepted " + calls + " calls of campaign " + campaign).atMost(Duration.ofSeconds(90))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> system.truth(campaign).path("acceptedCalls").asLong() >= calls);
    }
}
