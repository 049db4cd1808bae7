package io.wacast.simulator.rest;

import static io.restassured.RestAssured.given;
import static io.wacast.simulator.Sim.orderUpdate;
import static io.wacast.simulator.Sim.phone;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.startsWith;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.wacast.simulator.Sim;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code /marketing_messages} answers like Meta's Marketing Messages API (marketing templates only, once
 * the terms are accepted), {@code /sim/endpoints} counts every call by endpoint, and a number with a
 * token and a cap of its own is held to them.
 */
@QuarkusTest
class MarketingMessagesEndpointTest {

    private static final String MARKETING_MESSAGES = "/v23.0/" + Sim.NUMBER_ID + "/marketing_messages";
    private static final String SECOND = "100000000000002";

    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void reset() {
        Sim.reset();
    }

    @Test
    void aMarketingTemplateIsAcceptedWithTheAnswerOfMessagesAndCountedByEndpoint() {
        marketing(welcomeOffer(phone(1), "wc:71:1"))
                .then().statusCode(200)
                .body("messages[0].id", startsWith("wamid."))
                .body("messages[0].message_status", is("accepted"));
        Sim.send(orderUpdate(phone(2), "wc:71:2")).then().statusCode(200);

        given().get("/sim/endpoints").then().statusCode(200)
                .body("endpoints.marketing_messages.calls", is(1))
                .body("endpoints.marketing_messages.accepted", is(1))
                .body("endpoints.messages.calls", is(1))
                .body("endpoints.messages.accepted", is(1))
                .body("campaigns.'71'.marketing_messages.accepted", is(1))
                .body("campaigns.'71'.messages.accepted", is(1));
        given().get("/sim/stats").then().body("acceptedCalls", is(2));
    }

    @Test
    void aTemplateThatIsNotMarketingIsRefusedWith131055() {
        marketing(orderUpdate(phone(3), "wc:72:1"))
                .then().statusCode(400)
                .body("error.code", is(131055))
                .body("error.error_data.details", is("Only marketing template messages are supported"));
        given().get("/sim/endpoints?campaignId=72").then()
                .body("campaigns.'72'.marketing_messages.calls", is(1))
                .body("campaigns.'72'.marketing_messages.accepted", is(0))
                .body("campaigns.'72'.messages.calls", is(0));
    }

    @Test
    void aMessageThatIsNotATemplateIsRefusedWith100() {
        marketing("""
                {"messaging_product": "whatsapp", "to": "%s", "type": "text", "text": {"body": "hi"}}
                """.formatted(phone(4)))
                .then().statusCode(400).body("error.code", is(100))
                .body("error.error_data.details", containsString("template"));
    }

    @Test
    void withoutAcceptedTermsEveryCallIsRefusedWith200AndMessagesStillWorks() {
        Sim.configure("{\"marketingMessages\": {\"termsAccepted\": false}}");

        marketing(welcomeOffer(phone(5), "wc:73:1"))
                .then().statusCode(403)
                .body("error.code", is(200))
                .body("error.message", containsString("terms of service"));
        Sim.send(welcomeOffer(phone(5), "wc:73:1")).then().statusCode(200);
        given().get("/sim/config").then().body("marketingMessages.termsAccepted", is(false));
        given().get("/sim/endpoints").then()
                .body("endpoints.marketing_messages.calls", is(1))
                .body("endpoints.marketing_messages.accepted", is(0))
                .body("endpoints.messages.accepted", is(1));
    }

    @Test
    void aNumberWithItsOwnTokenRefusesEveryOtherTokenWith190() {
        String second = "/v23.0/" + SECOND + "/messages";
        given().auth().oauth2(Sim.TOKEN).contentType(ContentType.JSON).body(orderUpdate(phone(6), "wc:74:1"))
                .post(second).then().statusCode(401).body("error.code", is(190));
        given().auth().oauth2("second-number-token").contentType(ContentType.JSON).body(orderUpdate(phone(6), "wc:74:1"))
                .post(second).then().statusCode(200);
        given().auth().oauth2("second-number-token").contentType(ContentType.JSON).body(orderUpdate(phone(7), "wc:74:2"))
                .post(Sim.MESSAGES).then().statusCode(401).body("error.code", is(190));
    }

    /**
     * Ten concurrent calls to each number: the second (cap 5) admits at most 5 in any one second and
     * refuses the rest with 130429, the first (the account's cap, 1,000 here) admits all of its own.
     */
    @Test
    void eachNumberIsHeldToItsOwnCap() {
        Map<Integer, Long> second = fire(SECOND, "second-number-token", 10, 300);
        Map<Integer, Long> first = fire(Sim.NUMBER_ID, Sim.TOKEN, 10, 400);

        assertThat(first).containsExactly(Map.entry(200, 10L));
        assertThat(second.getOrDefault(200, 0L) + second.getOrDefault(429, 0L)).isEqualTo(10);
        String stats = given().get("/sim/stats").asString();
        JsonPath json = JsonPath.from(stats);
        assertThat(json.getString("numbers[1].phoneNumberId")).isEqualTo(SECOND);
        assertThat(json.getInt("numbers[1].maxAdmittedInAnyOneSecondWindow")).isLessThanOrEqualTo(5);
        assertThat(json.getLong("numbers[1].callsRejected")).isEqualTo(second.getOrDefault(429, 0L));
        if (json.getInt("numbers[1].maxCallsInAnyOneSecondWindow") == 10) {
            assertThat(second).as("all ten arrived within one second").containsEntry(200, 5L).containsEntry(429, 5L);
        }
        assertThat(json.getLong("numbers[0].callsRejected")).isZero();
    }

    private Map<Integer, Long> fire(String number, String token, int calls, int firstRecipient) {
        URI uri = URI.create(RestAssured.baseURI + ":" + RestAssured.port + "/v23.0/" + number + "/messages");
        List<CompletableFuture<HttpResponse<String>>> responses = IntStream.range(0, calls)
                .mapToObj(i -> http.sendAsync(HttpRequest.newBuilder(uri)
                        .header("Authorization", "Bearer " + token)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(orderUpdate(phone(firstRecipient + i),
                                "wc:75:" + (firstRecipient + i))))
                        .build(), HttpResponse.BodyHandlers.ofString()))
                .toList();
        return responses.stream().map(CompletableFuture::join)
                .peek(r -> {
                    if (r.statusCode() != 200) {
                        assertThat(r.statusCode()).isEqualTo(429);
                        assertThat(r.body()).contains("\"code\":130429");
                    }
                })
                .collect(Collectors.groupingBy(HttpResponse::statusCode, Collectors.counting()));
    }

    private static Response marketing(String body) {
        return given().auth().oauth2(Sim.TOKEN).contentType(ContentType.JSON).body(body).post(MARKETING_MESSAGES);
    }

    private static String welcomeOffer(String to, String callbackData) {
        return """
                {"messaging_product": "whatsapp", "to": "%s", "type": "template", "biz_opaque_callback_data": "%s",
                 "template": {"name": "welcome_offer", "language": {"code": "en_US"}}}
                """.formatted(to, callbackData);
    }
}
