package io.wacast.simulator;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;

/** What ops and Kubernetes rely on: probes, Prometheus metrics and the API description. */
@QuarkusTest
class OperationsEndpointsTest {

    @Test
    void readinessAndLivenessReportUp() {
        given().get("/q/health/ready").then().statusCode(200).body("status", is("UP"));
        given().get("/q/health/live").then().statusCode(200).body("status", is("UP"));
    }

    @Test
    void metricsAreExposedForPrometheus() {
        given().get("/q/metrics").then().statusCode(200).body(containsString("jvm_memory_used_bytes"));
    }

    @Test
    void openApiDescribesTheService() {
        given().accept("application/json").get("/q/openapi").then().statusCode(200)
                .body("info.title", is("wacast meta-simulator"));
    }
}
