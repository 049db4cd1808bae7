package io.wacast.simulator.rest;

import static io.restassured.RestAssured.given;
import static io.wacast.simulator.Sim.MESSAGES;
import static io.wacast.simulator.Sim.orderUpdate;
import static io.wacast.simulator.Sim.phone;
import static io.wacast.simulator.Sim.send;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.emptyOrNullString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.wacast.simulator.Sim;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The send endpoint answers like Meta: its success shape, its error envelope, codes and HTTP statuses. */
@QuarkusTest
class SendEndpointTest {

    @BeforeEach
    void reset() {
        Sim.reset();
    }

    @Test
    void aValidTemplateMessageIsAcceptedWithMetasAnswerShape() {
        send("""
                {"messaging_product": "whatsapp", "to": "+919978783238", "type": "template",
                 "biz_opaque_callback_data": "wc:7:1",
                 "template": {"name": "tour_package_marketing", "language": {"code": "en_US"},
                   "components": [
                     {"type": "header", "parameters": [{"type": "image", "image": {"link": "https://x.example/bali.jpg"}}]},
                     {"type": "body", "parameters": [{"type": "text", "text": "Bali"}, {"type": "text", "text": "₹45,000"}]},
                     {"type": "button", "sub_type": "url", "index": "0", "parameters": [{"type": "text", "text": "bali-2025"}]}]}}
                """)
                .then().statusCode(200)
                .body("messaging_product", is("whatsapp"))
                .body("contacts[0].input", is("+919978783238"))
                .body("contacts[0].wa_id", is("919978783238"))
                .body("messages[0].id", startsWith("wamid."))
                .body("messages[0].message_status", is("accepted"));
        given().get("/sim/stats").then().body("acceptedCalls", is(1)).body("campaigns[0].campaignId", is(7));
    }

    @Test
    void aWrongTokenIsRejectedWith401AndCode190() {
        given().auth().oauth2("not-the-token").contentType(ContentType.JSON).body(orderUpdate(phone(1), "wc:1:1"))
                .post(MESSAGES)
                .then().statusCode(401)
                .body("error.code", is(190))
                .body("error.type", is("OAuthException"))
                .body("error.fbtrace_id", not(emptyOrNullString()));
        given().contentType(ContentType.JSON).body(orderUpdate(phone(1), "wc:1:1")).post(MESSAGES)
                .then().statusCode(401).body("error.code", is(190));
    }

    @Test
    void anUnknownPhoneNumberIdAnswersError100LikeMeta() {
        given().auth().oauth2(Sim.TOKEN).contentType(ContentType.JSON).body(orderUpdate(phone(1), "wc:1:1"))
                .post("/v23.0/999999999999999/messages")
                .then().statusCode(400)
                .body("error.code", is(100))
                .body("error.error_subcode", is(33));
    }

    @ParameterizedTest(name = "{0} → HTTP {2}, code {3}")
    @CsvSource(delimiter = '|', value = {
            "template missing          | {\"name\":\"no_such\",\"language\":{\"code\":\"en_US\"}}                | 404 | 132001",
            "language missing          | {\"name\":\"order_update\",\"language\":{\"code\":\"de\"}}              | 404 | 132001",
            "template paused           | {\"name\":\"summer_sale\",\"language\":{\"code\":\"en_US\"},\"components\":[{\"type\":\"body\",\"parameters\":[{\"type\":\"text\",\"text\":\"20%\"}]}]} | 400 | 132015",
            "template disabled         | {\"name\":\"flash_deal\",\"language\":{\"code\":\"en_US\"},\"components\":[{\"type\":\"body\",\"parameters\":[{\"type\":\"text\",\"text\":\"you\"}]}]}  | 400 | 132016",
            "too few body parameters   | {\"name\":\"order_update\",\"language\":{\"code\":\"en_US\"}}           | 400 | 132000",
            "too many body parameters  | {\"name\":\"welcome_offer\",\"language\":{\"code\":\"en_US\"},\"components\":[{\"type\":\"body\",\"parameters\":[{\"type\":\"text\",\"text\":\"x\"}]}]} | 400 | 132000",
            "missing header image      | {\"name\":\"tour_package_marketing\",\"language\":{\"code\":\"en_US\"},\"components\":[{\"type\":\"body\",\"parameters\":[{\"type\":\"text\",\"text\":\"a\"},{\"type\":\"text\",\"text\":\"b\"}]},{\"type\":\"button\",\"sub_type\":\"url\",\"index\":\"0\",\"parameters\":[{\"type\":\"text\",\"text\":\"c\"}]}]} | 400 | 132000",
            "text where image expected | {\"name\":\"tour_package_marketing\",\"language\":{\"code\":\"en_US\"},\"components\":[{\"type\":\"header\",\"parameters\":[{\"type\":\"text\",\"text\":\"x\"}]},{\"type\":\"body\",\"parameters\":[{\"type\":\"text\",\"text\":\"a\"},{\"type\":\"text\",\"text\":\"b\"}]},{\"type\":\"button\",\"sub_type\":\"url\",\"index\":\"0\",\"parameters\":[{\"type\":\"text\",\"text\":\"c\"}]}]} | 400 | 132012",
            "URL button parameter left out | {\"name\":\"tour_package_marketing\",\"language\":{\"code\":\"en_US\"},\"components\":[{\"type\":\"header\",\"parameters\":[{\"type\":\"image\",\"image\":{\"link\":\"https://x/y.jpg\"}}]},{\"type\":\"body\",\"parameters\":[{\"type\":\"text\",\"text\":\"a\"},{\"type\":\"text\",\"text\":\"b\"}]}]} | 400 | 132000",
    })
    void templateProblemsAreRejectedWithMetasCodes(String problem, String template, int status, int code) {
        send("""
                {"messaging_product": "whatsapp", "to": "%s", "type": "template", "biz_opaque_callback_data": "wc:3:1",
                 "template": %s}
                """.formatted(phone(1), template))
                .then().statusCode(status).body("error.code", is(code));
        given().get("/sim/stats?campaignId=3").then()
                .body("acceptedCalls", is(0))
                .body("rejectedByCode.'" + code + "'", is(1));
    }

    @ParameterizedTest(name = "{0} → code {1}")
    @CsvSource(delimiter = '|', value = {
            "{\"messaging_product\":\"sms\",\"to\":\"+919987651234\",\"type\":\"template\",\"template\":{\"name\":\"welcome_offer\",\"language\":{\"code\":\"en_US\"}}} | 100",
            "{\"messaging_product\":\"whatsapp\",\"to\":\"12ab\",\"type\":\"template\",\"template\":{\"name\":\"welcome_offer\",\"language\":{\"code\":\"en_US\"}}}     | 100",
            "{\"messaging_product\":\"whatsapp\",\"type\":\"template\",\"template\":{\"name\":\"welcome_offer\",\"language\":{\"code\":\"en_US\"}}}                    | 131008",
            "{\"messaging_product\":\"whatsapp\",\"to\":\"+919987651234\",\"type\":\"carrier_pigeon\"}                                                                | 100",
            "not json at all                                                                                                                                | 100",
    })
    void malformedRequestsAreRejectedWithHttp400(String body, int code) {
        send(body).then().statusCode(400).body("error.code", is(code));
    }

    @Test
    void aFreeFormMessageOutsideTheCustomerServiceWindowIsRefusedWith131047() {
        send("""
                {"messaging_product": "whatsapp", "to": "%s", "type": "text", "text": {"body": "hi"}}
                """.formatted(phone(2)))
                .then().statusCode(400).body("error.code", is(131047));
    }

    @Test
    void theSameUserMessagedBeyondTheBurstGetsThePairRateLimit() {
        Sim.configure("{\"pairRate\": {\"burst\": 2, \"refillSeconds\": 60}}");
        send(orderUpdate(phone(3), "wc:4:1")).then().statusCode(200);
        send(orderUpdate(phone(3), "wc:5:1")).then().statusCode(200);
        send(orderUpdate(phone(3), "wc:6:1")).then().statusCode(429).body("error.code", is(131056));
        send(orderUpdate(phone(4), "wc:6:2")).then().statusCode(200);
    }

    @ParameterizedTest(name = "number ending {0} → HTTP {1}, code {2}")
    @CsvSource({
            "0000, 500, 131000",
            "0016, 503, 131016",
            "0047, 400, 131047",
            "0048, 429, 131048",
            "0049, 400, 131049",
            "0050, 400, 131050",
            "0056, 429, 131056",
            "0057, 500, 131057",
            "0190, 401, 190",
            "0368, 403, 368",
            "0429, 429, 130429",
    })
    void numbersWithAnInjectedFaultGetItAtTheApi(String suffix, int status, int code) {
        send(orderUpdate(phone(suffix), "wc:9:1")).then().statusCode(status).body("error.code", is(code));
        given().get("/sim/stats?campaignId=9").then().body("rejectedByCode.'" + code + "'", is(1));
    }

    @Test
    void aNumberEndingIn0026IsAcceptedAtTheApi() {
        send(orderUpdate(phone("0026"), "wc:9:2")).then().statusCode(200);
    }

    @Test
    void aNumberEndingIn0500FailsOnlyTheFirstAttemptOfEachMessage() {
        send(orderUpdate(phone("0500"), "wc:10:1")).then().statusCode(500).body("error.code", is(131000));
        send(orderUpdate(phone("0500"), "wc:10:1")).then().statusCode(200);
        send(orderUpdate(phone("0500"), "wc:11:1")).then().statusCode(500);
    }

    @Test
    void injectionCanBeSwitchedOff() {
        Sim.configure("{\"injection\": {\"enabled\": false}}");
        send(orderUpdate(phone("0049"), "wc:12:1")).then().statusCode(200);
    }

    @Test
    void latencyDelaysTheAnswer() {
        Sim.configure("{\"latency\": {\"medianMs\": 300, \"p99Ms\": 300}}");
        long started = System.nanoTime();
        send(orderUpdate(phone(5), "wc:13:1")).then().statusCode(200);
        long tookMs = (System.nanoTime() - started) / 1_000_000;
        assertThat(tookMs).isGreaterThanOrEqualTo(290);
    }
}
