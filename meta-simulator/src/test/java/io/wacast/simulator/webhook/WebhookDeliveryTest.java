package io.wacast.simulator.webhook;

import static io.restassured.RestAssured.given;
import static io.wacast.simulator.Sim.orderUpdate;
import static io.wacast.simulator.Sim.phone;
import static io.wacast.simulator.Sim.send;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.junit.QuarkusTest;
import io.wacast.simulator.Sim;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.StreamSupport;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Signed status and inbound webhooks in Meta's shape, retried while the endpoint is down, and the truth they feed. */
@QuarkusTest
class WebhookDeliveryTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration PATIENCE = Duration.ofSeconds(15);

    private WebhookReceiver receiver;

    @AfterEach
    void stopReceiver() {
        if (receiver != null) {
            receiver.close();
        }
    }

    private void receiveWebhooks(String... settings) {
        receiver = new WebhookReceiver(WebhookReceiver.freePort()).start();
        List<String> all = new ArrayList<>(List.of(settings));
        all.add(0, "{\"webhooks\": {\"url\": \"" + receiver.url() + "\"}}");
        Sim.reset(all.toArray(String[]::new));
    }

    @Test
    void webhooksAreSignedWithTheAppSecretOverTheExactBytesSent() throws Exception {
        receiveWebhooks();
        send(orderUpdate(phone(1), "wc:31:1")).then().statusCode(200);

        await().atMost(PATIENCE).until(() -> statuses().size() == 3);

        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(Sim.APP_SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        for (WebhookReceiver.Received request : receiver.received()) {
            assertThat(request.header("X-Hub-Signature-256"))
                    .isEqualTo("sha256=" + HexFormat.of().formatHex(mac.doFinal(request.body())));
            assertThat(request.header("Content-Type")).startsWith("application/json");
        }
        JsonNode payload = parse(receiver.received().get(0).body());
        assertThat(payload.path("object").asText()).isEqualTo("whatsapp_business_account");
        assertThat(payload.at("/entry/0/id").asText()).isEqualTo(Sim.WABA_ID);
        assertThat(payload.at("/entry/0/changes/0/field").asText()).isEqualTo("messages");
        assertThat(payload.at("/entry/0/changes/0/value/messaging_product").asText()).isEqualTo("whatsapp");
        assertThat(payload.at("/entry/0/changes/0/value/metadata/phone_number_id").asText()).isEqualTo(Sim.NUMBER_ID);
        assertThat(payload.at("/entry/0/changes/0/value/metadata/display_phone_number").asText()).isEqualTo("15550000001");
        JsonNode sent = statuses().stream().filter(s -> s.path("status").asText().equals("sent")).findFirst().orElseThrow();
        assertThat(sent.path("biz_opaque_callback_data").asText()).isEqualTo("wc:31:1");
        assertThat(sent.path("recipient_id").asText()).isEqualTo(phone(1).substring(1));
        assertThat(sent.path("id").asText()).startsWith("wamid.");
        assertThat(sent.path("timestamp").isTextual()).isTrue();
        assertThat(sent.path("timestamp").asText()).matches("\\d{10}");
        assertThat(sent.at("/conversation/origin/type").asText()).isEqualTo("utility");
        assertThat(sent.at("/pricing/category").asText()).isEqualTo("utility");
        assertThat(sent.at("/pricing/billable").asBoolean()).isTrue();
    }

    @Test
    void everyAcceptedMessageIsReportedSentDeliveredAndReadInTheCampaignTruth() {
        receiveWebhooks();
        for (int i = 1; i <= 10; i++) {
            send(orderUpdate(phone(i), "wc:32:" + i)).then().statusCode(200);
        }

        await().atMost(PATIENCE).untilAsserted(() -> given().get("/sim/stats?campaignId=32").then()
                .body("acceptedCalls", is(10))
                .body("recipientsAccepted", is(10))
                .body("sent", is(10))
                .body("delivered", is(10))
                .body("read", is(10))
                .body("failed", is(0))
                .body("duplicates", empty()));
        assertThat(statuses()).hasSize(30);
        assertThat(statuses()).allSatisfy(s -> assertThat(s.path("biz_opaque_callback_data").asText()).startsWith("wc:32:"));
        given().get("/sim/stats").then().body("webhooksPending", is(0)).body("webhookEventsDelivered", is(30));
    }

    @Test
    void anUndeliverableNumberIsAcceptedThenFailsInAStatusWebhookWithErrors() {
        receiveWebhooks();
        send(orderUpdate(phone("0026"), "wc:33:1")).then().statusCode(200);

        await().atMost(PATIENCE).untilAsserted(() -> given().get("/sim/stats?campaignId=33").then()
                .body("failed", is(1))
                .body("failedByCode.'131026'", is(1))
                .body("sent", is(0)));
        assertThat(statuses()).singleElement().satisfies(failed -> {
            assertThat(failed.path("status").asText()).isEqualTo("failed");
            assertThat(failed.at("/errors/0/code").asInt()).isEqualTo(131026);
            assertThat(failed.at("/errors/0/title").asText()).isEqualTo("Message undeliverable");
            assertThat(failed.at("/errors/0/error_data/details").asText()).isNotBlank();
        });
    }

    @Test
    void webhooksAreRetriedWithBackoffUntilTheEndpointComesBack() {
        int port = WebhookReceiver.freePort();
        Sim.reset("{\"webhooks\": {\"url\": \"http://127.0.0.1:" + port + "/webhooks/whatsapp\"}}");
        for (int i = 1; i <= 3; i++) {
            send(orderUpdate(phone(i), "wc:34:" + i)).then().statusCode(200);
        }
        await().atMost(PATIENCE).untilAsserted(() -> given().get("/sim/stats").then()
                .body("webhookFailures", greaterThan(2))
                .body("webhooksPending", is(9)));

        receiver = new WebhookReceiver(port).start();

        await().atMost(PATIENCE).untilAsserted(() -> given().get("/sim/stats").then()
                .body("webhooksPending", is(0))
                .body("campaigns[0].sent", is(3))
                .body("campaigns[0].read", is(3)));
        assertThat(statuses()).hasSize(9);
    }

    @Test
    void anEndpointAnsweringErrorsIsRetriedWithTheSameSignedBytes() {
        receiveWebhooks();
        receiver.answer(503);
        send(orderUpdate(phone(1), "wc:35:1")).then().statusCode(200);
        await().atMost(PATIENCE).untilAsserted(() -> given().get("/sim/stats").then().body("webhookFailures", greaterThan(1)));

        receiver.answer(200);

        await().atMost(PATIENCE).untilAsserted(() -> given().get("/sim/stats?campaignId=35").then().body("read", is(1)));
        assertThat(receiver.received()).allSatisfy(r -> assertThat(r.header("X-Hub-Signature-256")).startsWith("sha256="));
    }

    @Test
    void aRecipientGivenTheSameCampaignMessageTwiceIsReportedAsADuplicate() {
        receiveWebhooks();
        send(orderUpdate(phone(7), "wc:36:1")).then().statusCode(200);
        send(orderUpdate(phone(7), "wc:36:1")).then().statusCode(200);
        send(orderUpdate(phone(7), "wc:37:1")).then().statusCode(200);

        given().get("/sim/stats").then()
                .body("duplicates", hasSize(1))
                .body("duplicates[0].campaignId", is(36))
                .body("duplicates[0].to", is(phone(7).substring(1)))
                .body("duplicates[0].times", is(2));
        given().get("/sim/stats?campaignId=37").then().body("duplicates", empty());
    }

    @Test
    void repliesOptOutsAndOrdersArriveAsInboundMessagesInReplyToOurMessage() {
        receiveWebhooks("{\"outcomes\": {\"reply\": 1.0, \"optOut\": 0, \"order\": 0}}");
        String wamid = send(orderUpdate(phone(1), "wc:38:1")).then().statusCode(200).extract().path("messages[0].id");
        Sim.configure("{\"outcomes\": {\"reply\": 0, \"optOut\": 1.0, \"order\": 0}}");
        send(orderUpdate(phone(2), "wc:38:2")).then().statusCode(200);
        Sim.configure("{\"outcomes\": {\"reply\": 0, \"optOut\": 0, \"order\": 1.0}}");
        send(orderUpdate(phone(3), "wc:38:3")).then().statusCode(200);

        await().atMost(PATIENCE).untilAsserted(() -> given().get("/sim/stats?campaignId=38").then()
                .body("replies", is(1)).body("optOuts", is(1)).body("orders", is(1)));

        List<JsonNode> inbound = inbound();
        assertThat(inbound).hasSize(3);
        JsonNode reply = byFrom(inbound, phone(1));
        assertThat(reply.path("type").asText()).isEqualTo("text");
        assertThat(reply.at("/context/id").asText()).isEqualTo(wamid);
        assertThat(reply.at("/context/from").asText()).isEqualTo("15550000001");
        assertThat(byFrom(inbound, phone(2)).at("/text/body").asText()).isEqualTo("STOP");
        JsonNode order = byFrom(inbound, phone(3));
        assertThat(order.path("type").asText()).isEqualTo("order");
        assertThat(order.at("/order/catalog_id").asText()).isNotBlank();
        assertThat(order.at("/order/product_items/0/product_retailer_id").asText()).isNotBlank();
        assertThat(order.at("/order/product_items/0/quantity").asInt()).isPositive();
        assertThat(order.at("/order/product_items/0/currency").asText()).isEqualTo("INR");
        JsonNode anyInbound = parse(receiver.received().stream()
                .filter(r -> new String(r.body(), StandardCharsets.UTF_8).contains("\"contacts\""))
                .findFirst().orElseThrow().body());
        assertThat(anyInbound.at("/entry/0/changes/0/value/contacts/0/wa_id").asText()).isNotBlank();
        assertThat(anyInbound.at("/entry/0/changes/0/value/contacts/0/profile/name").asText()).isNotBlank();
    }

    @Test
    void usersWithABsuidAreNamedByItInStatusesAndMessagesAndSomeWithholdTheirNumber() {
        receiveWebhooks("{\"outcomes\": {\"reply\": 1.0, \"optOut\": 0, \"order\": 0},"
                + " \"users\": {\"bsuidShare\": 1.0, \"withoutPhoneShare\": 1.0}}");
        send(orderUpdate(phone(5), "wc:42:1")).then().statusCode(200);
        Sim.configure("{\"users\": {\"bsuidShare\": 1.0, \"withoutPhoneShare\": 0}}");
        send(orderUpdate(phone(6), "wc:42:2")).then().statusCode(200);
        Sim.configure("{\"users\": {\"bsuidShare\": 0}}");
        send(orderUpdate(phone(7), "wc:42:3")).then().statusCode(200);

        await().atMost(PATIENCE).until(() -> statuses().size() == 9 && inbound().size() == 3);
        // a status names the number it was sent to and, for a user with a BSUID, the BSUID; priced on sent and delivered
        for (JsonNode status : statuses()) {
            String to = status.path("recipient_id").asText();
            assertThat(to).isNotBlank();
            if (to.equals(phone(7).substring(1))) {
                assertThat(status.has("recipient_user_id")).isFalse();
            } else {
                assertThat(status.path("recipient_user_id").asText()).matches("IN\\.\\d{1,128}");
            }
            if (!status.path("status").asText().equals("read")) {
                assertThat(status.at("/pricing/pricing_model").asText()).isEqualTo("PMP");
                assertThat(status.at("/pricing/type").asText()).isEqualTo("regular");
                assertThat(status.at("/pricing/category").asText()).isEqualTo("utility");
            }
        }
        String bsuid5 = statuses().stream().filter(s -> s.path("recipient_id").asText().equals(phone(5).substring(1)))
                .findFirst().orElseThrow().path("recipient_user_id").asText();
        // the username user's reply has no phone at all, only the BSUID, in the message and in contacts
        JsonNode withheld = inbound().stream().filter(m -> bsuid5.equals(m.path("from_user_id").asText()))
                .findFirst().orElseThrow();
        assertThat(withheld.has("from")).isFalse();
        JsonNode contact = receiver.received().stream().map(r -> parse(r.body()))
                .map(p -> p.at("/entry/0/changes/0/value/contacts/0"))
                .filter(c -> bsuid5.equals(c.path("user_id").asText())).findFirst().orElseThrow();
        assertThat(contact.path("user_id").asText()).isEqualTo(bsuid5);
        assertThat(contact.has("wa_id")).isFalse();
        assertThat(contact.at("/profile/username").asText()).isNotBlank();
        // a user with a BSUID who shares the number sends both; one without a BSUID only the number
        JsonNode both = byFrom(inbound(), phone(6));
        assertThat(both.path("from_user_id").asText()).startsWith("IN.");
        assertThat(byFrom(inbound(), phone(7)).has("from_user_id")).isFalse();
    }

    @Test
    void aBsuidShareOutsideZeroToOneIsRefusedNamingTheField() {
        given().contentType("application/json").body("{\"users\": {\"bsuidShare\": 1.5}}").put("/sim/config").then()
                .statusCode(400).body("errors[0].field", is("users.bsuidShare"));
    }

    @Test
    void aUserWhoWroteToUsCanGetAFreeFormMessageWithin24Hours() {
        receiveWebhooks("{\"outcomes\": {\"reply\": 1.0}}");
        send(orderUpdate(phone(4), "wc:39:1")).then().statusCode(200);
        await().atMost(PATIENCE).until(() -> inbound().size() == 1);

        send("{\"messaging_product\": \"whatsapp\", \"to\": \"%s\", \"type\": \"text\", \"text\": {\"body\": \"Sure!\"}}"
                .formatted(phone(4))).then().statusCode(200);
    }

    @Test
    void injectedDuplicatesAreDeliveredButCountedOnce() {
        receiveWebhooks("{\"chaos\": {\"duplicate\": 1.0}}");
        for (int i = 1; i <= 4; i++) {
            send(orderUpdate(phone(i), "wc:40:" + i)).then().statusCode(200);
        }

        await().atMost(PATIENCE).until(() -> statuses().size() == 24);
        given().get("/sim/stats").then()
                .body("duplicateWebhooksInjected", is(12))
                .body("campaigns[0].sent", is(4))
                .body("campaigns[0].delivered", is(4))
                .body("campaigns[0].read", is(4));
    }

    @Test
    void injectedReorderingSendsReadBeforeDelivered() {
        receiveWebhooks("{\"chaos\": {\"reorder\": 1.0}, \"delays\": {\"read\": {\"minMs\": 300, \"maxMs\": 300}}}");
        send(orderUpdate(phone(1), "wc:41:1")).then().statusCode(200);

        await().atMost(PATIENCE).until(() -> statuses().size() == 3);
        List<String> order = statuses().stream().map(s -> s.path("status").asText()).toList();
        assertThat(order.indexOf("read")).isLessThan(order.indexOf("delivered"));
        JsonNode read = statuses().stream().filter(s -> s.path("status").asText().equals("read")).findFirst().orElseThrow();
        JsonNode delivered = statuses().stream().filter(s -> s.path("status").asText().equals("delivered")).findFirst().orElseThrow();
        assertThat(read.path("timestamp").asLong()).isGreaterThanOrEqualTo(delivered.path("timestamp").asLong());
        given().get("/sim/stats").then().body("reorderedWebhooksInjected", is(1));
    }

    private List<JsonNode> statuses() {
        return values("statuses");
    }

    private List<JsonNode> inbound() {
        return values("messages");
    }

    private List<JsonNode> values(String field) {
        return receiver.received().stream()
                .map(r -> parse(r.body()))
                .flatMap(p -> StreamSupport.stream(p.at("/entry/0/changes/0/value/" + field).spliterator(), false))
                .toList();
    }

    private static JsonNode byFrom(List<JsonNode> messages, String phone) {
        return messages.stream().filter(m -> m.path("from").asText().equals(phone.substring(1))).findFirst().orElseThrow();
    }

    private static JsonNode parse(byte[] body) {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
