package io.wacast.webhook.rest;

import static io.restassured.RestAssured.given;

import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import io.wacast.webhook.service.WebhookSignature;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ThreadLocalRandom;

/** Posts webhook bodies the way Meta does, signed with the test profile's app secrets. */
final class SignedDeliveries {

    static final String CURRENT_SECRET = "test-current-secret";
    static final String PREVIOUS_SECRET = "test-previous-secret";
    static final String PATH = "/webhooks/whatsapp";

    static ValidatableResponse deliver(String body) {
        return deliver(body, WebhookSignature.sign(body.getBytes(StandardCharsets.UTF_8), CURRENT_SECRET));
    }

    static ValidatableResponse deliver(String body, String signature) {
        var request = given().contentType(ContentType.JSON).body(body.getBytes(StandardCharsets.UTF_8));
        if (signature != null) {
            request.header("X-Hub-Signature-256", signature);
        }
        return request.post(PATH).then();
    }

    /** A campaign id no other test run uses, so records on the shared topics can be told apart. */
    static long uniqueCampaignId() {
        return ThreadLocalRandom.current().nextLong(1_000_000_000L, Long.MAX_VALUE / 2);
    }

    /** A user number no other test uses: the 91 country code and ten random digits. */
    static String uniqueUser() {
        return "91" + ThreadLocalRandom.current().nextLong(6_000_000_000L, 9_999_999_999L);
    }

    private SignedDeliveries() {
    }
}
