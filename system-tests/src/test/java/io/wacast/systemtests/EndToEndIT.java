package io.wacast.systemtests;

import static io.wacast.systemtests.RecipientList.ALWAYS_FAILS;
import static io.wacast.systemtests.RecipientList.FIRST_ATTEMPT_FAILS;
import static io.wacast.systemtests.RecipientList.MARKETING_LIMIT;
import static io.wacast.systemtests.RecipientList.OPTED_OUT;
import static io.wacast.systemtests.RecipientList.UNDELIVERABLE;
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
 * The promise of the whole system, on the packaged services over real Kafka and MariaDB: a campaign
 * of 2,000 recipients, a few chosen to fail the ways Meta fails, goes from the operator API through
 * the dispatcher and two sender replicas to the simulator, comes back as signed webhooks (some
 * duplicated, some out of order, as Meta sends them) through the webhook-service, and completes
 * with every counter of its stats equal to what the simulator, standing in for Meta, really did —
 * and nobody got the message twice. The customers' carts (WhatsApp {@code order} messages, some
 * delivered twice) become exactly one order each in the catalog-service, priced from the catalog an
 * operator set up.
 */
class EndToEndIT {

    private static final System.Logger LOG = System.getLogger(EndToEndIT.class.getName());

    private static final int PER_FAULT = 10;
    private static final String[] FAULTS = {UNDELIVERABLE, MARKETING_LIMIT, OPTED_OUT, FIRST_ATTEMPT_FAILS, ALWAYS_FAILS};
    private static final int RECIPIENTS = 2_000;
    /** The campaign of the plan's test: 400 recipients at 20 a second, 20 s of sending. */
    private static final int PLANNED_RECIPIENTS = 400;
    private static final int PLANNED_PER_SECOND = 20;

    @RegisterExtension
    static final WacastSystem system = new WacastSystem("EndToEndIT");
    private static Shop shop;

    /** A marketing template with three quick-reply buttons. */
    private static final String QUICK_REPLY_TEMPLATE = "tour_quick_reply";
    private static final String[] BUTTONS = {"Interested", "Call me", "Not now"};
    /** The payloads the simulator's users press them with (Meta's button.payload, distinct from the label). */
    private static final String[] PAYLOADS = {"TOUR_INTERESTED", "TOUR_CALL_ME", "TOUR_NOT_NOW"};

    @BeforeAll
    static void startTheSystem() {
        system.start(2);
        system.registerQuickReplyTemplate(QUICK_REPLY_TEMPLATE, BUTTONS);
        shop = system.openShop("EndToEndIT tours");
        // more of Meta's delivery quirks than its defaults, so that the applier's dedupe and
        // forward-only rules are exercised hundreds of times in one run; and a cart from a fifth of
        // the readers instead of 3 % (replies and opt-outs stay as likely), a couple of hundred
        // orders, a dozen of them delivered twice. Of the replies, 60 % press a quick-reply button
        // (Interested : Call me : Not now = 5 : 2 : 1), each reporting a payload of its own besides its
        // label, as Meta does; the rest write; half the texts and STOPs quote nothing, so they are
        // credited by the reply window, not by context.
        system.configureSimulator("""
                {"chaos":{"duplicate":0.05,"reorder":0.1},"outcomes":{"order":0.2},
                 "replies":{"buttonPress":0.6,"unquoted":0.5,"buttons":[
                   {"text":"%s","payload":"%s","share":5},{"text":"%s","payload":"%s","share":2},
                   {"text":"%s","payload":"%s","share":1}]}}"""
                .formatted(BUTTONS[0], PAYLOADS[0], BUTTONS[1], PAYLOADS[1], BUTTONS[2], PAYLOADS[2]));
    }

    @AfterAll
    static void stopTheSystem() {
        system.close();
    }

    @Test
    void aCampaignWithInjectedErrorsCompletesWithEveryCounterEqualToTheSimulatorsTruthAndNoRecipientMessagedTwice() {
        long campaign = system.operatorPost("/campaigns", """
                {"name":"EndToEndIT %s","templateName":"%s","templateLanguage":"en_US","templateVariables":{"body.2":"₹45,000"}}"""
                .formatted(Instant.now(), QUICK_REPLY_TEMPLATE)).path("id").asLong();
        RecipientList recipients = RecipientList.of(campaign, RECIPIENTS - PER_FAULT * FAULTS.length, PER_FAULT, FAULTS);
        JsonNode upload = system.upload(campaign, recipients);
        assertThat(upload.path("accepted").asLong()).as("recipients stored: %s", upload).isEqualTo(RECIPIENTS);

        // Nothing else sends on the number while this campaign does: campaigns earlier tests left
        // sending in the shared database are cancelled, so the plan is this campaign's alone
        cancelLeftoversSending(campaign);
        JsonNode planned = system.operatorGet("/campaigns/" + campaign + "/plan").path("duration");
        assertThat(planned.path("otherSendingCampaigns").asLong()).as("other campaigns sending: %s", planned).isZero();
        Duration predicted = Duration.between(Instant.parse(planned.path("start").asText()),
                Instant.parse(planned.path("end").asText()));
        Instant sent = Instant.now();
        system.send(campaign);
        system.awaitCompleted(campaign, Duration.ofMinutes(3));
        Duration toCompleted = Duration.between(sent, Instant.now());
        system.awaitWebhooksDelivered(Duration.ofMinutes(2));
        JsonNode truth = system.truth(campaign);

        // the faults happened as planned, and the webhook path carried real traffic: else equal counters would prove little
        assertThat(truth.path("failedByCode").path("131026").asLong()).as("undeliverable by webhook").isEqualTo(PER_FAULT);
        assertThat(WacastSystem.rejected(truth, 131049)).as("marketing limit").isEqualTo(PER_FAULT);
        assertThat(WacastSystem.rejected(truth, 131050)).as("opted out at Meta").isEqualTo(PER_FAULT);
        assertThat(truth.path("recipientsAccepted").asLong()).as("accepted: all but 0049, 0050, 0000")
                .isEqualTo(RECIPIENTS - 3L * PER_FAULT);
        assertThat(truth.path("read").asLong()).as("read receipts").isPositive();
        assertThat(truth.path("replies").asLong()).as("replies").isPositive();
        assertThat(truth.path("orders").asLong()).as("order messages").isPositive();
        assertThat(truth.path("duplicates")).as("recipients accepted twice").isEmpty();

        await("stats equal to the simulator's truth").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                .untilAsserted(() -> assertThat(WacastSystem.counters(system.stats(campaign)))
                        .isEqualTo(WacastSystem.expectedCounters(truth, RECIPIENTS, 0, 0)));
        LOG.log(System.Logger.Level.INFO, "completed in " + toCompleted.toMillis() + " ms; " + system.summary(campaign, truth));
        JsonNode stats = system.stats(campaign);
        assertThat(stats.path("campaign").path("status").asText()).isEqualTo("completed");
        assertThat(errorBreakdown(stats)).isEqualTo(Map.of(
                131026L, truth.path("failedByCode").path("131026").asLong(),
                131049L, WacastSystem.rejected(truth, 131049),
                131050L, WacastSystem.rejected(truth, 131050),
                131000L, (long) recipients.withFault(ALWAYS_FAILS)));
        assertThat(system.simulatorStats().path("webhooksDropped").asLong()).as("webhooks dropped by the simulator").isZero();

        system.awaitOrdersConsumed(Duration.ofSeconds(60));
        shop.assertOrdersAnswer(campaign, system.messagedRecipients(campaign), truth.path("orders").asLong());
        LOG.log(System.Logger.Level.INFO, truth.path("orders") + " orders for as many order messages; catalog-service: "
                + system.catalogService().metrics("wacast_catalog_order").replace('\n', ' '));

        // Replies, buttons and orders credited to the campaign (issue 16 parts 5 and 6): button presses
        // and quoted replies by the wamid they quote, un-quoted texts and STOPs by the reply window (the
        // numbers are this campaign's alone), each once, by kind
        JsonNode engagement = truth.path("engagement");
        assertThat(longs(engagement.path("buttons")).keySet()).as("buttons pressed, by payload")
                .containsExactlyInAnyOrder(PAYLOADS);
        assertThat(engagement.path("unquoted").asLong()).as("replies quoting nothing").isPositive();
        assertThat(longs(stats.path("replies"))).as("replies by kind").isEqualTo(longs(engagement.path("replies")));
        assertThat(longs(stats.path("buttons"))).as("button presses by payload").isEqualTo(longs(engagement.path("buttons")));
        assertThat(longs(stats.path("revenue"))).as("revenue per currency, minor units")
                .isEqualTo(longs(engagement.path("revenueMinor"))).isNotEmpty();
        assertThat(stats.path("stats").path("orders").asLong()).as("orders credited").isEqualTo(truth.path("orders").asLong());
        await("every order credited in the catalog").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                .until(() -> shop.ordersOfCampaign(campaign) == truth.path("orders").asLong());
        LOG.log(System.Logger.Level.INFO, "credited: replies " + stats.path("replies") + ", buttons " + stats.path("buttons")
                + ", revenue " + stats.path("revenue") + ", conversion " + stats.path("metrics").path("conversionRate"));

        // A follow-up to failed takes exactly the retryable failures: the undeliverable (131026) and
        // the always-failing 131000 recipients; the 131049s are too recent, 131050 stands opted out
        JsonNode followUp = system.operatorPost("/campaigns/" + campaign + "/follow-ups", "{\"outcome\":\"failed\"}");
        assertThat(followUp.path("recipients").path("added").asLong()).as("follow-up to failed: %s", followUp)
                .isEqualTo(truth.path("failedByCode").path("131026").asLong() + recipients.withFault(ALWAYS_FAILS));
        assertThat(followUp.path("recipients").path("skipped").path("tooRecent").asLong()).as("131049 in the quiet period")
                .isEqualTo(WacastSystem.rejected(truth, 131049));

        assertPlannedDurationAgainstTheSending(planned, predicted, truth, toCompleted,
                planned.path("numberCapPerSecond").asInt());
    }

    /**
     * The plan's duration where both sides of the comparison hold on any machine: a campaign limited to
     * 20 messages a second, a tenth of the number's cap and a pace even a busy two-core machine keeps
     * (about 40 msg/s was the worst seen), so the measured sending is compared with the prediction from
     * above as well as from below — the campaign-wide test above can compare only from below on a
     * machine too busy to keep the number's whole cap. The campaign's rate is a schedule shared by the
     * senders with no burst allowance, so its sending takes the planned time, neither less nor more.
     */
    @Test
    void aCampaignBelowTheNumbersCapSendsForAsLongAsItsPlanPredicts() {
        long campaign = system.operatorPost("/campaigns", """
                {"name":"EndToEndIT plan %s","templateName":"%s","templateLanguage":"en_US","templateVariables":{"body.2":"₹45,000"},
                 "rateLimit":%d}""".formatted(Instant.now(), QUICK_REPLY_TEMPLATE, PLANNED_PER_SECOND * 60)).path("id").asLong();
        JsonNode upload = system.upload(campaign, RecipientList.of(campaign, PLANNED_RECIPIENTS, 0));
        assertThat(upload.path("accepted").asLong()).as("recipients stored: %s", upload).isEqualTo(PLANNED_RECIPIENTS);
        cancelLeftoversSending(campaign);
        JsonNode planned = system.operatorGet("/campaigns/" + campaign + "/plan").path("duration");
        assertThat(planned.path("otherSendingCampaigns").asLong()).as("other campaigns sending: %s", planned).isZero();
        assertThat(planned.path("perSecond").asDouble()).as("the campaign's own limit, below the number's cap")
                .isLessThan(planned.path("numberCapPerSecond").asDouble());
        Duration predicted = Duration.between(Instant.parse(planned.path("start").asText()),
                Instant.parse(planned.path("end").asText()));

        Instant sent = Instant.now();
        system.send(campaign);
        system.awaitCompleted(campaign, Duration.ofMinutes(3));
        Duration toCompleted = Duration.between(sent, Instant.now());
        JsonNode truth = system.truth(campaign);
        assertThat(truth.path("recipientsAccepted").asLong()).as("every recipient accepted").isEqualTo(PLANNED_RECIPIENTS);
        assertThat(truth.path("duplicates")).as("recipients accepted twice").isEmpty();

        assertPlannedDurationAgainstTheSending(planned, predicted, truth, toCompleted, PLANNED_PER_SECOND);
    }

    /**
     * The plan's predicted duration (its first to its last message leaving at {@code rate}: the number's
     * cap when nothing else sends on it, or the campaign's own limit) against the measured one: the
     * simulator's first to last accepted call of the campaign. Two sides:
     * <ul>
     * <li>never faster than planned: the cap and the campaign's schedule are enforced, so from send to
     * completed takes at least 90 % of the prediction, on any machine (a plan counting other campaigns,
     * or the wrong rate, fails here);</li>
     * <li>not slower than planned by more than 10 %, only when the comparison measures the plan and not the
     * machine: when the campaign really went out at the planned rate (its accepted calls per second over
     * its sending span at least 90 % of it). On a machine too busy to keep a number's whole cap (2 shared
     * cores: about 40 msg/s against a cap of 200) the senders, not the plan, set the pace; that bound
     * would then be a speed assertion, so it is logged, not asserted. The campaign held to 20 msg/s is
     * slow enough for every machine to keep, so there both sides are asserted.</li>
     * </ul>
     */
    private static void assertPlannedDurationAgainstTheSending(JsonNode planned, Duration predicted, JsonNode truth,
            Duration toCompleted, int rate) {
        assertThat(planned.path("perSecond").asDouble()).as("planned rate: %s", planned).isEqualTo(rate);
        long expectedMs = (planned.path("messages").asLong() - 1) * 1000 / rate;
        assertThat(predicted.toMillis()).as("predicted: messages at the planned rate").isBetween(expectedMs - 1000, expectedMs + 1000);
        Duration sending = Duration.between(Instant.parse(truth.at("/sending/firstAcceptedAt").asText()),
                Instant.parse(truth.at("/sending/lastAcceptedAt").asText()));
        double achieved = truth.path("acceptedCalls").asLong() / Math.max(0.001, sending.toMillis() / 1000.0);
        boolean atThePlannedRate = achieved >= 0.9 * rate;
        LOG.log(System.Logger.Level.INFO, "plan predicted " + predicted.toMillis() + " ms for " + planned.path("messages")
                + " messages at " + rate + " msg/s; measured: sending " + sending.toMillis() + " ms at the simulator ("
                + Math.round(achieved) + " accepted/s), " + toCompleted.toMillis() + " ms from send to completed; "
                + (atThePlannedRate ? "sent at the planned rate: compared" : "below the planned rate (busy machine): upper bound not compared"));
        assertThat(toCompleted.toMillis()).as("from send to completed, against the prediction less 10 %")
                .isGreaterThanOrEqualTo(predicted.toMillis() * 9 / 10);
        if (atThePlannedRate) {
            assertThat(sending.toMillis()).as("measured sending at the planned rate, against the prediction + 10 %")
                    .isLessThanOrEqualTo(predicted.toMillis() * 11 / 10);
        }
    }

    /**
     * Cancels every campaign but {@code own} that an earlier test left {@code sending} in the shared
     * database (the plan then asserts that none is left).
     */
    private static void cancelLeftoversSending(long own) {
        for (JsonNode leftover : system.operatorGet("/campaigns?status=sending&size=200").path("items")) {
            if (leftover.path("id").asLong() != own) {
                JsonHttp.Answer cancelled = system.act(leftover.path("id").asLong(), "cancel");
                LOG.log(System.Logger.Level.INFO, "leftover campaign " + leftover.path("id") + " sending: cancel → "
                        + cancelled.status());
            }
        }
    }

    private static Map<String, Long> longs(JsonNode object) {
        Map<String, Long> values = new TreeMap<>();
        object.fields().forEachRemaining(field -> values.put(field.getKey(), field.getValue().asLong()));
        return values;
    }

    private static Map<Long, Long> errorBreakdown(JsonNode stats) {
        Map<Long, Long> byCode = new TreeMap<>();
        stats.path("errorBreakdown").forEach(line -> byCode.put(line.path("code").asLong(), line.path("count").asLong()));
        return byCode;
    }
}
