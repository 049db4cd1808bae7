package io.wacast.campaign.rest;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;

import java.sql.SQLException;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.wacast.campaign.Api;

@QuarkusTest
class ApiKeysTest {

    private static final String KEYS = "/api/whatsapp/api-keys";

    @Inject
    AgroalDataSource dataSource;

    @Test
    void requestWithoutKeyIsRefusedWithBearerChallenge() {
        given().get(KEYS).then().statusCode(401)
                .contentType("application/problem+json")
                .header("WWW-Authenticate", "Bearer")
                .body("status", equalTo(401))
                .body("detail", startsWith("send an API key"));
    }

    @Test
    void unknownKeyIsRefused() {
        Api.as("wck_not_a_real_key").get(KEYS).then().statusCode(401)
                .header("WWW-Authenticate", "Bearer")
                .body("detail", equalTo("the API key is unknown, revoked or expired"));
    }

    @Test
    void issuedKeyIsShownOnceAndStoredOnlyAsItsHash() throws SQLException {
        var created = Api.admin().body(Map.of("name", "ops team", "role", "operator")).post(KEYS)
                .then().statusCode(201)
                .header("Location", startsWith("http"))
                .body("key", startsWith("wck_"))
                .body("role", equalTo("operator"))
                .extract();
        String key = created.path("key");
        int id = created.path("id");

        Api.admin().get(KEYS).then().statusCode(200)
                .body("id", hasItem(id))
                .body("find { it.id == " + id + " }.key", nullValue());
        try (var connection = dataSource.getConnection();
                var query = connection.prepareStatement("SELECT key_hash FROM api_keys WHERE id = ?")) {
            query.setLong(1, id);
            try (var rows = query.executeQuery()) {
                assertThat(rows.next()).isTrue();
                assertThat(rows.getString(1)).hasSize(64).isNotEqualTo(key).doesNotContain(key.substring(4));
            }
        }
    }

    @Test
    void revokedKeyStopsWorkingAtOnce() {
        String key = Api.issueKey("admin");
        Api.as(key).get(KEYS).then().statusCode(200);
        int id = Api.admin().get(KEYS).then().extract().path("find { it.name == 'test admin' && it.revokedAt == null }.id");

        Api.admin().delete(KEYS + "/" + id).then().statusCode(204);

        Api.admin().get(KEYS).then().body("find { it.id == " + id + " }.revokedAt", not(nullValue()));
        Api.as(key).get(KEYS).then().statusCode(401);
    }

    @Test
    void onlyAdminsManageKeys() {
        String operator = Api.issueKey("operator");
        String viewer = Api.issueKey("viewer");
        Api.as(operator).get(KEYS).then().statusCode(403).contentType("application/problem+json");
        Api.as(viewer).contentType("application/json").body(Map.of("name", "x", "role", "admin")).post(KEYS)
                .then().statusCode(403);
    }

    @Test
    void revokingAnUnknownKeyIsNotFound() {
        Api.admin().delete(KEYS + "/999999999").then().statusCode(404)
                .contentType("application/problem+json")
                .body("detail", equalTo("API key 999999999 does not exist"));
    }

    @Test
    void keyWithoutRoleIsRefusedNamingTheField() {
        Api.admin().body(Map.of("name", "no role")).post(KEYS).then().statusCode(400)
                .contentType("application/problem+json")
                .body("errors[0].field", equalTo("role"));
    }

    @Test
    void keyWithUnknownRoleIsRefusedNamingTheField() {
        Api.admin().body(Map.of("name", "bad role", "role", "superuser")).post(KEYS).then().statusCode(400)
                .contentType("application/problem+json")
                .body("errors[0].field", equalTo("role"))
                .body("errors[0].message", startsWith("unknown ApiRole 'superuser'"));
    }

    @Test
    void malformedJsonIsRefusedWithoutLeakingClassNames() {
        Api.admin().body("{\"name\": \"x\", ").post(KEYS).then().statusCode(400)
                .contentType("application/problem+json")
                .body("title", equalTo("Malformed JSON"))
                .body("detail", not(org.hamcrest.Matchers.containsString("com.fasterxml")));
    }

    @Test
    void anExpiredKeyIsRefusedAndListedAsExpired() throws SQLException {
        var created = Api.admin().body(Map.of("name", "short lived", "role", "viewer",
                "expiresAt", java.time.Instant.now().plusSeconds(3600).toString())).post(KEYS)
                .then().statusCode(201).body("state", equalTo("active")).body("expiresAt", not(nullValue())).extract();
        String key = created.path("key");
        int id = created.path("id");
        Api.as(key).get("/api/whatsapp/me").then().statusCode(200).body("keyId", equalTo(id))
                .body("expiresAt", not(nullValue()));

        try (var connection = dataSource.getConnection();
                var update = connection.prepareStatement("UPDATE api_keys SET expires_at = NOW(6) - INTERVAL 1 SECOND WHERE id = ?")) {
            update.setLong(1, id);
            assertThat(update.executeUpdate()).isEqualTo(1);
        }
        Api.as(key).get("/api/whatsapp/me").then().statusCode(401);
        Api.admin().get(KEYS).then().body("find { it.id == " + id + " }.state", equalTo("expired"));
    }

    @Test
    void aKeyCannotBeIssuedAlreadyExpiredOrForEver() {
        Api.admin().body(Map.of("name", "past", "role", "viewer", "expiresAt", "2020-01-01T00:00:00Z")).post(KEYS)
                .then().statusCode(400).contentType("application/problem+json")
                .body("errors[0].field", equalTo("expiresAt"))
                .body("errors[0].message", equalTo("must be in the future"));
        Api.admin().body(Map.of("name", "far", "role", "viewer", "expiresAt", "2099-01-01T00:00:00Z")).post(KEYS)
                .then().statusCode(400).body("errors[0].field", equalTo("expiresAt"));
    }

    @Test
    void aRotatedKeyWorksBesideItsReplacementForTheGracePeriodOnly() throws SQLException {
        var created = Api.admin().body(Map.of("name", "ci deploy", "role", "operator")).post(KEYS).then().statusCode(201).extract();
        String oldKey = created.path("key");
        int oldId = created.path("id");

        var rotated = Api.admin().body(Map.of("graceHours", 2)).post(KEYS + "/" + oldId + "/rotate")
                .then().statusCode(201)
                .body("name", equalTo("ci deploy"))
                .body("role", equalTo("operator"))
                .body("rotatedFrom", equalTo(oldId))
                .body("createdBy", equalTo("bootstrap"))
                .extract();
        String newKey = rotated.path("key");
        assertThat(newKey).isNotEqualTo(oldKey).startsWith("wck_");
        Api.as(newKey).get("/api/whatsapp/me").then().statusCode(200).body("name", equalTo("ci deploy"));
        Api.as(oldKey).get("/api/whatsapp/me").then().statusCode(200);
        Api.admin().get(KEYS).then().body("find { it.id == " + oldId + " }.expiresAt", not(nullValue()));

        try (var connection = dataSource.getConnection();
                var update = connection.prepareStatement("UPDATE api_keys SET expires_at = NOW(6) - INTERVAL 1 SECOND WHERE id = ?")) {
            update.setLong(1, oldId); // the grace period is over
            update.executeUpdate();
        }
        Api.as(oldKey).get("/api/whatsapp/me").then().statusCode(401);
        Api.as(newKey).get("/api/whatsapp/me").then().statusCode(200);
        Api.admin().body(Map.of()).post(KEYS + "/" + oldId + "/rotate").then().statusCode(409)
                .contentType("application/problem+json");
    }

    @Test
    void aRotationWithoutGraceEndsTheOldKeyAtOnceAndAnAbsurdGraceIsRefused() {
        var created = Api.admin().body(Map.of("name", "leaked", "role", "viewer")).post(KEYS).then().statusCode(201).extract();
        String oldKey = created.path("key");
        int oldId = created.path("id");
        Api.admin().body(Map.of("graceHours", 100000)).post(KEYS + "/" + oldId + "/rotate").then().statusCode(400)
                .body("errors[0].field", equalTo("graceHours"));
        Api.as(oldKey).get("/api/whatsapp/me").then().statusCode(200);

        String newKey = Api.admin().body(Map.of("graceHours", 0)).post(KEYS + "/" + oldId + "/rotate").then().statusCode(201)
                .extract().path("key");
        Api.as(oldKey).get("/api/whatsapp/me").then().statusCode(401);
        Api.as(newKey).get("/api/whatsapp/me").then().statusCode(200);
    }

    @Test
    void revocationRecordsWhoRevoked() {
        var created = Api.admin().body(Map.of("name", "to revoke", "role", "viewer")).post(KEYS).then().statusCode(201).extract();
        int id = created.path("id");
        Api.admin().delete(KEYS + "/" + id).then().statusCode(204);
        Api.admin().get(KEYS).then()
                .body("find { it.id == " + id + " }.revokedBy", equalTo("bootstrap"))
                .body("find { it.id == " + id + " }.state", equalTo("revoked"));
    }
}
