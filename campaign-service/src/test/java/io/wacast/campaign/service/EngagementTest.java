package io.wacast.campaign.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import java.math.BigDecimal;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.wacast.campaign.Api;
import io.wacast.campaign.ApplierFeed;
import io.wacast.campaign.InFlightCampaign;
import io.wacast.campaign.KafkaProbe;
import io.wacast.campaign.KafkaTopicsTestResource;
import io.wacast.campaign.TestData;
import io.wacast.common.Topics;
import io.wacast.common.event.InboundEvent;
import io.wacast.common.event.InboundKind;
import io.wacast.common.event.JobId;
import io.wacast.common.event.OrderAttribution;
import io.wacast.common.event.OrderEvent;
import io.wacast.common.event.Outcome;
import io.wacast.common.event.OutcomeStatus;

/**
 * Replies, button presses and orders credited to campaigns (docs/DESIGN.md §4, "Replies, buttons and
 * orders"; §11 D18), against the real broker and database: counted by kind and payload exactly once
 * whatever Kafka redelivers, credited by the quoted wamid or, without one, to the latest campaign that
 * messaged the number within the window; answers that overtake the sender's outcome wait for it;
 * orders add revenue per currency and reach the catalog as an {@link OrderAttribution}; a follow-up to
 * {@code clicked} takes exactly the recipients who pressed the button.
 */
@QuarkusTest
@QuarkusTestResource(KafkaTopicsTestResource.class)
class EngagementTest {

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

        String wamid() {
            return "wamid.engagement." + campaign + "." + id;
        }

        String waId() {
            return phone.substring(1);
        }
    }

    @Test
    void quotedRepliesAndButtonPressesCountOnceByKindAndPayloadWhateverIsRedelivered() throws SQLException {
        List<Target> r = inFlightCampaign(6);
        long campaign = r.get(0).campaign();
        r.forEach(t -> publish.outcome(sent(t, Instant.now())));
        InboundEvent interested0 = button(r.get(0), "Interested", InboundKind.BUTTON, r.get(0).wamid());
        List<InboundEvent> inbound = List.of(
                interested0,
                button(r.get(1), "Interested", InboundKind.BUTTON, r.get(1).wamid()),
                button(r.get(2), "Stop promotions", InboundKind.OPT_OUT, r.get(2).wamid()),
                text(r.get(3), "Interested! Please share more details.", r.get(3).wamid()),
                inbound(r.get(4), InboundKind.REPLY, "image", "a photo", null, r.get(4).wamid()),
                inbound(r.get(5), InboundKind.BUTTON, "interactive", "More", "more-info", r.get(5).wamid()));
        inbound.forEach(publish::inbound);
        // Kafka redelivers a record; webhook-service publishes Meta's redelivery again (same event id).
        inbound.forEach(publish::inbound);
        // A copy of a message under another event id (a replayed or re-read webhook) is the same message.
        publish.inbound(new InboundEvent(UUID.randomUUID().toString(), 1, interested0.messageId(), NUMBER,
                interested0.from(), interested0.kind(), interested0.messageType(), interested0.text(),
                interested0.payload(), interested0.contextWamid(), null, interested0.metaTimestamp(), Instant.now()));

        await().atMost(PATIENCE).until(() -> ((Number) stat(campaign, "stats.replies")).intValue() == 6
                && ((Number) stat(campaign, "stats.responded")).intValue() == 5);
        Map<String, Object> stats = stats(campaign);
        assertThat(stats.get("replies")).isEqualTo(Map.of("button", 3, "text", 1, "media", 1, "interactive", 1));
        assertThat(stats.get("buttons")).isEqualTo(Map.of("Interested", 2, "Stop promotions", 1, "more-info", 1));
        assertThat(stat(campaign, "stats.optedOut")).isEqualTo(0);
        assertThat(count("SELECT COUNT(*) FROM campaign_replies WHERE campaign_id = " + campaign)).isEqualTo(6);
        // the reply text is personal data, not stored unless the operator turns storage on
        assertThat(count("SELECT COUNT(*) FROM campaign_replies WHERE reply_text IS NOT NULL AND campaign_id = " + campaign))
                .isZero();
        assertThat(count("SELECT COUNT(*) FROM opt_outs WHERE phone_e164 = '" + r.get(2).phone() + "'")).isEqualTo(1);
    }

    @Test
    void anUnquotedReplyIsCreditedToTheLatestCampaignThatMessagedTheNumberWithinTheWindow() throws SQLException {
        List<Target> older = inFlightCampaign(2);
        List<Target> newer = inFlightCampaign(1, older.get(0).phone());
        List<Target> stale = inFlightCampaign(1);
        publish.outcome(sent(older.get(0), Instant.now().minusSeconds(600)));
        publish.outcome(sent(older.get(1), Instant.now().minusSeconds(600)));
        publish.outcome(sent(newer.get(0), Instant.now().minusSeconds(60)));
        // messaged 73 hours ago: outside the 72 h reply window
        publish.outcome(sent(stale.get(0), Instant.now().minus(Duration.ofHours(73))));
        await().atMost(PATIENCE).until(() -> ((Number) stat(stale.get(0).campaign(), "stats.sent")).intValue() == 1
                && ((Number) stat(newer.get(0).campaign(), "stats.sent")).intValue() == 1
                && ((Number) stat(older.get(0).campaign(), "stats.sent")).intValue() == 2);

        publish.inbound(text(older.get(0), "is this still on?", null));
        publish.inbound(text(older.get(1), "yes please", null));
        publish.inbound(text(stale.get(0), "hello?", null));
        publish.inbound(new InboundEvent(UUID.randomUUID().toString(), 1, "wamid.in." + UUID.randomUUID(), NUMBER,
                TestData.phone().substring(1), InboundKind.REPLY, "text", "who is this", null, null, null, Instant.now(),
                Instant.now()));

        await().atMost(PATIENCE).until(() -> ((Number) stat(newer.get(0).campaign(), "stats.replies")).intValue() == 1
                && ((Number) stat(older.get(0).campaign(), "stats.replies")).intValue() == 1);
        assertThat(stat(newer.get(0).campaign(), "stats.responded")).isEqualTo(1);
        assertThat(stat(older.get(0).campaign(), "stats.responded")).isEqualTo(1);
        assertThat(stat(stale.get(0).campaign(), "stats.replies")).isEqualTo(0);
        assertThat(count("SELECT COUNT(*) FROM campaign_replies WHERE attributed_by = 'window' AND recipient_id IN ("
                + newer.get(0).id() + ", " + older.get(1).id() + ")")).isEqualTo(2);
    }

    @Test
    void aReplyThatOvertakesTheSendersOutcomeWaitsForItsWamidAndCountsOnce() {
        List<Target> r = inFlightCampaign(1);
        long campaign = r.get(0).campaign();
        InboundEvent early = button(r.get(0), "Interested", InboundKind.BUTTON, r.get(0).wamid());
        publish.inbound(early);
        await().atMost(PATIENCE).until(() -> count("SELECT COUNT(*) FROM awaiting_attribution WHERE context_wamid = '"
                + r.get(0).wamid() + "'") == 1);
        assertThat(stat(campaign, "stats.replies")).isEqualTo(0);

        publish.outcome(sent(r.get(0), Instant.now()));
        await().atMost(PATIENCE).until(() -> ((Number) stat(campaign, "stats.replies")).intValue() == 1);
        publish.inbound(early);
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(10))
                .until(() -> ((Number) stat(campaign, "stats.replies")).intValue() == 1);
        assertThat(stat(campaign, "stats.responded")).isEqualTo(1);
        assertThat(stats(campaign).get("buttons")).isEqualTo(Map.of("Interested", 1));
        assertThat(count("SELECT COUNT(*) FROM awaiting_attribution WHERE context_wamid = '" + r.get(0).wamid() + "'"))
                .isZero();
    }

    @Test
    void aReplyAheadOfItsSendInOneBatchIsCreditedInThatBatch() {
        List<Target> r = inFlightCampaign(1);
        long campaign = r.get(0).campaign();
        InboundEvent reply = button(r.get(0), "Interested", InboundKind.BUTTON, r.get(0).wamid());
        applier.apply(List.of(Evidence.of(reply, "IN"), Evidence.of(sent(r.get(0), Instant.now()))));

        assertThat(stat(campaign, "stats.replies")).isEqualTo(1);
        assertThat(stat(campaign, "stats.responded")).isEqualTo(1);
        assertThat(count("SELECT COUNT(*) FROM awaiting_attribution WHERE context_wamid = '" + r.get(0).wamid() + "'"))
                .isZero();
    }

    @Test
    void anUnquotedReplyThatOvertakesItsSendWaitsForTheNumbersFirstSendAndCountsOnce() {
        List<Target> r = inFlightCampaign(1);
        long campaign = r.get(0).campaign();
        InboundEvent early = text(r.get(0), "sounds good", null);
        publish.inbound(early);
        await().atMost(PATIENCE).until(() -> count("SELECT COUNT(*) FROM awaiting_attribution WHERE context_wamid IS NULL"
                + " AND phone_hash = SHA2('" + r.get(0).phone() + "', 256)") == 1);
        assertThat(stat(campaign, "stats.replies")).isEqualTo(0);
        // the reply's text is personal data: it does not wait in the table either
        assertThat(count("SELECT COUNT(*) FROM awaiting_attribution WHERE engagement LIKE '%sounds good%'")).isZero();

        publish.outcome(sent(r.get(0), Instant.now().minusSeconds(5)));
        await().atMost(PATIENCE).until(() -> ((Number) stat(campaign, "stats.replies")).intValue() == 1);
        publish.inbound(early);
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(10))
                .until(() -> ((Number) stat(campaign, "stats.replies")).intValue() == 1);
        assertThat(stat(campaign, "stats.responded")).isEqualTo(1);
        assertThat(count("SELECT COUNT(*) FROM campaign_replies WHERE attributed_by = 'window' AND recipient_id = "
                + r.get(0).id())).isEqualTo(1);
        assertThat(count("SELECT COUNT(*) FROM awaiting_attribution WHERE phone_hash = SHA2('" + r.get(0).phone() + "', 256)"))
                .isZero();
    }

    @Test
    void anUnquotedReplyAheadOfItsSendInOneBatchGoesToThatSendNotAnOlderCampaign() {
        List<Target> older = inFlightCampaign(1);
        List<Target> newer = inFlightCampaign(1, older.get(0).phone());
        publish.outcome(sent(older.get(0), Instant.now().minusSeconds(600)));
        await().atMost(PATIENCE).until(() -> ((Number) stat(older.get(0).campaign(), "stats.sent")).intValue() == 1);

        applier.apply(List.of(Evidence.of(text(newer.get(0), "yes", null), "IN"),
                Evidence.of(sent(newer.get(0), Instant.now().minusSeconds(5)))));

        assertThat(stat(newer.get(0).campaign(), "stats.replies")).isEqualTo(1);
        assertThat(stat(newer.get(0).campaign(), "stats.responded")).isEqualTo(1);
        assertThat(stat(older.get(0).campaign(), "stats.replies")).isEqualTo(0);
        assertThat(count("SELECT COUNT(*) FROM awaiting_attribution WHERE phone_hash = SHA2('" + older.get(0).phone()
                + "', 256)")).isZero();
    }

    @Test
    void anUnquotedReplyIsNotCreditedToASendThatCameAfterIt() {
        List<Target> r = inFlightCampaign(1);
        long campaign = r.get(0).campaign();
        publish.inbound(text(r.get(0), "who is this?", null));
        await().atMost(PATIENCE).until(() -> count("SELECT COUNT(*) FROM awaiting_attribution WHERE phone_hash = SHA2('"
                + r.get(0).phone() + "', 256)") == 1);

        publish.outcome(sent(r.get(0), Instant.now().plusSeconds(60)));
        await().atMost(PATIENCE).until(() -> ((Number) stat(campaign, "stats.sent")).intValue() == 1);
        assertThat(stat(campaign, "stats.replies")).isEqualTo(0);
        // it keeps waiting (a send applied out of order may still answer it) until the longer window passes
        assertThat(count("SELECT COUNT(*) FROM awaiting_attribution WHERE phone_hash = SHA2('" + r.get(0).phone()
                + "', 256)")).isEqualTo(1);
    }

    @Test
    void ordersAddRevenuePerCurrencyOnceAndReachTheCatalogAsAttributions() {
        List<Target> r = inFlightCampaign(4);
        long campaign = r.get(0).campaign();
        r.forEach(t -> publish.outcome(sent(t, Instant.now())));
        await().atMost(PATIENCE).until(() -> ((Number) stat(campaign, "stats.sent")).intValue() == 4);
        publish.status(io.wacast.common.event.StatusEvent.of(JobId.of(campaign, r.get(0).id()), r.get(0).wamid(), campaign,
                NUMBER, r.get(0).waId(), io.wacast.common.event.DeliveryStatus.DELIVERED, Instant.now(), null, null, null,
                null, null, Instant.now()));
        publish.status(io.wacast.common.event.StatusEvent.of(JobId.of(campaign, r.get(1).id()), r.get(1).wamid(), campaign,
                NUMBER, r.get(1).waId(), io.wacast.common.event.DeliveryStatus.DELIVERED, Instant.now(), null, null, null,
                null, null, Instant.now()));

        try (KafkaProbe attributions = new KafkaProbe(Topics.ATTRIBUTIONS, record -> record.value().contains(
                "\"campaignId\":" + campaign + ","))) {
            OrderEvent first = order(r.get(0), r.get(0).wamid(), item("45000.00", 2, "IDR"), item("1.005", 1, "USD"));
            OrderEvent second = order(r.get(0), null, item("10000.00", 1, "IDR"));
            OrderEvent third = order(r.get(1), r.get(1).wamid(), item("0.50", 3, "USD"));
            for (OrderEvent order : List.of(first, second, third, first, third)) {
                publish.send(Topics.ORDERS, "+" + order.from(), write(order), Topics.EVENT_TYPE_ORDER);
            }
            await().atMost(PATIENCE).until(() -> ((Number) stat(campaign, "stats.orders")).intValue() == 3);
            Map<String, Object> stats = stats(campaign);
            // 45000.00 × 2 + 10000.00 IDR (two digits in ISO 4217); 1.005 USD rounds half-even to 100 cents, + 150
            assertThat(stats.get("revenue")).isEqualTo(Map.of("IDR", 10_000_000, "USD", 250));
            assertThat(stat(campaign, "stats.converted")).isEqualTo(2);
            assertThat(stat(campaign, "metrics.conversionRate")).isEqualTo("100.00%");

            await().atMost(PATIENCE).until(() -> attributions.records().size() >= 3);
            List<OrderAttribution> published = attributions.records().stream().map(record -> read(record.value())).toList();
            assertThat(published).extracting(OrderAttribution::orderMessageId)
                    .containsExactlyInAnyOrder(first.messageId(), second.messageId(), third.messageId());
            assertThat(published).extracting(OrderAttribution::recipientId)
                    .containsExactlyInAnyOrder(r.get(0).id(), r.get(0).id(), r.get(1).id());
            assertThat(published).filteredOn(a -> a.orderMessageId().equals(second.messageId()))
                    .extracting(OrderAttribution::attributedBy).containsExactly(OrderAttribution.BY_WINDOW);
            assertThat(attributions.records()).allMatch(record -> record.key().startsWith("+"));
        }
    }

    @Test
    void aFollowUpToClickedTakesExactlyTheRecipientsWhoPressedThatButton() {
        List<Target> r = inFlightCampaign(5);
        long campaign = r.get(0).campaign();
        r.forEach(t -> publish.outcome(sent(t, Instant.now())));
        publish.inbound(button(r.get(0), "Interested", InboundKind.BUTTON, r.get(0).wamid()));
        publish.inbound(button(r.get(1), "Interested", InboundKind.BUTTON, r.get(1).wamid()));
        publish.inbound(button(r.get(1), "Interested", InboundKind.BUTTON, r.get(1).wamid()));
        publish.inbound(button(r.get(2), "Later", InboundKind.BUTTON, r.get(2).wamid()));
        publish.inbound(text(r.get(3), "Interested", r.get(3).wamid()));
        await().atMost(PATIENCE).until(() -> ((Number) stat(campaign, "stats.replies")).intValue() == 5);
        markCompleted(campaign);

        long followUp = ((Number) Api.admin().body(Map.of("outcome", "clicked", "payload", "Interested"))
                .post("/api/whatsapp/campaigns/" + campaign + "/follow-ups").then().statusCode(201)
                .body("recipients.added", equalTo(2))
                .body("campaign.followUpOf.payload", equalTo("Interested"))
                .extract().path("campaign.id")).longValue();
        assertThat(phones(followUp)).containsExactlyInAnyOrder(r.get(0).phone(), r.get(1).phone());
        Api.admin().get("/api/whatsapp/campaigns/" + campaign + "/follow-ups").then().statusCode(200)
                .body("[0].outcome", equalTo("clicked")).body("[0].payload", equalTo("Interested"));
        // a second follow-up to the same button finds them taken; another button is another outcome
        Api.admin().body(Map.of("outcome", "clicked", "payload", "Interested"))
                .post("/api/whatsapp/campaigns/" + campaign + "/follow-ups").then().statusCode(422)
                .body("errors.field", hasItem("outcome"));
        Api.admin().body(Map.of("outcome", "clicked", "payload", "Later"))
                .post("/api/whatsapp/campaigns/" + campaign + "/follow-ups").then().statusCode(201)
                .body("recipients.added", equalTo(1));
        long campaigns = count("SELECT COUNT(*) FROM campaigns");
        Api.admin().body(Map.of("outcome", "clicked", "payload", "Not a button"))
                .post("/api/whatsapp/campaigns/" + campaign + "/follow-ups").then().statusCode(422)
                .contentType("application/problem+json")
                .body("errors[0].field", equalTo("payload"))
                .body("detail", containsString("payloads pressed: "));
        assertThat(count("SELECT COUNT(*) FROM campaigns")).isEqualTo(campaigns);
    }

    // ---- events -------------------------------------------------------------------------------

    private static Outcome sent(Target t, Instant at) {
        return Outcome.of(JobId.of(t.campaign(), t.id()), t.campaign(), t.id(), OutcomeStatus.SENT, t.wamid(), "accepted",
                null, null, null, null, 1, at);
    }

    private static InboundEvent button(Target t, String payload, InboundKind kind, String context) {
        return inbound(t, kind, "button", payload, payload, context);
    }

    private static InboundEvent text(Target t, String body, String context) {
        return inbound(t, InboundKind.REPLY, "text", body, null, context);
    }

    private static InboundEvent inbound(Target t, InboundKind kind, String type, String text, String payload,
            String context) {
        return InboundEvent.of("wamid.in." + UUID.randomUUID(), NUMBER, t.waId(), kind, type, text, payload, context, null,
                Instant.now(), Instant.now());
    }

    private static OrderEvent.Item item(String price, int quantity, String currency) {
        return new OrderEvent.Item("sku-1", quantity, new BigDecimal(price), currency);
    }

    private static OrderEvent order(Target t, String context, OrderEvent.Item... items) {
        return OrderEvent.of("wamid.order." + UUID.randomUUID(), NUMBER, t.waId(), "catalog-1", List.of(items),
                "please", context, null, Instant.now(), Instant.now());
    }

    private String write(Object event) {
        try {
            return json.writeValueAsString(event);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private OrderAttribution read(String value) {
        try {
            return json.readValue(value, OrderAttribution.class);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    // ---- fixtures and reads ---------------------------------------------------------------------

    private List<Target> inFlightCampaign(int recipients, String... phones) {
        return InFlightCampaign.create(dataSource, "engagement", NUMBER, recipients, phones).stream()
                .map(r -> new Target(r.campaign(), r.id(), r.phone())).toList();
    }

    /** The engine leaves a completed campaign alone: no dispatch of the follow-up's source. */
    private void markCompleted(long campaign) {
        execute("UPDATE campaigns SET status = 'completed', completed_at = NOW(6) WHERE id = " + campaign);
    }

    private void execute(String... statements) {
        InFlightCampaign.execute(dataSource, statements);
    }

    private long count(String sql) {
        return InFlightCampaign.count(dataSource, sql);
    }

    private List<String> phones(long campaign) {
        List<String> phones = new ArrayList<>();
        try (var connection = dataSource.getConnection(); var statement = connection.createStatement();
                var result = statement.executeQuery("SELECT phone_e164 FROM recipients WHERE campaign_id = " + campaign)) {
            while (result.next()) {
                phones.add(result.getString(1));
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return phones;
    }

    private static Map<String, Object> stats(long campaign) {
        return Api.admin().get("/api/whatsapp/campaigns/" + campaign + "/stats").then().statusCode(200).extract()
                .jsonPath().getMap("$");
    }

    private static Object stat(long campaign, String path) {
        return Api.admin().get("/api/whatsapp/campaigns/" + campaign + "/stats").then().statusCode(200).extract()
                .path(path);
    }
}
