package io.wacast.simulator.rest;

import static io.restassured.RestAssured.given;
import static io.wacast.simulator.Sim.phone;
import static io.wacast.simulator.Sim.send;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.wacast.simulator.Sim;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The template registry in Meta's listing shape, and templates added or paused at runtime. */
@QuarkusTest
class MessageTemplatesTest {

    private static final String LISTING = "/v23.0/" + Sim.WABA_ID + "/message_templates";

    @BeforeEach
    void reset() {
        Sim.reset();
    }

    @Test
    void theSeedTemplatesAreListedInMetasShape() {
        JsonPath listing = given().auth().oauth2(Sim.TOKEN).queryParam("limit", 100).get(LISTING)
                .then().statusCode(200).extract().jsonPath();

        assertThat(listing.getList("data.name", String.class))
                .contains("tour_package_marketing", "order_update", "welcome_offer", "summer_sale", "flash_deal");
        assertThat(listing.getList("data.language", String.class)).contains("en_US", "hi");
        given().auth().oauth2(Sim.TOKEN).queryParam("name", "tour_package_marketing").queryParam("language", "en_US")
                .get(LISTING).then().statusCode(200)
                .body("data", hasSize(1))
                .body("data[0].id", notNullValue())
                .body("data[0].status", is("APPROVED"))
                .body("data[0].category", is("MARKETING"))
                .body("data[0].components.type", hasItems("HEADER", "BODY", "BUTTONS"))
                .body("data[0].components[0].format", is("IMAGE"))
                .body("data[0].components[1].text", containsString("{{2}}"))
                .body("data[0].components[3].buttons[0].type", is("URL"))
                .body("data[0].components[3].buttons[0].url", endsWith("{{1}}"));
        given().auth().oauth2(Sim.TOKEN).queryParam("status", "PAUSED").get(LISTING).then()
                .body("data.name", hasItems("summer_sale"));
        given().auth().oauth2(Sim.TOKEN).queryParam("status", "DISABLED").get(LISTING).then()
                .body("data.name", hasItems("flash_deal"));
    }

    @Test
    void theListingIsCursorPaged() {
        String next = given().auth().oauth2(Sim.TOKEN).queryParam("limit", 2).get(LISTING).then().statusCode(200)
                .body("data", hasSize(2))
                .body("paging.cursors.after", notNullValue())
                .extract().path("paging.cursors.after");
        given().auth().oauth2(Sim.TOKEN).queryParam("limit", 100).queryParam("after", next).get(LISTING)
                .then().statusCode(200)
                .body("data.size()", is(4))
                .body("paging.next", nullValue());
    }

    @Test
    void theListingNeedsTheTokenAndAKnownAccount() {
        given().get(LISTING).then().statusCode(401).body("error.code", is(190));
        given().auth().oauth2(Sim.TOKEN).get("/v23.0/123/message_templates").then().statusCode(400)
                .body("error.code", is(100));
    }

    @Test
    void aTemplateAddedAtRuntimeCanBeSentAndPausedAgain() {
        String template = """
                {"name": "diwali_offer", "language": "en_US", "status": "%s", "category": "MARKETING",
                 "components": [{"type": "BODY", "text": "Happy Diwali {{1}}! {{2}} off."}]}
                """;
        String message = """
                {"messaging_product": "whatsapp", "to": "%s", "type": "template", "biz_opaque_callback_data": "wc:60:1",
                 "template": {"name": "diwali_offer", "language": {"code": "en_US"}, "components": [{"type": "body",
                 "parameters": [{"type": "text", "text": "Asha"}, {"type": "text", "text": "20%%"}]}]}}
                """.formatted(phone(1));
        send(message).then().statusCode(404).body("error.code", is(132001));

        given().contentType(ContentType.JSON).body(template.formatted("APPROVED")).post("/sim/templates")
                .then().statusCode(200).body("id", notNullValue()).body("name", is("diwali_offer"));
        send(message).then().statusCode(200);

        given().contentType(ContentType.JSON).body(template.formatted("PAUSED")).post("/sim/templates").then().statusCode(200);
        send(message).then().statusCode(400).body("error.code", is(132015));
    }

    @Test
    void anInvalidTemplateIsRefusedAsProblemJson() {
        given().contentType(ContentType.JSON)
                .body("{\"name\": \"Bad Name\", \"language\": \"en_US\", \"status\": \"LIVE\", \"category\": \"MARKETING\", \"components\": []}")
                .post("/sim/templates")
                .then().statusCode(400)
                .contentType("application/problem+json")
                .body("errors.field", hasItems("name", "status", "components"));
    }
}
