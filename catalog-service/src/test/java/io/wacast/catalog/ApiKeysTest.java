package io.wacast.catalog;

import static io.restassured.RestAssured.given;
import static io.wacast.catalog.Api.admin;
import static io.wacast.catalog.Api.as;
import static io.wacast.catalog.Api.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.startsWith;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The API-key scheme: who may call what, and what is stored of a key. */
@QuarkusTest
class ApiKeysTest {

    private static String issue(String role) {
        return admin().body(Map.of("name", unique(role), "role", role)).post("/api/whatsapp/api-keys")
                .then().statusCode(201).body("key", startsWith("wck_")).extract().path("key");
    }

    @Test
    void aRequestWithoutAKeyIsUnauthorizedWithABearerChallenge() {
        given().get("/api/whatsapp/catalogs").then().statusCode(401)
                .header("WWW-Authenticate", startsWith("Bearer"))
                .contentType("application/problem+json")
                .body("status", is(401)).body("detail", containsString("Authorization: Bearer"));
    }

    @Test
    void anUnknownKeyIsUnauthorized() {
        as("wck_not-a-key").get("/api/whatsapp/catalogs").then().statusCode(401)
                .body("detail", containsString("unknown or revoked"));
    }

    @Test
    void aViewerMayReadButNotWrite() {
        String viewer = issue("viewer");

        as(viewer).get("/api/whatsapp/catalogs").then().statusCode(200);
        as(viewer).body(Map.of("name", "x")).post("/api/whatsapp/catalogs").then().statusCode(403)
                .contentType("application/problem+json").body("type", is("https://wacast.io/problems/forbidden"));
    }

    @Test
    void anOperatorMayChangeTheCatalogButNotManageKeys() {
        String operator = issue("operator");

        as(operator).body(Map.of("name", unique("catalog"))).post("/api/whatsapp/catalogs").then().statusCode(201);
        as(operator).get("/api/whatsapp/api-keys").then().statusCode(403);
    }

    @Test
    void aRevokedKeyStopsWorkingAtOnce() {
        JsonPath created = admin().body(Map.of("name", unique("revoked"), "role", "operator"))
                .post("/api/whatsapp/api-keys").then().statusCode(201).extract().jsonPath();
        String key = created.getString("key");
        as(key).get("/api/whatsapp/catalogs").then().statusCode(200);

        admin().delete("/api/whatsapp/api-keys/" + created.getLong("id")).then().statusCode(200)
                .body("revokedBy", equalTo("bootstrap"));

        as(key).get("/api/whatsapp/catalogs").then().statusCode(401);
    }

    @Test
    void theKeyIsShownOnceAndOnlyItsHashIsKept() {
        String name = unique("listed");
        String key = admin().body(Map.of("name", name, "role", "viewer")).post("/api/whatsapp/api-keys")
                .then().statusCode(201).extract().path("key");

        String listing = admin().get("/api/whatsapp/api-keys").then().statusCode(200).extract().asString();

        assertThat(listing).contains(name).doesNotContain(key).doesNotContain("keyHash");
    }

    @Test
    void theAuditFieldsNameTheKeyThatMadeTheChange() {
        String operatorName = unique("auditor");
        String operator = admin().body(Map.of("name", operatorName, "role", "operator")).post("/api/whatsapp/api-keys")
                .then().statusCode(201).extract().path("key");

        as(operator).body(Map.of("name", unique("catalog"))).post("/api/whatsapp/catalogs").then().statusCode(201)
                .body("audit.createdBy", is(operatorName)).body("audit.updatedBy", is(operatorName));
    }

    @Test
    void aSecondKeyWithTheSameNameIsAConflict() {
        String name = unique("twice");
        admin().body(Map.of("name", name, "role", "viewer")).post("/api/whatsapp/api-keys").then().statusCode(201);

        admin().body(Map.of("name", name, "role", "viewer")).post("/api/whatsapp/api-keys").then().statusCode(409)
                .body("errors[0].field", is("name"));
    }
}
