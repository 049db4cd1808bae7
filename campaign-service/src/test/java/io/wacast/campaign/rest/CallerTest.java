package io.wacast.campaign.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.aMapWithSize;
import static org.hamcrest.Matchers.equalTo;

import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import io.wacast.campaign.Api;

/** {@code GET /me}: every valid key learns its own name and role, nothing else does. */
@QuarkusTest
class CallerTest {

    private static final String ME = "/api/whatsapp/me";

    @ParameterizedTest
    @ValueSource(strings = { "admin", "operator", "viewer" })
    void aKeyOfAnyRoleLearnsItsNameAndRole(String role) {
        String name = "console " + role + " " + UUID.randomUUID();
        var issued = issue(name, role);
        String key = issued.path("key");
        int id = issued.path("id");

        Api.as(key).get(ME).then().statusCode(200)
                .contentType("application/json")
                .body("$", aMapWithSize(3)) // a key without expiry: no expiresAt
                .body("name", equalTo(name))
                .body("role", equalTo(role))
                .body("keyId", equalTo(id));
    }

    @Test
    void theBootstrapKeyIsTheBootstrapAdmin() {
        Api.as(Api.bootstrapKey()).get(ME).then().statusCode(200)
                .body("name", equalTo("bootstrap"))
                .body("role", equalTo("admin"));
    }

    @Test
    void aRequestWithoutKeyIsUnauthorized() {
        given().get(ME).then().statusCode(401)
                .contentType("application/problem+json")
                .header("WWW-Authenticate", "Bearer");
    }

    @Test
    void aRevokedKeyIsUnauthorized() {
        ExtractableResponse<Response> issued = issue("revoked " + UUID.randomUUID(), "viewer");
        String key = issued.path("key");
        Api.as(key).get(ME).then().statusCode(200);
        Api.admin().delete("/api/whatsapp/api-keys/" + issued.path("id")).then().statusCode(204);

        Api.as(key).get(ME).then().statusCode(401).contentType("application/problem+json");
    }

    private static ExtractableResponse<Response> issue(String name, String role) {
        return Api.admin().body(Map.of("name", name, "role", role)).post("/api/whatsapp/api-keys")
                .then().statusCode(201).extract();
    }
}
