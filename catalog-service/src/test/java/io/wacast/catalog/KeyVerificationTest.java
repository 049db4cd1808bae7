package io.wacast.catalog;

import static io.restassured.RestAssured.given;
import static io.wacast.catalog.Api.admin;
import static io.wacast.catalog.Api.as;
import static io.wacast.catalog.Api.keyOf;
import static io.wacast.catalog.Api.keyStore;
import static io.wacast.catalog.Api.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.startsWith;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * Keys are verified against the one key store, campaign-service (played here by {@link KeyStoreStandIn};
 * the system tests use the real one): who may call what, remembering, revocation, outages.
 */
@QuarkusTest
@QuarkusTestResource(KeyStoreStandIn.class)
class KeyVerificationTest {

    @Test
    void aRequestWithoutAKeyIsUnauthorizedWithABearerChallenge() {
        given().get("/api/whatsapp/catalogs").then().statusCode(401)
                .header("WWW-Authenticate", startsWith("Bearer"))
                .contentType("application/problem+json")
                .body("status", is(401)).body("detail", containsString("Authorization: Bearer"));
    }

    @Test
    void aKeyTheKeyStoreDoesNotKnowIsUnauthorized() {
        as("wck_not-a-key").get("/api/whatsapp/catalogs").then().statusCode(401)
                .contentType("application/problem+json")
                .body("detail", equalTo("the API key is unknown, revoked or expired"));
    }

    @Test
    void aViewerMayReadButNotWrite() {
        String viewer = keyOf("viewer");
        as(viewer).get("/api/whatsapp/catalogs").then().statusCode(200);
        as(viewer).body(Map.of("name", "x")).post("/api/whatsapp/catalogs").then().statusCode(403)
                .contentType("application/problem+json").body("type", is("https://wacast.io/problems/forbidden"));
    }

    @Test
    void anOperatorMayChangeTheCatalogButNotUseAdminResources() {
        String operator = keyOf("operator");
        as(operator).body(Map.of("name", unique("catalog"))).post("/api/whatsapp/catalogs").then().statusCode(201)
                .body("audit.createdBy", startsWith("operator "));
        as(operator).get("/api/whatsapp/parked-events").then().statusCode(403);
        as(keyOf("admin")).get("/api/whatsapp/parked-events").then().statusCode(200);
    }

    @Test
    void keysAreNoLongerManagedHere() {
        admin().get("/api/whatsapp/api-keys").then().statusCode(404);
    }

    @Test
    void aKeyRevokedAtTheKeyStoreIsRefusedOnceItsRememberedAnswerExpires() {
        String key = keyOf("operator");
        as(key).get("/api/whatsapp/catalogs").then().statusCode(200);
        keyStore().post("/revoke/" + key).then().statusCode(204);
        Awaitility.await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> as(key).get("/api/whatsapp/catalogs").then().statusCode(401));
    }

    @Test
    void theOperatorsAddressIsNamedToTheKeyStoreAndItsThrottlingIsPassedOn() {
        given().header("Authorization", "Bearer " + keyOf("viewer"))
                .header("X-Wacast-Client-Address", "203.0.113.77")
                .header("X-Wacast-Internal-Token", "test-internal-token")
                .get("/api/whatsapp/catalogs").then().statusCode(200);
        assertThat(keyStore().get("/last-address").asString()).isEqualTo("203.0.113.77");

        as("wck_test_throttled").get("/api/whatsapp/catalogs").then().statusCode(429)
                .contentType("application/problem+json")
                .header("Retry-After", "42");
    }

    @Test
    void whenTheKeyStoreIsDownAnUnknownKeyGetsA503NotA500() {
        keyStore().post("/down").then().statusCode(204);
        try {
            as(keyOf("viewer")).get("/api/whatsapp/catalogs").then().statusCode(503)
                    .contentType("application/problem+json")
                    .header("Retry-After", "5")
                    .body("title", equalTo("Key store unavailable"));
        } finally {
            keyStore().post("/up").then().statusCode(204);
        }
        Awaitility.await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> as(keyOf("viewer")).get("/api/whatsapp/catalogs").then().statusCode(200));
    }
}
