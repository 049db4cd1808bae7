package io.wacast.campaign.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.wacast.campaign.Api;
import io.wacast.campaign.ApplierFeed;
import io.wacast.campaign.InFlightCampaign;
import io.wacast.campaign.KafkaTopicsTestResource;
import io.wacast.campaign.TestData;
import io.wacast.campaign.domain.PhoneHash;
import io.wacast.campaign.domain.RateCard;
import io.wacast.campaign.domain.TemplateCategory;
import io.wacast.common.Topics;
import io.wacast.common.event.DeliveryStatus;
import io.wacast.common.event.InboundEvent;
import io.wacast.common.event.InboundKind;
import io.wacast.common.event.JobId;
import io.wacast.common.event.Outcome;
import io.wacast.common.event.OutcomeStatus;
import io.wacast.common.event.StatusEvent;

/**
 * Business-scoped user ids and Meta's charges (issue 17 §2, §6; docs/DESIGN.md §4), against the real
 * broker and database: an opt-out that names only a BSUID suppresses the number it maps to (also a
 * mapping that arrives later) and the BSUID itself; user_preferences with only a user_id; a BSUID
 * replaced by user_id_update; a reply from a BSUID credited like one from its number; recipients of
 * a later plan and send excluded; and charged messages counted once per message by category and country,
 * priced with the plan's rate card.
 */
@QuarkusTest
@QuarkusTestResource(KafkaTopicsTestResource.class)
class BsuidAndChargesTest {

    private static final Duration PATIENCE = Duration.ofSeconds(30);
    private static final String NUMBER = "100000000000001";

    @Inject
    AgroalDataSource dataSource;

    @Inject
    RateCards rateCards;

    @Inject
    ApplierFeed publish;

    record Target(long campaign, long id, String phone) {

        String wamid() {
            return "wamid.bsuid." + campaign + "." + id;
        }
    }

    @Test
    void aStopFromABsuidAloneSuppressesTheNumberItMapsToAndTheBsuid() {
        Target t = inFlightCampaign(1).get(0);
        String bsuid = bsuid("IN");
        publish.outcome(sent(t));
        publish.status(status(t, DeliveryStatus.DELIVERED, bsuid, null, UUID.randomUUID().toString()));
        await().atMost(PATIENCE).until(() -> count("SELECT COUNT(*) FROM user_ids WHERE bsuid = '" + bsuid
                + "' AND phone_e164 = '" + t.phone() + "'") == 1);
        assertThat(count("SELECT COUNT(*) FROM contacts WHERE phone_e164 = '" + t.phone() + "' AND bsuid = '" + bsuid + "'"))
                .isEqualTo(1);

        publish.inbound(stopFrom(bsuid, "text"), bsuid);

        await().atMost(PATIENCE).until(() -> suppressed(t.phone()) && bsuidSuppressed(bsuid));
        Api.admin().get("/api/whatsapp/contacts/" + t.phone()).then().statusCode(200)
                .body("consent.status", equalTo("opted_out"));
        assertThat(count("SELECT COUNT(*) FROM opt_outs WHERE phone_hash = '" + PhoneHash.of(t.phone())
                + "' AND source = 'reply'")).isEqualTo(1);
    }

    @Test
    void aStopFromAnUnmappedBsuidSuppressesTheNumberOnceAStatusMapsIt() {
        Target t = inFlightCampaign(1).get(0);
        String bsuid = bsuid("IN");
        publish.inbound(stopFrom(bsuid, "text"), bsuid);
        await().atMost(PATIENCE).until(() -> bsuidSuppressed(bsuid));
        assertThat(suppressed(t.phone())).isFalse();
        assertThat(count("SELECT COUNT(*) FROM consent_history WHERE phone_hash = '" + PhoneHash.of(bsuid)
                + "' AND status = 'opted_out' AND source = 'reply'")).as("the BSUID's opt-out is in the consent history")
                .isEqualTo(1);

        publish.outcome(sent(t));
        publish.status(status(t, DeliveryStatus.DELIVERED, bsuid, null, UUID.randomUUID().toString()));

        await().atMost(PATIENCE).until(() -> suppressed(t.phone()));
    }

    @Test
    void aUserPreferencesStopWithOnlyAUserIdSuppressesTheMappedNumberAsAPreference() {
        Target t = inFlightCampaign(1).get(0);
        String bsuid = bsuid("IN");
        publish.outcome(sent(t));
        publish.status(status(t, DeliveryStatus.SENT, bsuid, null, UUID.randomUUID().toString()));
        await().atMost(PATIENCE).until(() -> count("SELECT COUNT(*) FROM user_ids WHERE bsuid = '" + bsuid + "'") == 1);

        publish.inbound(new InboundEvent(UUID.randomUUID().toString(), InboundEvent.SCHEMA_VERSION, null, NUMBER, null,
                InboundKind.OPT_OUT, "user_preferences", "User requested to stop marketing messages", "stop", null, null,
                Instant.now(), Instant.now(), bsuid, null), bsuid);

        await().atMost(PATIENCE).until(() -> count("SELECT COUNT(*) FROM opt_outs WHERE phone_hash = '"
                + PhoneHash.of(t.phone()) + "' AND source = 'preference'") == 1 && bsuidSuppressed(bsuid));
    }

    /**
     * The operator's view of a BSUID-only opt-out (issue 17 §2): listed with its BSUID and no number,
     * filterable by kind, source and BSUID, lifted by its BSUID (written to the consent history like a
     * number's), after which it neither lists nor suppresses; bad filters are 400s naming the parameter.
     */
    @Test
    void aBsuidOnlyOptOutIsListedFilterableAndLiftedByItsBsuid() {
        String bsuid = bsuid("BR");
        publish.inbound(stopFrom(bsuid, "text"), bsuid);
        await().atMost(PATIENCE).until(() -> bsuidSuppressed(bsuid));

        Api.admin().queryParam("bsuid", bsuid).get("/api/whatsapp/opt-outs").then().statusCode(200)
                .body("total", equalTo(1))
                .body("items[0].bsuid", equalTo(bsuid))
                .body("items[0].phoneNumber", org.hamcrest.Matchers.nullValue())
                .body("items[0].source", equalTo("reply"));
        Api.admin().queryParam("kind", "bsuid").queryParam("source", "reply").queryParam("size", 1000)
                .get("/api/whatsapp/opt-outs").then().statusCode(200)
                .body("items.bsuid", org.hamcrest.Matchers.hasItem(bsuid))
                .body("items.phoneNumber", org.hamcrest.Matchers.everyItem(org.hamcrest.Matchers.nullValue()));
        Api.admin().queryParam("kind", "phone").queryParam("size", 1000).get("/api/whatsapp/opt-outs").then()
                .statusCode(200)
                .body("items.bsuid", org.hamcrest.Matchers.everyItem(org.hamcrest.Matchers.nullValue()));
        Api.admin().queryParam("bsuid", bsuid).queryParam("source", "operator").get("/api/whatsapp/opt-outs").then()
                .statusCode(200).body("total", equalTo(0));
        for (Map.Entry<String, String> bad : Map.of("kind", "number", "source", "stop", "bsuid", "15551234567").entrySet()) {
            Api.admin().queryParam(bad.getKey(), bad.getValue()).get("/api/whatsapp/opt-outs").then().statusCode(400)
                    .contentType("application/problem+json")
                    .body("errors.field", org.hamcrest.Matchers.hasItem(bad.getKey()));
        }

        Api.admin().delete("/api/whatsapp/opt-outs/" + bsuid).then().statusCode(204);
        Api.admin().delete("/api/whatsapp/opt-outs/" + bsuid).then().statusCode(404)
                .contentType("application/problem+json");
        assertThat(count("SELECT COUNT(*) FROM opt_outs WHERE bsuid = '" + bsuid + "' OR phone_hash = '"
                + PhoneHash.of(bsuid) + "'")).isZero();
        assertThat(count("SELECT COUNT(*) FROM consent_history WHERE phone_hash = '" + PhoneHash.of(bsuid)
                + "' AND status = 'opt_out_lifted' AND source = 'reply'")).isEqualTo(1);
        Api.admin().queryParam("bsuid", bsuid).get("/api/whatsapp/opt-outs").then().statusCode(200)
                .body("total", equalTo(0));
    }

    @Test
    void aBsuidReplacedByUserIdUpdateKeepsMappingToTheNumber() {
        Target t = inFlightCampaign(1).get(0);
        String before = bsuid("IN");
        String after = bsuid("IN");
        publish.outcome(sent(t));
        publish.status(status(t, DeliveryStatus.DELIVERED, before, null, UUID.randomUUID().toString()));
        await().atMost(PATIENCE).until(() -> count("SELECT COUNT(*) FROM user_ids WHERE bsuid = '" + before + "'") == 1);

        publish.inbound(new InboundEvent(UUID.randomUUID().toString(), InboundEvent.SCHEMA_VERSION, null, NUMBER, null,
                InboundKind.OTHER, InboundEvent.USER_ID_UPDATE, null, null, null, null, Instant.now(), Instant.now(),
                after, before), before);
        await().atMost(PATIENCE).until(() -> count("SELECT COUNT(*) FROM user_ids WHERE bsuid = '" + after
                + "' AND phone_e164 = '" + t.phone() + "'") == 1);
        assertThat(count("SELECT COUNT(*) FROM user_ids WHERE bsuid = '" + before + "' AND replaced_by = '" + after + "'"))
                .isEqualTo(1);
        assertThat(count("SELECT COUNT(*) FROM contacts WHERE phone_e164 = '" + t.phone() + "' AND bsuid = '" + after + "'"))
                .isEqualTo(1);

        publish.inbound(stopFrom(after, "text"), after);

        await().atMost(PATIENCE).until(() -> suppressed(t.phone()) && bsuidSuppressed(after));
    }

    /**
     * A user who opted out under a BSUID no number is known for, then got a new BSUID (user_id_update, or
     * Meta's user_changed_user_id message, read into the same event): the opt-out stays in force for the
     * new id, once however often the change is redelivered, and suppresses the number the new id is mapped
     * to later (issue 17, D27).
     */
    @Test
    void anOptOutOfAnUnmappedBsuidStaysInForceForItsNewIdAndReachesTheNumberMappedLater() {
        Target t = inFlightCampaign(1).get(0);
        String before = bsuid("IN");
        String after = bsuid("IN");
        publish.inbound(stopFrom(before, "text"), before);
        await().atMost(PATIENCE).until(() -> bsuidSuppressed(before));

        InboundEvent change = new InboundEvent(UUID.randomUUID().toString(), InboundEvent.SCHEMA_VERSION, null, NUMBER,
                null, InboundKind.OTHER, InboundEvent.USER_ID_UPDATE, null, null, null, null, Instant.now(), Instant.now(),
                after, before);
        publish.inbound(change, before);
        publish.inbound(change, before);
        await().atMost(PATIENCE).until(() -> bsuidSuppressed(after));
        assertThat(count("SELECT COUNT(*) FROM opt_outs WHERE bsuid = '" + after + "' AND source = 'reply'")).isEqualTo(1);
        assertThat(count("SELECT COUNT(*) FROM user_ids WHERE bsuid = '" + before + "' AND replaced_by = '" + after + "'"))
                .isEqualTo(1);
        assertThat(suppressed(t.phone())).isFalse();

        publish.outcome(sent(t));
        publish.status(status(t, DeliveryStatus.DELIVERED, after, null, UUID.randomUUID().toString()));
        await().atMost(PATIENCE).until(() -> suppressed(t.phone()));
    }

    @Test
    void aReplyFromABsuidIsCreditedLikeOneFromItsNumber() {
        Target t = inFlightCampaign(1).get(0);
        String bsuid = bsuid("IN");
        publish.outcome(sent(t));
        publish.status(status(t, DeliveryStatus.READ, bsuid, null, UUID.randomUUID().toString()));
        await().atMost(PATIENCE).until(() -> count("SELECT COUNT(*) FROM user_ids WHERE bsuid = '" + bsuid + "'") == 1);

        publish.inbound(new InboundEvent(UUID.randomUUID().toString(), InboundEvent.SCHEMA_VERSION, "wamid.in." + UUID.randomUUID(),
                NUMBER, null, InboundKind.REPLY, "text", "Is Bali still on?", null, null, null, Instant.now(), Instant.now(),
                bsuid, null), bsuid);

        await().atMost(PATIENCE).until(() -> ((Number) stat(t.campaign(), "stats.replies")).intValue() == 1
                && ((Number) stat(t.campaign(), "stats.responded")).intValue() == 1);
    }

    @Test
    void recipientsOfANumberThatOptedOutByBsuidAreExcludedAtTheNextPlanAndSend() {
        String phone = TestData.phone();
        String bsuid = bsuid("IN");
        long campaign = TestData.draft();
        Api.admin().body(List.of(Map.of("phoneNumber", phone, "variables", Map.of("body.1", "A")),
                Map.of("phoneNumber", TestData.phone(), "variables", Map.of("body.1", "B"))))
                .post("/api/whatsapp/campaigns/" + campaign + "/recipients").then().statusCode(200);
        // Meta maps the number to its BSUID on a status of some earlier message (no job of ours)
        publish.status(new StatusEvent(UUID.randomUUID().toString(), StatusEvent.SCHEMA_VERSION, null,
                "wamid.elsewhere." + UUID.randomUUID(), null, NUMBER, phone.substring(1), DeliveryStatus.DELIVERED,
                Instant.now(), null, null, null, null, null, Instant.now(), bsuid));
        publish.inbound(stopFrom(bsuid, "button"), bsuid);
        await().atMost(PATIENCE).until(() -> suppressed(phone));

        Api.admin().get("/api/whatsapp/campaigns/" + campaign + "/plan").then().statusCode(200)
                .body("recipients.excluded.optedOut", equalTo(1))
                .body("recipients.willSend", equalTo(1));
        Api.admin().post("/api/whatsapp/campaigns/" + campaign + "/send").then().statusCode(200);
        await().atMost(PATIENCE).until(() -> count("SELECT COUNT(*) FROM recipients WHERE campaign_id = " + campaign
                + " AND phone_e164 = '" + phone + "' AND status = 'opted_out'") == 1);
    }

    @Test
    void chargedMessagesCountOncePerMessageUnderRedeliveryByCategoryAndCountryPricedByTheRateCard() {
        String br1 = brazil();
        String br2 = brazil();
        List<Target> r = inFlightCampaign(5, TestData.phone(), TestData.phone(), br1, br2, TestData.phone());
        long campaign = r.get(0).campaign();
        r.forEach(t -> publish.outcome(sent(t)));
        StatusEvent.Pricing marketing = new StatusEvent.Pricing(true, "PMP", "marketing", "regular");
        StatusEvent.Pricing utility = new StatusEvent.Pricing(true, "PMP", "utility", "regular");
        StatusEvent.Pricing free = new StatusEvent.Pricing(false, "PMP", "service", "free_customer_service");
        List<StatusEvent> statuses = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            Target t = r.get(i);
            StatusEvent.Pricing pricing = i == 3 ? utility : marketing;
            statuses.add(status(t, DeliveryStatus.SENT, null, pricing, UUID.randomUUID().toString()));
            statuses.add(status(t, DeliveryStatus.DELIVERED, null, pricing, UUID.randomUUID().toString()));
        }
        statuses.add(status(r.get(4), DeliveryStatus.DELIVERED, null, free, UUID.randomUUID().toString()));
        statuses.forEach(publish::status);
        statuses.forEach(publish::status); // Kafka redelivers every record (same event ids)
        // Meta redelivers a status: webhook-service publishes it again under the same id; a replay under another
        publish.status(status(r.get(0), DeliveryStatus.DELIVERED, null, marketing, UUID.randomUUID().toString()));

        await().atMost(PATIENCE).until(() -> count("SELECT COUNT(*) FROM recipients WHERE campaign_id = " + campaign
                + " AND status = 'delivered'") == 5);
        await().atMost(PATIENCE).until(() -> ((Number) stat(campaign, "charges.messages")).intValue() == 4);
        Map<String, Object> charges = Api.admin().get("/api/whatsapp/campaigns/" + campaign + "/stats").then()
                .statusCode(200).extract().jsonPath().getMap("charges");
        assertThat(charges.get("byCategory")).isEqualTo(Map.of("marketing", 3, "utility", 1));
        assertThat(charges.get("byCountry")).isEqualTo(Map.of("IN", 2, "BR", 2));
        assertThat(count("SELECT COUNT(*) FROM campaign_charged_messages WHERE campaign_id = " + campaign)).isEqualTo(4);

        RateCard card = rateCards.card();
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        RateCard.Price inMarketing = card.price("IN", TemplateCategory.MARKETING, today).orElseThrow();
        RateCard.Price brMarketing = card.price("BR", TemplateCategory.MARKETING, today).orElseThrow();
        RateCard.Price brUtility = card.price("BR", TemplateCategory.UTILITY, today).orElseThrow();
        Map<String, BigDecimal> expected = new java.util.TreeMap<>();
        expected.merge(inMarketing.currency(), inMarketing.unit().multiply(BigDecimal.valueOf(2)), BigDecimal::add);
        expected.merge(brMarketing.currency(), brMarketing.unit(), BigDecimal::add);
        expected.merge(brUtility.currency(), brUtility.unit(), BigDecimal::add);
        var view = Api.admin().get("/api/whatsapp/campaigns/" + campaign + "/stats/charges").then().statusCode(200)
                .extract().jsonPath();
        for (Map.Entry<String, BigDecimal> total : expected.entrySet()) {
            assertThat(new BigDecimal(view.getString("charges.cost.find { it.currency == '" + total.getKey() + "' }.amount")))
                    .isEqualByComparingTo(total.getValue());
        }
        // the plan's estimate for the same campaign: all five recipients at the template's category (marketing)
        assertThat(view.getInt("estimate.messages")).isEqualTo(5);
        assertThat(view.getString("estimate.category")).isEqualTo("marketing");
        assertThat(view.getMap("estimate.byCountry")).isEqualTo(Map.of("IN", 3, "BR", 2));
    }

    // --- helpers ---

    private static String bsuid(String country) {
        return country + "." + Math.abs(ThreadLocalRandom.current().nextLong()) + ThreadLocalRandom.current().nextInt(1000);
    }

    private static String brazil() {
        return "+55119" + String.format("%08d", ThreadLocalRandom.current().nextInt(100_000_000));
    }

    private static Outcome sent(Target t) {
        return Outcome.of(JobId.of(t.campaign(), t.id()), t.campaign(), t.id(), OutcomeStatus.SENT, t.wamid(), "accepted",
                null, null, null, null, 1, Instant.now());
    }

    private static StatusEvent status(Target t, DeliveryStatus status, String bsuid, StatusEvent.Pricing pricing,
            String eventId) {
        return new StatusEvent(eventId, StatusEvent.SCHEMA_VERSION, JobId.of(t.campaign(), t.id()), t.wamid(), t.campaign(),
                NUMBER, t.phone().substring(1), status, Instant.now(), null, null, null, pricing, null, Instant.now(), bsuid);
    }

    private static InboundEvent stopFrom(String bsuid, String type) {
        return new InboundEvent(UUID.randomUUID().toString(), InboundEvent.SCHEMA_VERSION, "wamid.in." + UUID.randomUUID(),
                NUMBER, null, InboundKind.OPT_OUT, type, "STOP", null, null, null, Instant.now(), Instant.now(), bsuid, null);
    }

    private boolean suppressed(String phone) {
        return count("SELECT COUNT(*) FROM opt_outs WHERE phone_hash = '" + PhoneHash.of(phone) + "'") == 1;
    }

    private boolean bsuidSuppressed(String bsuid) {
        return count("SELECT COUNT(*) FROM opt_outs WHERE bsuid = '" + bsuid + "' AND phone_e164 IS NULL") == 1;
    }

    private List<Target> inFlightCampaign(int recipients, String... phones) {
        return InFlightCampaign.create(dataSource, "bsuid", NUMBER, recipients, phones).stream()
                .map(r -> new Target(r.campaign(), r.id(), r.phone())).toList();
    }

    private void execute(String... statements) {
        InFlightCampaign.execute(dataSource, statements);
    }

    private long count(String sql) {
        return InFlightCampaign.count(dataSource, sql);
    }

    private static Object stat(long campaign, String path) {
        return Api.admin().get("/api/whatsapp/campaigns/" + campaign + "/stats").then().statusCode(200).extract()
                .path(path);
    }
}
