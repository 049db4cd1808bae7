package io.wacast.webhook.rest;

import static io.restassured.RestAssured.given;
import static io.wacast.webhook.MetaPayloads.T0;
import static io.wacast.webhook.rest.SignedDeliveries.deliver;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.is;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.junit.QuarkusTest;
import io.wacast.common.Topics;
import io.wacast.webhook.messaging.TopicTail;
import io.wacast.webhook.messaging.TopicTail.Received;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Account-level webhooks through the real endpoint and broker: signed like every delivery, published to
 * {@code wacast.account-signals} before the 200, and whatever wacast cannot use (an unknown field, an
 * unknown event, a malformed value) acknowledged with 200 and counted, never a 500.
 */
@QuarkusTest
class AccountSignalWebhookTest {

    private static final Duration KAFKA_WAIT = Duration.ofSeconds(15);

    @Inject
    ObjectMapper mapper;

    private TopicTail signals;

    @BeforeEach
    void tail() {
        signals = new TopicTail(Topics.ACCOUNT_SIGNALS);
    }

    @AfterEach
    void close() {
        signals.close();
    }

    @Test
    void aSignedTemplatePauseIsPublishedKeyedByTheAccountBeforeThe200() throws Exception {
        String waba = "waba-" + UUID.randomUUID();
        String body = body(waba, "message_template_status_update", """
                {"event":"PAUSED","message_template_id":1689556908129832,"message_template_name":"order_confirmation",\
                "message_template_language":"en_US","reason":"LOW_QUALITY"}""");

        deliver(body).statusCode(200).body("published", is(1)).body("ignored", is(0));

        List<Received> published = await().atMost(KAFKA_WAIT).until(() -> signals.matching(v -> v.contains(waba)),
                list -> list.size() == 1);
        assertThat(published.get(0).key()).isEqualTo(waba);
        assertThat(published.get(0).type()).isEqualTo("account-signal");
        JsonNode signal = mapper.readTree(published.get(0).value());
        assertThat(signal.path("field").asText()).isEqualTo("message_template_status_update");
        assertThat(signal.path("event").asText()).isEqualTo("PAUSED");
        assertThat(signal.path("templateName").asText()).isEqualTo("order_confirmation");
        assertThat(signal.path("schemaVersion").asInt()).isEqualTo(1);

        deliver(body).statusCode(200).body("published", is(0)).body("duplicates", is(1));
    }

    @Test
    void anUnsignedAccountUpdateIs401AndPublishesNothing() {
        String waba = "waba-" + UUID.randomUUID();
        String body = body(waba, "account_update", "{\"event\":\"DISABLED_UPDATE\",\"ban_info\":{\"waba_ban_state\":\"DISABLE\"}}");

        deliver(body, null).statusCode(401);
        deliver(body, "sha256=" + "0".repeat(64)).statusCode(401);

        assertThat(signals.matching(v -> v.contains(waba))).isEmpty();
    }

    @Test
    void unknownFieldsUnknownValuesAndMalformedValuesAre200AndCounted() {
        double unknownField = metric("wacast_webhook_ignored_total{reason=\"unknown_field\"}");
        double unknownValue = metric("wacast_webhook_ignored_total{reason=\"unknown_signal_value\"}");
        double unreadable = metric("wacast_webhook_ignored_total{reason=\"unreadable_entry\"}");
        String waba = "waba-" + UUID.randomUUID();

        deliver(body(waba, "security", "{\"event\":\"PIN_CHANGED\"}")).statusCode(200).body("ignored", is(1));
        deliver(body(waba, "phone_number_quality_update", "{\"display_phone_number\":\"15550000001\",\"event\":\"EXPLODED\"}"))
                .statusCode(200).body("ignored", is(1));
        deliver(body(waba, "message_template_quality_update", "{\"new_quality_score\":[1,2],\"message_template_id\":1}"))
                .statusCode(200).body("ignored", is(1));
        deliver(body(waba, "business_capability_update", "\"lots\"")).statusCode(200).body("ignored", is(1));

        assertThat(metric("wacast_webhook_ignored_total{reason=\"unknown_field\"}")).isEqualTo(unknownField + 1);
        assertThat(metric("wacast_webhook_ignored_total{reason=\"unknown_signal_value\"}")).isEqualTo(unknownValue + 1);
        assertThat(metric("wacast_webhook_ignored_total{reason=\"unreadable_entry\"}")).isEqualTo(unreadable + 2);
        assertThat(signals.matching(v -> v.contains(waba))).isEmpty();
    }

    private static String body(String waba, String field, String value) {
        return """
                {"entry":[{"id":"%s","time":%d,"changes":[{"value":%s,"field":"%s"}]}],\
                "object":"whatsapp_business_account"}""".formatted(waba, T0, value, field);
    }

    private static double metric(String series) {
        String text = given().get("/q/metrics").then().statusCode(200).extract().asString();
        return text.lines().filter(line -> line.startsWith(series + " ")).findFirst()
                .map(line -> Double.parseDouble(line.substring(series.length() + 1).trim()))
                .orElse(0.0);
    }
}
