package io.wacast.simulator.webhook;

import static io.restassured.RestAssured.given;
import static io.wacast.simulator.Sim.phone;
import static io.wacast.simulator.Sim.send;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.wacast.simulator.Sim;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The {@code replies} settings: users press a quick-reply template's buttons in the configured shares,
 * in Meta's button webhook shape, and texts or STOPs may come without quoting our message; the truth
 * counts presses by payload and un-quoted replies as delivered.
 */
@QuarkusTest
class ButtonPressesAndUnquotedRepliesTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration PATIENCE = Duration.ofSeconds(60);
    private static final int USERS = 40;

    private WebhookReceiver receiver;

    @AfterEach
    void stopReceiver() {
        if (receiver != null) {
            receiver.close();
        }
        Sim.reset();
    }

    private void receiveWebhooks(String settings) {
        receiver = new WebhookReceiver(WebhookReceiver.freePort()).start();
        Sim.reset("{\"webhooks\": {\"url\": \"" + receiver.url() + "\"}}",
                "{\"outcomes\": {\"reply\": 1.0, \"optOut\": 0, \"order\": 0}}", settings);
    }

    private static String welcomeOffer(String to, String callbackData) {
        return """
                {"messaging_product": "whatsapp", "to": "%s", "type": "template", "biz_opaque_callback_data": "%s",
                 "template": {"name": "welcome_offer", "language": {"code": "en_US"}}}""".formatted(to, callbackData);
    }

    /**
     * Meta reports a press with {@code button.text} the label and {@code button.payload} the button's
     * payload: here the one {@code replies.buttons} configures ("MORE_INFO"), else the label ("Stop
     * promotions" has none configured); the truth counts by payload.
     */
    @Test
    void usersPressTheQuickReplyButtonsInTheConfiguredSharesQuotingOurMessage() {
        receiveWebhooks("""
                {"replies": {"buttonPress": 1.0, "unquoted": 1.0,
                  "buttons": [{"text": "Tell me more", "payload": "MORE_INFO", "share": 3},
                              {"text": "Stop promotions", "share": 1}]}}""");
        Map<String, String> wamidByUser = new HashMap<>();
        for (int i = 0; i < USERS; i++) {
            String wamid = send(welcomeOffer(phone(100 + i), "wc:61:" + (i + 1))).then().statusCode(200)
                    .extract().path("messages[0].id");
            wamidByUser.put(phone(100 + i).substring(1), wamid);
        }

        await().atMost(PATIENCE).until(() -> inbound().size() == USERS);
        Map<String, Long> pressed = new TreeMap<>();
        Map<String, String> labelOf = new TreeMap<>();
        for (JsonNode message : inbound()) {
            assertThat(message.path("type").asText()).isEqualTo("button");
            // a press always quotes the message whose button was pressed, unquoted or not
            assertThat(message.at("/context/id").asText()).isEqualTo(wamidByUser.get(message.path("from").asText()));
            labelOf.put(message.at("/button/payload").asText(), message.at("/button/text").asText());
            pressed.merge(message.at("/button/payload").asText(), 1L, Long::sum);
        }
        assertThat(labelOf).containsExactlyInAnyOrderEntriesOf(
                Map.of("MORE_INFO", "Tell me more", "Stop promotions", "Stop promotions"));
        assertThat(pressed.get("MORE_INFO")).isGreaterThan(pressed.get("Stop promotions"));
        await().atMost(PATIENCE).untilAsserted(() -> given().get("/sim/stats?campaignId=61").then()
                .body("engagement.buttons.MORE_INFO", is(pressed.get("MORE_INFO").intValue()))
                .body("engagement.buttons.'Stop promotions'", is(pressed.get("Stop promotions").intValue()))
                .body("engagement.buttons.'Tell me more'", org.hamcrest.Matchers.nullValue())
                .body("engagement.replies.button", is(USERS))
                .body("engagement.unquoted", is(0)));
    }

    /** A payload the send sets on the button ({@code quick_reply} parameter) is the one a press reports. */
    @Test
    void aPayloadTheSendGivesTheButtonIsTheOneItsPressReports() {
        receiveWebhooks("""
                {"replies": {"buttonPress": 1.0,
                  "buttons": [{"text": "Tell me more", "payload": "MORE_INFO", "share": 1}]}}""");
        for (int i = 0; i < 5; i++) {
            send("""
                    {"messaging_product": "whatsapp", "to": "%s", "type": "template", "biz_opaque_callback_data": "wc:64:%d",
                     "template": {"name": "welcome_offer", "language": {"code": "en_US"}, "components": [
                       {"type": "button", "sub_type": "quick_reply", "index": "0",
                        "parameters": [{"type": "payload", "payload": "campaign-64-more"}]}]}}"""
                    .formatted(phone(400 + i), i + 1)).then().statusCode(200);
        }
        await().atMost(PATIENCE).until(() -> inbound().size() == 5);
        assertThat(inbound()).allSatisfy(message -> {
            assertThat(message.at("/button/payload").asText()).isEqualTo("campaign-64-more");
            assertThat(message.at("/button/text").asText()).isEqualTo("Tell me more");
        });
    }

    @Test
    void aButtonWithoutAShareIsNeverPressed() {
        receiveWebhooks("{\"replies\": {\"buttons\": [{\"text\": \"Tell me more\", \"share\": 1}]}}");
        for (int i = 0; i < 10; i++) {
            send(welcomeOffer(phone(200 + i), "wc:62:" + (i + 1))).then().statusCode(200);
        }
        await().atMost(PATIENCE).until(() -> inbound().size() == 10);
        assertThat(inbound()).extracting(m -> m.at("/button/payload").asText()).containsOnly("Tell me more");
    }

    @Test
    void textsAndStopsThatQuoteNothingComeWithoutContextAndAreCountedAsUnquoted() {
        receiveWebhooks("{\"replies\": {\"buttonPress\": 0, \"unquoted\": 1.0}}");
        for (int i = 0; i < 10; i++) {
            send(welcomeOffer(phone(300 + i), "wc:63:" + (i + 1))).then().statusCode(200);
        }
        Sim.configure("{\"outcomes\": {\"reply\": 0, \"optOut\": 1.0}}");
        for (int i = 10; i < 15; i++) {
            send(welcomeOffer(phone(300 + i), "wc:63:" + (i + 1))).then().statusCode(200);
        }

        await().atMost(PATIENCE).until(() -> inbound().size() == 15);
        assertThat(inbound()).allSatisfy(message -> {
            assertThat(message.path("type").asText()).isEqualTo("text");
            assertThat(message.has("context")).as("context of %s", message).isFalse();
        });
        assertThat(inbound()).filteredOn(m -> m.at("/text/body").asText().equals("STOP")).hasSize(5);
        await().atMost(PATIENCE).untilAsserted(() -> given().get("/sim/stats?campaignId=63").then()
                .body("engagement.replies.text", is(15))
                .body("engagement.unquoted", is(15)));
    }

    @Test
    void badReplySettingsAreProblemsNamingTheFieldAndChangeNothing() {
        Sim.reset();
        for (String[] bad : List.of(
                new String[] {"{\"replies\": {\"buttonPress\": 1.5}}", "replies.buttonPress"},
                new String[] {"{\"replies\": {\"unquoted\": -0.1}}", "replies.unquoted"},
                new String[] {"{\"replies\": {\"buttons\": [{\"text\": \" \", \"share\": 1}]}}", "replies.buttons[0].text"},
                new String[] {"{\"replies\": {\"buttons\": [{\"text\": \"Yes\", \"share\": -1}]}}", "replies.buttons[0].share"},
                new String[] {"{\"replies\": {\"buttons\": [{\"text\": \"Yes\", \"payload\": \"\", \"share\": 1}]}}",
                        "replies.buttons[0].payload"})) {
            given().contentType(ContentType.JSON).body(bad[0]).put("/sim/config")
                    .then().statusCode(400).contentType("application/problem+json")
                    .body("errors.field", hasItem(bad[1]));
        }
        given().get("/sim/config").then().statusCode(200)
                .body("replies.buttonPress", is(1.0f)).body("replies.unquoted", is(0.0f));
    }

    /**
     * The inbound messages received, once each: a webhook whose answer was lost (a slow machine) is
     * delivered again with the same message id, as Meta does, and the truth counts it once.
     */
    private List<JsonNode> inbound() {
        Map<String, JsonNode> byId = new java.util.LinkedHashMap<>();
        receiver.received().stream()
                .map(r -> parse(r.body()))
                .flatMap(p -> StreamSupport.stream(p.at("/entry/0/changes/0/value/messages").spliterator(), false))
                .forEach(message -> byId.putIfAbsent(message.path("id").asText(), message));
        return List.copyOf(byId.values());
    }

    private static JsonNode parse(byte[] body) {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
