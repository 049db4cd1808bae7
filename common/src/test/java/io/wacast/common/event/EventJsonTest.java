package io.wacast.common.event;

import static io.wacast.common.QuarkusJson.MAPPER;
import static io.wacast.common.QuarkusJson.STRICT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wacast.common.event.CampaignControl.SendWindow;
import io.wacast.common.event.OrderEvent.Item;
import io.wacast.common.event.StatusEvent.Pricing;
import io.wacast.common.meta.MetaErrorPolicy.Action;
import io.wacast.common.status.CampaignStatus;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Pins the JSON wire format of every event, as Quarkus's object mapper reads and writes it. */
class EventJsonTest {

    private static final Instant AT = Instant.parse("2025-06-01T10:15:30Z");
    private static final Instant LATER = Instant.parse("2025-06-01T10:15:31.250Z");
    /** Keeps "45000.00" as written; Jackson's trees otherwise turn it into a double or strip its zeros. */
    private static final ObjectMapper EXACT_TREES = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
            .build();

    static Stream<Object> events() {
        Map<String, String> variables = new LinkedHashMap<>();
        variables.put("1", "Bali");
        variables.put("2", "₹45,000");
        return Stream.of(
                SendJob.of("job-1", 42, 7, "106540352242922", "+919978783238", "tour_package_marketing", "en_US",
                        variables, 1, null, AT),
                SendJob.of("job-1", 42, 7, "106540352242922", "+919978783238", "tour_package_marketing", "en_US",
                        Map.of(), 2, LATER, AT),
                Outcome.of("job-1", 42, 7, OutcomeStatus.SENT, "wamid.HBgM", "accepted", null, null, null, null, 1, AT),
                Outcome.of("job-1", 42, 7, OutcomeStatus.RETRY_SCHEDULED, null, null, 131056,
                        "pair rate limit hit", Action.RETRY_RECIPIENT_LATER, LATER, 1, AT),
                StatusEvent.of("job-1", "wamid.HBgM", 42L, "106540352242922", "919978783238", DeliveryStatus.DELIVERED,
                        AT, null, null, null, new Pricing(true, "PMP", "marketing"), "conv-1", LATER),
                StatusEvent.of(null, "wamid.HBgN", null, "106540352242922", "919978783238", DeliveryStatus.FAILED,
                        AT, 131026, "Message undeliverable", "Message Undeliverable.", null, null, LATER),
                InboundEvent.of("wamid.IN1", "106540352242922", "919978783238", InboundKind.BUTTON, "button",
                        "Book now", "BOOK_BALI", "wamid.HBgM", 42L, AT, LATER),
                InboundEvent.of("wamid.IN2", "106540352242922", "919978783238", InboundKind.OPT_OUT, "text",
                        "STOP", null, null, null, AT, LATER),
                OrderEvent.of("wamid.ORD", "106540352242922", "919978783238", "catalog-9",
                        List.of(new Item("sku-bali-5n", 2, new BigDecimal("45000.00"), "INR"),
                                new Item("sku-visa", 1, new BigDecimal("2500.5"), "INR")),
                        "for two", "wamid.HBgM", 42L, AT, LATER),
                CampaignControl.of(42, "106540352242922", CampaignStatus.SENDING, 600,
                        new SendWindow(9, 21, "Asia/Kolkata"), 5, AT),
                CampaignControl.of(43, "106540352242922", CampaignStatus.PAUSED, 0, null, 1, AT),
                new StatusEvent(UUID.randomUUID().toString(), StatusEvent.SCHEMA_VERSION, "job-2", "wamid.HBgO", 42L,
                        "106540352242922", null, DeliveryStatus.READ, AT, null, null, null,
                        new Pricing(null, "PMP", "utility", "regular"), null, LATER, "US.13491208655302741918"));
    }

    @ParameterizedTest
    @MethodSource("events")
    void roundTripsToAnEqualEvent(Object event) throws Exception {
        String json = MAPPER.writeValueAsString(event);

        assertThat(MAPPER.readValue(json, event.getClass())).isEqualTo(event);
    }

    @ParameterizedTest
    @MethodSource("events")
    void ignoresFieldsAddedByNewerProducers(Object event) throws Exception {
        ObjectNode json = (ObjectNode) EXACT_TREES.readTree(MAPPER.writeValueAsString(event));
        json.properties().stream()
                .filter(property -> !property.getKey().equals("variables"))
                .forEach(property -> addUnknownField(property.getValue()));
        json.put("addedInVersion2", "whatever");
        json.putObject("nestedAddition").put("x", 1);

        assertThat(STRICT.readValue(json.toString(), event.getClass())).isEqualTo(event);
    }

    @ParameterizedTest
    @MethodSource("events")
    void carriesAUniqueEventIdAndTheCurrentSchemaVersion(Object event) {
        JsonNode json = MAPPER.valueToTree(event);

        assertThat(UUID.fromString(json.get("eventId").asText())).isNotNull();
        // SendJob (templateCategory, viaMessages) and the webhook events (business-scoped user ids) are at 2
        boolean two = event instanceof SendJob || event instanceof StatusEvent || event instanceof InboundEvent
                || event instanceof OrderEvent;
        assertThat(json.get("schemaVersion").asInt()).isEqualTo(two ? 2 : 1);
        assertThat(events().map(e -> MAPPER.valueToTree(e).get("eventId")).distinct()).hasSize(12);
    }

    @Test
    void writesEnumsInLowercase() {
        Outcome outcome = Outcome.of("job-1", 42, 7, OutcomeStatus.RETRY_SCHEDULED, null, null, 131056, "pair rate",
                Action.RETRY_RECIPIENT_LATER, LATER, 1, AT);
        InboundEvent optOut = InboundEvent.of("wamid.IN2", "1065", "9199", InboundKind.OPT_OUT, "text", "STOP", null,
                null, null, AT, LATER);

        JsonNode outcomeJson = MAPPER.valueToTree(outcome);
        assertThat(outcomeJson.get("status").asText()).isEqualTo("retry_scheduled");
        assertThat(outcomeJson.get("action").asText()).isEqualTo("retry_recipient_later");
        assertThat(MAPPER.valueToTree(optOut).get("kind").asText()).isEqualTo("opt_out");
        assertThat(MAPPER.valueToTree(events().toList().get(4)).get("status").asText()).isEqualTo("delivered");
        assertThat(MAPPER.valueToTree(events().toList().get(9)).get("status").asText()).isEqualTo("sending");
    }

    @Test
    void writesInstantsAsIsoStrings() {
        JsonNode json = MAPPER.valueToTree(events().toList().get(1));

        assertThat(json.get("notBefore").asText()).isEqualTo("2025-06-01T10:15:31.250Z");
        assertThat(json.get("createdAt").asText()).isEqualTo("2025-06-01T10:15:30Z");
    }

    @Test
    void rejectsAnUnknownEnumValueNamingTheExpectedOnes() {
        String json = """
                {"eventId": "5d0c1f3e-0000-4000-8000-000000000001", "schemaVersion": 1, "status": "exploded"}
                """;

        assertThatThrownBy(() -> MAPPER.readValue(json, Outcome.class))
                .hasMessageContaining("unknown OutcomeStatus 'exploded'")
                .hasMessageContaining("retry_scheduled");
    }

    @Test
    void rejectsAnEventWithoutEventId() {
        assertThatThrownBy(() -> MAPPER.readValue("{\"schemaVersion\": 1, \"jobId\": \"job-1\"}", SendJob.class))
                .hasMessageContaining("eventId");
    }

    @Test
    void readsASendJobAsAnotherLanguageWouldWriteIt() throws Exception {
        String json = """
                {
                  "eventId": "5d0c1f3e-7b7a-4c3e-9a51-0d2a5f0c1a01",
                  "schemaVersion": 1,
                  "jobId": "c42-r7",
                  "campaignId": 42,
                  "recipientId": 7,
                  "phoneNumberId": "106540352242922",
                  "to": "+919978783238",
                  "templateName": "tour_package_marketing",
                  "templateLanguage": "en_US",
                  "variables": {"1": "Bali", "2": "₹45,000"},
                  "attempt": 2,
                  "notBefore": "2025-06-01T10:16:00Z",
                  "createdAt": "2025-06-01T10:15:30.5Z"
                }
                """;

        SendJob job = MAPPER.readValue(json, SendJob.class);

        assertThat(job).isEqualTo(new SendJob("5d0c1f3e-7b7a-4c3e-9a51-0d2a5f0c1a01", 1, "c42-r7", 42, 7,
                "106540352242922", "+919978783238", "tour_package_marketing", "en_US",
                Map.of("1", "Bali", "2", "₹45,000"), 2, Instant.parse("2025-06-01T10:16:00Z"),
                Instant.parse("2025-06-01T10:15:30.500Z"), false, null, false));
        assertThat(job.variables().keySet()).containsExactly("1", "2");
        assertThat(job.marketing()).as("a version 1 job names no category: it goes to /messages").isFalse();
    }

    @Test
    void readsAVersionTwoSendJobWithItsTemplateCategoryAndRoute() throws Exception {
        String json = """
                {"eventId": "e-2", "schemaVersion": 2, "jobId": "wc:42:7", "campaignId": 42, "recipientId": 7,
                 "phoneNumberId": "106540352242922", "to": "+919978783238", "templateName": "promo",
                 "templateLanguage": "en_US", "variables": {}, "attempt": 2, "templateCategory": "MARKETING",
                 "viaMessages": true, "someFutureField": 1}
                """;

        SendJob job = MAPPER.readValue(json, SendJob.class);

        assertThat(job.templateCategory()).isEqualTo("MARKETING");
        assertThat(job.marketing()).isTrue();
        assertThat(job.viaMessages()).isTrue();
        SendJob again = MAPPER.readValue(MAPPER.writeValueAsString(job), SendJob.class);
        assertThat(again).isEqualTo(job);
        assertThat(MAPPER.readTree(MAPPER.writeValueAsString(job)).has("marketing"))
                .as("only the record's fields are written").isFalse();
    }

    @Test
    void readsAnOutcomeAsAnotherLanguageWouldWriteIt() throws Exception {
        String json = """
                {
                  "eventId": "5d0c1f3e-7b7a-4c3e-9a51-0d2a5f0c1a02",
                  "schemaVersion": 1,
                  "jobId": "c42-r7",
                  "campaignId": 42,
                  "recipientId": 7,
                  "status": "failed",
                  "wamid": null,
                  "messageStatus": null,
                  "errorCode": 131026,
                  "errorMessage": "Message undeliverable",
                  "action": "fail_with_one_retry",
                  "retryAt": null,
                  "attempt": 2,
                  "occurredAt": "2025-06-01T10:15:30Z"
                }
                """;

        assertThat(MAPPER.readValue(json, Outcome.class)).isEqualTo(new Outcome(
                "5d0c1f3e-7b7a-4c3e-9a51-0d2a5f0c1a02", 1, "c42-r7", 42, 7, OutcomeStatus.FAILED, null, null, 131026,
                "Message undeliverable", Action.FAIL_WITH_ONE_RETRY, null, 2, AT));
    }

    @Test
    void readsAStatusEventAsAnotherLanguageWouldWriteIt() throws Exception {
        String json = """
                {
                  "eventId": "5d0c1f3e-7b7a-4c3e-9a51-0d2a5f0c1a03",
                  "schemaVersion": 1,
                  "jobId": "c42-r7",
                  "wamid": "wamid.HBgMOTE5OTc4NzgzMjM4",
                  "campaignId": 42,
                  "phoneNumberId": "106540352242922",
                  "recipient": "919978783238",
                  "status": "read",
                  "metaTimestamp": "2025-06-01T10:15:30Z",
                  "pricing": {"billable": true, "pricingModel": "PMP", "category": "marketing"},
                  "conversationId": "c0nv",
                  "receivedAt": "2025-06-01T10:15:31.250Z"
                }
                """;

        assertThat(MAPPER.readValue(json, StatusEvent.class)).isEqualTo(new StatusEvent(
                "5d0c1f3e-7b7a-4c3e-9a51-0d2a5f0c1a03", 1, "c42-r7", "wamid.HBgMOTE5OTc4NzgzMjM4", 42L,
                "106540352242922", "919978783238", DeliveryStatus.READ, AT, null, null, null,
                new Pricing(true, "PMP", "marketing"), "c0nv", LATER));
    }

    @Test
    void readsAnInboundEventAsAnotherLanguageWouldWriteIt() throws Exception {
        String json = """
                {
                  "eventId": "5d0c1f3e-7b7a-4c3e-9a51-0d2a5f0c1a04",
                  "schemaVersion": 1,
                  "messageId": "wamid.INBOUND",
                  "phoneNumberId": "106540352242922",
                  "from": "919978783238",
                  "kind": "button",
                  "messageType": "button",
                  "text": "Book now",
                  "payload": "BOOK_BALI",
                  "contextWamid": "wamid.HBgM",
                  "campaignId": null,
                  "metaTimestamp": "2025-06-01T10:15:30Z",
                  "receivedAt": "2025-06-01T10:15:31.250Z"
                }
                """;

        assertThat(MAPPER.readValue(json, InboundEvent.class)).isEqualTo(new InboundEvent(
                "5d0c1f3e-7b7a-4c3e-9a51-0d2a5f0c1a04", 1, "wamid.INBOUND", "106540352242922", "919978783238",
                InboundKind.BUTTON, "button", "Book now", "BOOK_BALI", "wamid.HBgM", null, AT, LATER));
    }

    @Test
    void readsAnOrderEventAsAnotherLanguageWouldWriteIt() throws Exception {
        String json = """
                {
                  "eventId": "5d0c1f3e-7b7a-4c3e-9a51-0d2a5f0c1a05",
                  "schemaVersion": 1,
                  "messageId": "wamid.ORDER",
                  "phoneNumberId": "106540352242922",
                  "from": "919978783238",
                  "catalogId": "catalog-9",
                  "items": [
                    {"productRetailerId": "sku-bali-5n", "quantity": 2, "itemPrice": 45000.00, "currency": "INR"},
                    {"productRetailerId": "sku-visa", "quantity": 1, "itemPrice": 2500.5, "currency": "INR"}
                  ],
                  "text": "for two",
                  "contextWamid": null,
                  "campaignId": 42,
                  "metaTimestamp": "2025-06-01T10:15:30Z",
                  "receivedAt": "2025-06-01T10:15:31.250Z"
                }
                """;

        OrderEvent order = MAPPER.readValue(json, OrderEvent.class);

        assertThat(order).isEqualTo(new OrderEvent("5d0c1f3e-7b7a-4c3e-9a51-0d2a5f0c1a05", 1, "wamid.ORDER",
                "106540352242922", "919978783238", "catalog-9",
                List.of(new Item("sku-bali-5n", 2, new BigDecimal("45000.00"), "INR"),
                        new Item("sku-visa", 1, new BigDecimal("2500.5"), "INR")),
                "for two", null, 42L, AT, LATER));
    }

    @Test
    void readsACampaignControlAsAnotherLanguageWouldWriteIt() throws Exception {
        String json = """
                {
                  "eventId": "5d0c1f3e-7b7a-4c3e-9a51-0d2a5f0c1a06",
                  "schemaVersion": 1,
                  "campaignId": 42,
                  "phoneNumberId": "106540352242922",
                  "status": "paused",
                  "rateLimitPerMinute": 600,
                  "sendWindow": {"startHour": 22, "endHour": 6, "timeZone": "Asia/Kolkata"},
                  "version": 17,
                  "updatedAt": "2025-06-01T10:15:30Z"
                }
                """;

        assertThat(MAPPER.readValue(json, CampaignControl.class)).isEqualTo(new CampaignControl(
                "5d0c1f3e-7b7a-4c3e-9a51-0d2a5f0c1a06", 1, 42, "106540352242922", CampaignStatus.PAUSED, 600,
                new SendWindow(22, 6, "Asia/Kolkata"), 17, AT));
    }

    @Test
    void readsAPayloadOfANewerSchemaVersion() throws Exception {
        String json = """
                {"eventId": "5d0c1f3e-7b7a-4c3e-9a51-0d2a5f0c1a07", "schemaVersion": 2, "messageId": "wamid.X",
                 "kind": "reply", "reactionEmoji": "👍", "campaignId": 42}
                """;

        InboundEvent event = STRICT.readValue(json, InboundEvent.class);

        assertThat(event.schemaVersion()).isEqualTo(2);
        assertThat(event.kind()).isEqualTo(InboundKind.REPLY);
        assertThat(event.campaignId()).isEqualTo(42L);
    }

    @Test
    void readsVersionTwoWebhookEventsWithTheUsersBusinessScopedIdAndPricingType() throws Exception {
        StatusEvent status = STRICT.readValue("""
                {"eventId": "e-s2", "schemaVersion": 2, "wamid": "wamid.S", "status": "delivered",
                 "recipient": null, "recipientUserId": "US.13491208655302741918",
                 "pricing": {"billable": true, "pricingModel": "PMP", "category": "marketing", "type": "regular"}}
                """, StatusEvent.class);
        InboundEvent inbound = STRICT.readValue("""
                {"eventId": "e-i2", "schemaVersion": 2, "messageId": "wamid.I", "kind": "opt_out", "from": null,
                 "fromUserId": "US.13491208655302741918", "messageType": "text", "text": "STOP"}
                """, InboundEvent.class);
        OrderEvent order = STRICT.readValue("""
                {"eventId": "e-o2", "schemaVersion": 2, "messageId": "wamid.O", "fromUserId": "BR.1502576394655843"}
                """, OrderEvent.class);

        assertThat(status.recipientUserId()).isEqualTo("US.13491208655302741918");
        assertThat(status.recipient()).isNull();
        assertThat(status.pricing()).isEqualTo(new Pricing(true, "PMP", "marketing", "regular"));
        assertThat(status.pricing().charged()).isTrue();
        assertThat(inbound.fromUserId()).isEqualTo("US.13491208655302741918");
        assertThat(inbound.from()).isNull();
        assertThat(order.fromUserId()).isEqualTo("BR.1502576394655843");
    }

    @Test
    void aVersionOneStatusEventReadsWithoutAUserIdAndItsPricingIsChargedUnlessNotBillable() throws Exception {
        StatusEvent status = STRICT.readValue("""
                {"eventId": "e-s1", "schemaVersion": 1, "wamid": "wamid.S", "status": "sent",
                 "recipient": "919978783238", "pricing": {"billable": false, "pricingModel": "CBP", "category": "service"}}
                """, StatusEvent.class);

        assertThat(status.recipientUserId()).isNull();
        assertThat(status.pricing().type()).isNull();
        assertThat(status.pricing().charged()).isFalse();
        assertThat(new Pricing(null, "PMP", "utility", "free_customer_service").charged()).isFalse();
        assertThat(new Pricing(null, "PMP", "marketing", null).charged()).isTrue();
    }

    /** Adds a field to nested records (pricing, send window, order items), whose readers must tolerate it too. */
    private static void addUnknownField(JsonNode node) {
        if (node instanceof ObjectNode object) {
            object.put("addedInVersion2", true);
        }
        if (node.isArray()) {
            node.forEach(EventJsonTest::addUnknownField);
        }
    }
}
