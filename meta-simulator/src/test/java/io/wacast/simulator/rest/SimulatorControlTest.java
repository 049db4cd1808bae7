package io.wacast.simulator.rest;

import static io.restassured.RestAssured.given;
import static io.wacast.simulator.Sim.orderUpdate;
import static io.wacast.simulator.Sim.phone;
import static io.wacast.simulator.Sim.send;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.is;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.wacast.simulator.Sim;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code /sim/config} and {@code /sim/reset}: how tests and benchmarks steer the simulation. */
@QuarkusTest
class SimulatorControlTest {

    @BeforeEach
    void reset() {
        Sim.reset();
    }

    @Test
    void aPartialUpdateChangesOnlyTheKnobsItNames() {
        given().contentType(ContentType.JSON).body("{\"throughputPerSecond\": 1000, \"outcomes\": {\"read\": 0.25}}")
                .put("/sim/config")
                .then().statusCode(200)
                .body("throughputPerSecond", is(1000))
                .body("outcomes.read", is(0.25f))
                .body("outcomes.delivered", is(1.0f));
        given().get("/sim/config").then().statusCode(200)
                .body("throughputPerSecond", is(1000))
                .body("pairRate.burst", is(5))
                .body("delays.sent.maxMs", is(5));
    }

    @Test
    void invalidSettingsAreRefusedAsProblemJsonAndChangeNothing() {
        given().contentType(ContentType.JSON)
                .body("{\"throughputPerSecond\": 0, \"outcomes\": {\"delivered\": 1.5}, \"latency\": {\"medianMs\": 50, \"p99Ms\": 10}}")
                .put("/sim/config")
                .then().statusCode(400)
                .contentType("application/problem+json")
                .body("status", is(400))
                .body("errors.field", hasItems("throughputPerSecond", "outcomes.delivered", "latency.p99Ms"));
        given().get("/sim/config").then().body("throughputPerSecond", is(1000));
    }

    @Test
    void anUnknownSettingIsNamedInTheProblem() {
        given().contentType(ContentType.JSON).body("{\"outcomes\": {\"bounce\": 0.1}}").put("/sim/config")
                .then().statusCode(400)
                .contentType("application/problem+json")
                .body("errors[0].field", is("outcomes.bounce"));
    }

    @Test
    void malformedJsonIsAProblemNotAServerError() {
        given().contentType(ContentType.JSON).body("{\"throughputPerSecond\": ").put("/sim/config")
                .then().statusCode(400).contentType("application/problem+json");
    }

    @Test
    void resetClearsEveryCounter() {
        send(orderUpdate(phone(1), "wc:50:1")).then().statusCode(200);
        send(orderUpdate(phone("0049"), "wc:50:2")).then().statusCode(400);
        given().get("/sim/stats").then().body("acceptedCalls", is(1)).body("rejectedCalls", is(1));

        given().post("/sim/reset").then().statusCode(204);

        given().get("/sim/stats").then()
                .body("acceptedCalls", is(0))
                .body("rejectedCalls", is(0))
                .body("numbers[0].callsAdmitted", is(0))
                .body("numbers[0].maxCallsInAnyOneSecondWindow", is(0))
                .body("webhooksPending", is(0))
                .body("campaigns.size()", is(0));
        given().get("/sim/stats?campaignId=50").then().body("acceptedCalls", is(0)).body("campaignId", is(50));
    }

    @Test
    void theControlEndpointsAreDescribedInOpenApi() {
        given().accept("application/json").get("/q/openapi").then().statusCode(200)
                .body("paths.keySet()", hasItem("/sim/config"));
    }
}
