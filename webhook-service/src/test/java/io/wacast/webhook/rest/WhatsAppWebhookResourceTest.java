package io.wacast.webhook.rest;

import static io.restassured.RestAssured.given;
import static io.wacast.webhook.MetaPayloads.T0;
import static io.wacast.webhook.MetaPayloads.change;
import static io.wacast.webhook.MetaPayloads.message;
import static io.wacast.webhook.MetaPayloads.messages;
import static io.wacast.webhook.MetaPayloads.status;
import static io.wacast.webhook.MetaPayloads.statuses;
import static io.wacast.webhook.MetaPayloads.text;
import static io.wacast.webhook.rest.SignedDeliveries.CURRENT_SECRET;
import static io.wacast.webhook.rest.SignedDeliveries.PATH;
import static io.wacast.webhook.rest.SignedDeliveries.PREVIOUS_SECRET;
import static io.wacast.webhook.rest.SignedDeliveries.deliver;
import static io.wacast.webhook.rest.SignedDeliveries.uniqueCampaignId;
import static io.wacast.webhook.rest.SignedDeliveries.uniqueUser;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.wacast.common.Topics;
import io.wacast.common.event.StatusEvent;
import io.wacast.webhook.config.WebhookConfig;
import io.wacast.webhook.messaging.TopicTail;
import io.wacast.webhook.messaging.TopicTail.Received;
import io.wacast.webhook.service.WebhookSignature;
import jakarta.inject.Inject;
import java.io.ByteArrayInputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The webhook endpoint against the real broker: what Meta sends in, what reaches the topics. */
@QuarkusTest
class WhatsAppWebhookResourceTest {

    private static final Duration KAFKA_WAIT = Duration.ofSeconds(15);

    @Inject
    ObjectMapper mapper;

    @Inject
    WebhookConfig config;

    private TopicTail events;
    private TopicTail orders;

    @BeforeEach
    void tailTopics() {
        events = new TopicTail(Topics.EVENTS);
        orders = new TopicTail(Topics.ORDERS);
    }

    @AfterEach
    void closeTails() {
        events.close();
        orders.close();
    }

    @Test
    void theHandshakeEchoesTheChallengeForOurVerifyToken() {
        given().queryParam("hub.mode", "subscribe").queryParam("hub.verify_token", config.verifyToken())
                .queryParam("hub.challenge", "1158201444")
                .get(PATH).then().statusCode(200).contentType(ContentType.TEXT).body(is("1158201444"));
    }

    @Test
    void theHandshakeIsRefusedForAnotherTokenOrMode() {
        given().queryParam("hub.mode", "subscribe").queryParam("hub.verify_token", "guess")
                .queryParam("hub.challenge", "1").get(PATH)
                .then().statusCode(403).contentType("application/problem+json").body("status", is(403));
        given().queryParam("hub.mode", "unsubscribe").queryParam("hub.verify_token", config.verifyToken())
                .queryParam("hub.challenge", "1").get(PATH).then().statusCode(403);
        given().get(PATH).then().statusCode(403);
    }

    @Test
    void signedStatusesArePublishedKeyedByCampaignBeforeTheAcknowledgement() {
        long campaignId = uniqueCampaignId();
        String user = uniqueUser();
        String prefix = "wamid.s-" + campaignId + "-";
        String body = statuses(
                status(prefix + 1, "sent", T0, "wc:" + campaignId + ":1", user),
                status(prefix + 2, "delivered", T0 + 1, "wc:" + campaignId + ":2", user),
                status(prefix + 3, "failed", T0 + 2, "wc:" + campaignId + ":3", user));

        deliver(body).statusCode(200).body("published", is(3)).body("duplicates", is(0));

        await().atMost(KAFKA_WAIT).until(() -> events.matching(value -> value.contains(prefix)).size() == 3);
        List<Received> received = events.matching(value -> value.contains(prefix));
        assertThat(received).extracting(Received::key).containsOnly(Long.toString(campaignId));
        assertThat(received).extracting(Received::type).containsOnly("status");
        JsonNode failed = json(received.stream().filter(r -> r.value().contains(prefix + 3)).findFirst().orElseThrow());
        assertThat(failed.path("campaignId").asLong()).isEqualTo(campaignId);
        assertThat(failed.path("jobId").asText()).isEqualTo("wc:" + campaignId + ":3");
        assertThat(failed.path("status").asText()).isEqualTo("failed");
        assertThat(failed.path("errorCode").asInt()).isEqualTo(131026);
        assertThat(failed.path("metaTimestamp").asText()).isEqualTo(Instant.ofEpochSecond(T0 + 2).toString());
        assertThat(failed.path("schemaVersion").asInt()).isEqualTo(StatusEvent.SCHEMA_VERSION);
        assertThat(UUID.fromString(failed.path("eventId").asText())).isNotNull();
    }

    @Test
    void aDeliverySignedWithThePreviousSecretIsAcceptedDuringRotation() {
        long campaignId = uniqueCampaignId();
        String wamid = "wamid.rot-" + campaignId;
        String body = statuses(status(wamid, "sent", T0, "wc:" + campaignId + ":1", uniqueUser()));

        deliver(body, sign(body, PREVIOUS_SECRET)).statusCode(200).body("published", is(1));

        await().atMost(KAFKA_WAIT).until(() -> events.matching(value -> value.contains(wamid)).size() == 1);
    }

    static Stream<Arguments> refusedSignatures() {
        return Stream.of(
                Arguments.of("tampered body", (SignatureFor) body -> sign(body.replace("\"sent\"", "\"read\""),
                        CURRENT_SECRET)),
                Arguments.of("wrong secret", (SignatureFor) body -> sign(body, "not-our-secret")),
                Arguments.of("missing header", (SignatureFor) body -> null),
                Arguments.of("sha1 header", (SignatureFor) body -> "sha1=" + sign(body, CURRENT_SECRET).substring(7)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusedSignatures")
    void aDeliveryWithoutAValidSignatureIs401AndPublishesNothing(String name, SignatureFor signatureFor) {
        long campaignId = uniqueCampaignId();
        String user = uniqueUser();
        String refused = "wamid.bad-" + campaignId;
        String accepted = "wamid.good-" + campaignId;
        String body = statuses(status(refused, "sent", T0, "wc:" + campaignId + ":1", user));

        deliver(body, signatureFor.sign(body)).statusCode(401).contentType("application/problem+json")
                .body("status", is(401)).body("errors[0].field", is("X-Hub-Signature-256"));
        deliver(statuses(status(accepted, "sent", T0, "wc:" + campaignId + ":2", user))).statusCode(200);

        // Same key, same partition: once the later delivery is visible, the refused one would be too.
        await().atMost(KAFKA_WAIT).until(() -> events.matching(value -> value.contains(accepted)).size() == 1);
        assertThat(events.matching(value -> value.contains(refused))).isEmpty();
    }

    @Test
    void aReplayedDeliveryIsAcknowledgedButPublishedOnce() {
        long campaignId = uniqueCampaignId();
        String wamid = "wamid.replay-" + campaignId;
        String later = "wamid.after-replay-" + campaignId;
        String user = uniqueUser();
        String body = statuses(status(wamid, "delivered", T0, "wc:" + campaignId + ":1", user));

        deliver(body).statusCode(200).body("published", is(1));
        deliver(body).statusCode(200).body("published", is(0)).body("duplicates", is(1));
        deliver(body.replace("{\"object\"", " {\"object\"")).statusCode(200).body("duplicates", is(1));
        deliver(statuses(status(later, "read", T0 + 9, "wc:" + campaignId + ":1", user))).statusCode(200);

        await().atMost(KAFKA_WAIT).until(() -> events.matching(value -> value.contains(later)).size() == 1);
        assertThat(events.matching(value -> value.contains(wamid + "\""))).hasSize(1);
    }

    @Test
    void readBeforeDeliveredIsPublishedInArrivalOrderWithMetasTimestamps() {
        long campaignId = uniqueCampaignId();
        String wamid = "wamid.order-" + campaignId;
        String user = uniqueUser();
        String jobId = "wc:" + campaignId + ":5";

        deliver(statuses(status(wamid, "read", T0 + 20, jobId, user))).statusCode(200);
        deliver(statuses(status(wamid, "delivered", T0 + 10, jobId, user))).statusCode(200);

        await().atMost(KAFKA_WAIT).until(() -> events.matching(value -> value.contains(wamid)).size() == 2);
        List<JsonNode> published = events.matching(value -> value.contains(wamid)).stream().map(this::json).toList();
        assertThat(published).extracting(node -> node.path("status").asText()).containsExactly("read", "delivered");
        assertThat(published).extracting(node -> node.path("metaTimestamp").asText())
                .containsExactly(Instant.ofEpochSecond(T0 + 20).toString(), Instant.ofEpochSecond(T0 + 10).toString());
        assertThat(published.get(0).path("eventId").asText()).isNotEqualTo(published.get(1).path("eventId").asText());
    }

    @Test
    void repliesAndStopKeywordsArePublishedKeyedByTheUsersNumberWithTheirContext() {
        String user = uniqueUser();
        String reply = "wamid.reply-" + user;
        String stop = "wamid.stop-" + user;

        deliver(messages(text(reply, user, "Is Bali still on?", "wamid.out-" + user),
                message("wamid.btn-" + user, user, "button", "\"button\":{\"text\":\"Book\",\"payload\":\"BOOK\"}",
                        "wamid.out-" + user),
                text(stop, user, "STOP", "wamid.out-" + user)))
                .statusCode(200).body("published", is(3));

        await().atMost(KAFKA_WAIT).until(() -> events.matching(value -> value.contains(user)).size() == 3);
        List<Received> received = events.matching(value -> value.contains(user));
        assertThat(received).extracting(Received::key).containsOnly("+" + user);
        assertThat(received).extracting(Received::type).containsOnly("inbound");
        assertThat(received).extracting(r -> json(r).path("kind").asText())
                .containsExactly("reply", "button", "opt_out");
        assertThat(received).extracting(r -> json(r).path("contextWamid").asText()).containsOnly("wamid.out-" + user);
    }

    @Test
    void aMarketingOptOutFromTheUsersSettingsIsPublished() {
        String user = uniqueUser();
        deliver(change("user_preferences", """
                "user_preferences":[{"wa_id":"%s","detail":"User requested to stop marketing messages",\
                "category":"marketing_messages","value":"stop","timestamp":%d}]""".formatted(user, T0 + 100)))
                .statusCode(200).body("published", is(1));

        await().atMost(KAFKA_WAIT).until(() -> events.matching(value -> value.contains(user)).size() == 1);
        JsonNode event = json(events.matching(value -> value.contains(user)).get(0));
        assertThat(event.path("kind").asText()).isEqualTo("opt_out");
        assertThat(event.path("messageType").asText()).isEqualTo("user_preferences");
    }

    @Test
    void anOrderIsPublishedToTheOrdersTopicKeyedByPhone() {
        String user = uniqueUser();
        deliver(messages(message("wamid.order-" + user, user, "order", """
                "order":{"catalog_id":"catalog-9","product_items":[\
                {"product_retailer_id":"sku-bali-5n","quantity":2,"item_price":45000.00,"currency":"INR"}]}""",
                null))).statusCode(200).body("published", is(1));

        await().atMost(KAFKA_WAIT).until(() -> orders.matching(value -> value.contains(user)).size() == 1);
        Received order = orders.matching(value -> value.contains(user)).get(0);
        assertThat(order.key()).isEqualTo("+" + user);
        assertThat(order.type()).isEqualTo("order");
        JsonNode items = json(order).path("items");
        assertThat(items.get(0).path("productRetailerId").asText()).isEqualTo("sku-bali-5n");
        assertThat(items.get(0).path("itemPrice").decimalValue()).isEqualByComparingTo("45000");
    }

    @Test
    void jsonOfAnUnknownShapeIsAcknowledgedAndCounted() {
        double before = metric("wacast_webhook_ignored_total{reason=\"unknown_shape\"}");

        deliver("{\"object\":\"instagram\",\"entry\":[]}").statusCode(200).body("published", is(0))
                .body("ignored", is(1));

        assertThat(metric("wacast_webhook_ignored_total{reason=\"unknown_shape\"}")).isEqualTo(before + 1);
    }

    @Test
    void anUnknownMessageTypeIsAcknowledgedAndCounted() {
        double before = metric("wacast_webhook_ignored_total{reason=\"unknown_message_type\"}");
        String user = uniqueUser();

        deliver(messages(message("wamid.holo-" + user, user, "hologram", "", null))).statusCode(200);

        assertThat(metric("wacast_webhook_ignored_total{reason=\"unknown_message_type\"}")).isEqualTo(before + 1);
    }

    @Test
    void aSignedBodyThatIsNotJsonIs400WithWhereItBroke() {
        deliver("{\"object\": \"whatsapp_business_account\", \"entry\": [").statusCode(400)
                .contentType("application/problem+json").body("status", is(400))
                .body("errors[0].field", is("body")).body("detail", containsString("line 1"));
    }

    @Test
    void aSignedBodyWithContentAfterTheJsonValueIs400() {
        deliver("{} trailing").statusCode(400).contentType("application/problem+json").body("status", is(400))
                .body("errors[0].field", is("body"));
        deliver("{} {}").statusCode(400).contentType("application/problem+json")
                .body("detail", containsString("more content after the end of the JSON value"));
    }

    static Stream<Arguments> unparseableBodies() {
        byte[] badUtf8 = {'{', '"', 'o', '"', ':', '"', (byte) 0xE2, (byte) 0x28, (byte) 0xA1, '"', '}'};
        return Stream.of(
                Arguments.of("nested 1500 deep", "[".repeat(1500).getBytes(StandardCharsets.UTF_8)),
                Arguments.of("not UTF-8", badUtf8),
                Arguments.of("a 2000-digit number", ("{\"a\":" + "9".repeat(2000) + "}").getBytes(StandardCharsets.UTF_8)),
                Arguments.of("cut short", "{\"object\": \"whatsapp_business_account\", \"entry\": [".getBytes(StandardCharsets.UTF_8)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("unparseableBodies")
    void aSignedBodyThatIsNotJsonIsAnsweredInPlainWordsWithoutParserInternals(String name, byte[] body) {
        String detail = given().contentType(ContentType.JSON).body(body)
                .header("X-Hub-Signature-256", WebhookSignature.sign(body, CURRENT_SECRET))
                .post(PATH).then().statusCode(400).contentType("application/problem+json")
                .extract().path("detail");

        assertThat(detail).startsWith("not valid JSON").doesNotContainIgnoringCase("StreamReadConstraints")
                .doesNotContainIgnoringCase("jackson").doesNotContain("Exception").doesNotContain("middle byte")
                .doesNotContain("0x").doesNotContain("`");
    }

    @Test
    void eventsDatedOutsideTheAcceptedWindowAreAcknowledgedCountedAndNeverPublished() {
        double before = metric("wacast_webhook_ignored_total{reason=\"timestamp_out_of_window\"}");
        long campaignId = uniqueCampaignId();
        String user = uniqueUser();
        String prefix = "wamid.when-" + campaignId + "-";
        long year2100 = Instant.parse("2100-01-01T00:00:00Z").getEpochSecond();
        long tomorrowAndAnHour = Instant.now().plus(Duration.ofHours(25)).getEpochSecond();
        long nineDaysAgo = Instant.now().minus(Duration.ofDays(9)).getEpochSecond();

        deliver(statuses(status(prefix + "2100", "delivered", year2100, "wc:" + campaignId + ":1", user),
                status(prefix + "ahead", "read", tomorrowAndAnHour, "wc:" + campaignId + ":2", user),
                status(prefix + "old", "delivered", nineDaysAgo, "wc:" + campaignId + ":3", user),
                status(prefix + "1970", "delivered", 1, "wc:" + campaignId + ":4", user),
                status(prefix + "now", "delivered", T0, "wc:" + campaignId + ":5", user)))
                .statusCode(200).body("published", is(1)).body("ignored", is(4));
        deliver(change("user_preferences", """
                "user_preferences":[{"wa_id":"%s","detail":"stop","category":"marketing_messages","value":"stop",\
                "timestamp":%d}]""".formatted(user, year2100))).statusCode(200).body("published", is(0));

        assertThat(metric("wacast_webhook_ignored_total{reason=\"timestamp_out_of_window\"}")).isEqualTo(before + 5);
        await().atMost(KAFKA_WAIT).until(() -> events.matching(value -> value.contains(prefix + "now")).size() == 1);
        assertThat(events.matching(value -> value.contains(prefix) || value.contains(user)))
                .extracting(received -> json(received).path("wamid").asText()).containsExactly(prefix + "now");
    }

    /** Announced, not sent: the answer comes before a byte of the body is read, and the connection is closed. */
    @Test
    void aBodyAnnouncedAboveTheHttpLayersOwnCapIs413WithAProblem() throws Exception {
        try (Socket socket = new Socket("localhost", RestAssured.port)) {
            socket.setSoTimeout(30_000);
            socket.getOutputStream().write(("POST " + PATH + " HTTP/1.1\r\nHost: localhost\r\n"
                    + "Content-Type: application/json\r\nContent-Length: " + 17 * 1024 * 1024 + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();

            String response = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

            assertThat(response).startsWith("HTTP/1.1 413").containsIgnoringCase("content-type: application/problem+json")
                    .contains("\"status\":413");
        }
    }

    @Test
    void aTooLongUriIs414WithAProblem() {
        given().queryParam("hub.mode", "subscribe").queryParam("hub.challenge", "x".repeat(10_000))
                .get(PATH).then().statusCode(414).contentType("application/problem+json").body("status", is(414))
                .body("detail", containsString("8192"));
    }

    @Test
    void tooLargeHeadersAre431WithAProblem() {
        given().header("X-Padding", "x".repeat(30_000)).get(PATH)
                .then().statusCode(431).contentType("application/problem+json").body("status", is(431));
    }

    @Test
    void aBodyAboveTheLimitIs413() {
        String padding = "x".repeat(70 * 1024);
        deliver(statuses(status("wamid.big", "sent", T0, null, padding))).statusCode(413)
                .contentType("application/problem+json").body("status", is(413));
    }

    /** No Content-Length up front: the limit is enforced once the body is read. */
    @Test
    void aChunkedBodyAboveTheLimitIs413Too() throws Exception {
        byte[] body = statuses(status("wamid.big", "sent", T0, null, "x".repeat(70 * 1024)))
                .getBytes(StandardCharsets.UTF_8);
        var request = HttpRequest.newBuilder(URI.create(baseUrl() + PATH))
                .header("Content-Type", "application/json")
                .header("X-Hub-Signature-256", WebhookSignature.sign(body, CURRENT_SECRET))
                .POST(HttpRequest.BodyPublishers.ofInputStream(
                        () -> new ByteArrayInputStream(body)))
                .build();

        var response = HttpClient.newHttpClient().send(request,
                HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    }

    @Test
    void anotherContentTypeIs415() {
        given().contentType(ContentType.TEXT).header("X-Hub-Signature-256", sign("hello", CURRENT_SECRET))
                .body("hello").post(PATH)
                .then().statusCode(415).contentType("application/problem+json").body("status", is(415));
    }

    private static String baseUrl() {
        return RestAssured.baseURI + ":" + RestAssured.port;
    }

    private JsonNode json(Received received) {
        try {
            return mapper.readTree(received.value());
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + received.value(), e);
        }
    }

    private static String sign(String body, String secret) {
        return WebhookSignature.sign(body.getBytes(StandardCharsets.UTF_8), secret);
    }

    private static double metric(String series) {
        String text = given().get("/q/metrics").then().statusCode(200).extract().asString();
        return text.lines().filter(line -> line.startsWith(series + " ")).findFirst()
                .map(line -> Double.parseDouble(line.substring(series.length() + 1).trim()))
                .orElse(0.0);
    }

    @FunctionalInterface
    interface SignatureFor {
        String sign(String body);
    }
}
