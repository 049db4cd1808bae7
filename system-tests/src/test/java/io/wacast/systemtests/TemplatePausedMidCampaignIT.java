package io.wacast.systemtests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Meta pauses the template in the middle of a campaign, on the packaged services over real Kafka and
 * MariaDB: the simulator pauses {@code tour_package_marketing} when 40 % of the campaign's messages
 * have been accepted (from then on it answers 132015, as Meta does) and sends the signed
 * {@code message_template_status_update}; the webhook-service publishes it, the campaign-service pauses
 * the campaign within 5 s with the reason in the campaign, the senders stop calling, and the counters
 * equal the simulator's truth. Resume is refused until Meta approves the template again; then the
 * campaign completes with every recipient accepted at most once and the counters still exact.
 */
class TemplatePausedMidCampaignIT {

    private static final System.Logger LOG = System.getLogger(TemplatePausedMidCampaignIT.class.getName());
    private static final int RECIPIENTS = 2_000;
    private static final String TEMPLATE = "tour_package_marketing";
    /** The design's bound from the webhook to the paused campaign (docs/DESIGN.md §4). */
    private static final Duration PAUSE_BOUND = Duration.ofSeconds(5);

    @RegisterExtension
    static final WacastSystem system = new WacastSystem("TemplatePausedMidCampaignIT");

    @BeforeAll
    static void startTheSystem() {
        system.start(2);
        system.registerTemplate();
        system.configureSimulator("{\"outcomes\":{\"order\":0}}");
    }

    @AfterAll
    static void stopTheSystem() {
        system.close();
    }

    @Test
    void aTemplatePausedAtFortyPercentPausesTheCampaignNothingMoreIsSentAndReapprovalLetsItCompleteWithExactCounters() {
        long campaign = system.createCampaign("TemplatePausedMidCampaignIT " + Instant.now());
        JsonNode upload = system.upload(campaign, RecipientList.of(campaign, RECIPIENTS, 0));
        assertThat(upload.path("accepted").asLong()).isEqualTo(RECIPIENTS);
        system.configureSimulator("""
                {"signals":[{"field":"message_template_status_update","template":"%s","event":"PAUSED",
                 "reason":"LOW_QUALITY","atPercent":40,"ofMessages":%d}]}""".formatted(TEMPLATE, RECIPIENTS));

        system.send(campaign);
        await("the simulator paused the template").atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(50))
                .until(() -> system.simulatorSignals().path(0).path("fired").asBoolean());
        Instant fired = Instant.parse(system.simulatorSignals().path(0).path("firedAt").asText());
        await("campaign paused by the template signal").atMost(PAUSE_BOUND).pollInterval(Duration.ofMillis(100))
                .until(() -> system.campaign(campaign).path("status").asText().equals("paused"));
        Duration toPaused = Duration.between(fired, Instant.now());
        JsonNode paused = system.campaign(campaign);
        // two signals race to pause it, both naming the template: the webhook, and the senders' first
        // 132015 answers (fail_and_pause_campaign); whichever commits first gives the reason
        assertThat(paused.path("statusReason").asText()).isIn(
                "template " + TEMPLATE + " (en_US) paused by Meta: LOW_QUALITY",
                "auto-paused: Meta error 132015 (template is paused)");

        // the senders stop: no call of this campaign reaches the simulator for 3 s on end
        await("no more calls of the paused campaign").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                .until(() -> quietFor(campaign, calls(campaign), Duration.ofSeconds(3)));
        system.awaitWebhooksDelivered(Duration.ofMinutes(1));
        JsonNode truth = system.truth(campaign);
        long accepted = truth.path("recipientsAccepted").asLong();
        long refused = WacastSystem.rejected(truth, 132015);
        assertThat(accepted).as("accepted before the pause").isGreaterThanOrEqualTo(RECIPIENTS * 40L / 100).isLessThan(RECIPIENTS);
        await("stats equal to the simulator's truth while paused").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                .untilAsserted(() -> {
                    JsonNode stats = system.stats(campaign);
                    Map<String, Long> counters = WacastSystem.counters(stats);
                    assertThat(counters.get("sent")).isEqualTo(accepted);
                    assertThat(counters.get("delivered")).isEqualTo(truth.path("delivered").asLong());
                    assertThat(counters.get("read")).isEqualTo(truth.path("read").asLong());
                    assertThat(counters.get("responded")).isEqualTo(truth.path("replies").asLong());
                    assertThat(counters.get("failed")).isEqualTo(truth.path("failed").asLong() + refused);
                    assertThat(counters.get("queued")).as("nothing in flight").isZero();
                    assertThat(counters.get("pending")).as("the rest waits").isEqualTo(RECIPIENTS - accepted - refused);
                    assertThat(errorBreakdown(stats).getOrDefault(132015L, 0L)).isEqualTo(refused);
                });
        LOG.log(System.Logger.Level.INFO, "paused (" + paused.path("statusReason").asText() + ") " + toPaused.toMillis()
                + " ms after the simulator paused the template; "
                + accepted + " accepted before, " + refused + " refused with 132015 in between");

        assertThat(system.act(campaign, "resume").status()).as("resume while the template is paused").isEqualTo(422);
        system.configureSimulator("""
                {"signals":[{"field":"message_template_status_update","template":"%s","event":"APPROVED"}]}""".formatted(TEMPLATE));
        await("template approved again in the campaign-service").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .until(() -> {
                    for (JsonNode template : system.operatorGet("/templates?status=approved")) {
                        if (template.path("name").asText().equals(TEMPLATE)) {
                            return true;
                        }
                    }
                    return false;
                });
        assertThat(system.campaign(campaign).path("status").asText()).as("not resumed by itself").isEqualTo("paused");
        assertThat(system.act(campaign, "resume").status()).isEqualTo(200);

        system.awaitCompleted(campaign, Duration.ofMinutes(3));
        system.awaitWebhooksDelivered(Duration.ofMinutes(2));
        JsonNode end = system.truth(campaign);
        assertThat(end.path("duplicates")).as("recipients accepted twice").isEmpty();
        assertThat(end.path("recipientsAccepted").asLong()).isEqualTo(RECIPIENTS - refused);
        await("stats equal to the simulator's truth").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                .untilAsserted(() -> assertThat(WacastSystem.counters(system.stats(campaign)))
                        .isEqualTo(WacastSystem.expectedCounters(end, RECIPIENTS, 0, 0)));
        LOG.log(System.Logger.Level.INFO, system.summary(campaign, end));
    }

    /** True when the simulator's call count of the campaign stays {@code calls} for {@code quiet}. */
    private static boolean quietFor(long campaign, long calls, Duration quiet) {
        try {
            await().during(quiet).atMost(quiet.plusSeconds(2)).pollInterval(Duration.ofMillis(250))
                    .until(() -> calls(campaign) == calls);
            return true;
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            return false;
        }
    }

    /** Every call of the campaign the simulator answered, accepted or not. */
    private static long calls(long campaign) {
        JsonNode truth = system.truth(campaign);
        return truth.path("acceptedCalls").asLong() + truth.path("rejectedCalls").asLong();
    }

    private static Map<Long, Long> errorBreakdown(JsonNode stats) {
        Map<Long, Long> byCode = new TreeMap<>();
        stats.path("errorBreakdown").forEach(line -> byCode.put(line.path("code").asLong(), line.path("count").asLong()));
        return byCode;
    }
}
