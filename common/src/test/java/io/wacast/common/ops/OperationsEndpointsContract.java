package io.wacast.common.ops;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;

import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

/**
 * What ops and Kubernetes rely on from every service: probes, Prometheus metrics and the API
 * description. Each service runs it as {@code @QuarkusTest class OperationsEndpointsTest extends
 * OperationsEndpointsContract {}} (common's test-jar).
 */
public abstract class OperationsEndpointsContract {

    @Test
    void readinessLivenessAndStartupReportUp() {
        given().get("/q/health/ready").then().statusCode(200).body("status", is("UP"));
        given().get("/q/health/live").then().statusCode(200).body("status", is("UP"));
        given().get("/q/health/started").then().statusCode(200).body("status", is("UP"));
    }

    @Test
    void metricsAreExposedForPrometheus() {
        given().get("/q/metrics").then().statusCode(200).body(containsString("jvm_memory_used_bytes"));
    }

    @Test
    void openApiDescribesTheService() {
        String name = ConfigProvider.getConfig().getValue("quarkus.application.name", String.class);
        given().accept("application/json").get("/q/openapi").then().statusCode(200)
                .body("info.title", is("wacast " + name));
    }
}
