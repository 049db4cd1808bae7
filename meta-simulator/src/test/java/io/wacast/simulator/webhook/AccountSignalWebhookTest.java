package io.wacast.simulator.webhook;

import static io.restassured.RestAssured.given;
import static io.wacast.simulator.Sim.phone;
import static io.wacast.simulator.Sim.send;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.wacast.simulator.Sim;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Account-level webhooks played through {@code PUT /sim/config {"signals":[…]}}: in Meta's documented
 * shapes, signed like every webhook, at once or when a template's accepted messages reach a share of a
 * campaign, and a paused template refused (132015) from that moment.
 */
@QuarkusTest
class AccountSignalWebhookTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration PATIENCE = Duration.ofSeconds(15);

    private WebhookReceiver receiver;
    private String template;

    @BeforeEach
    void receiveWebhooksAndRegisterATemplate() {
        receiver = new WebhookReceiver(WebhookReceiver.freePort()).start();
        Sim.reset("{\"webhooks\": {\"url\": \"" + receiver.url() + "\"}, \"outcomes\": {\"delivered\": 0, \"read\": 0,"
                + " \"reply\": 0, \"optOut\": 0, \"order\": 0}}");
        template = "signal_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        given().contentType(ContentType.JSON).body("""
                {"name":"%s","language":"en_US","status":"APPROVED","category":"MARKETING",
                 "components":[{"type":"BODY","text":"Hello {{1}}"}]}""".formatted(template))
                .post("/sim/templates").then().statusCode(200);
    }

    @AfterEach
    void stopReceiver() {
        receiver.close();
    }

    @Test
    void aTemplatePausedAtFortyPercentIsRefusedFromThenOnAndItsSignedWebhookHasMetasShape() throws Exception {
        Sim.configure("""
                {"signals":[{"field":"message_template_status_update","template":"%s","event":"PAUSED",
                 "reason":"LOW_QUALITY","atPercent":40,"ofMessages":10}]}""".formatted(template));

        for (int i = 0; i < 4; i++) {
            send(message(i)).then().statusCode(200);
        }
        send(message(4)).then().statusCode(400).body("error.code", org.hamcrest.Matchers.is(132015));

        JsonNode change = await().atMost(PATIENCE).until(() -> changes("message_template_status_update"), l -> l.size() == 1).get(0);
        assertThat(change.path("event").asText()).isEqualTo("PAUSED");
        assertThat(change.path("message_template_name").asText()).isEqualTo(template);
        assertThat(change.path("message_template_language").asText()).isEqualTo("en_US");
        assertThat(change.path("message_template_id").isIntegralNumber()).isTrue();
        assertThat(change.path("reason").asText()).isEqualTo("LOW_QUALITY");
        WebhookReceiver.Received request = receiver.received().stream()
                .filter(r -> new String(r.body(), StandardCharsets.UTF_8).contains("message_template_status_update"))
                .findFirst().orElseThrow();
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(Sim.APP_SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        assertThat(request.header("X-Hub-Signature-256")).isEqualTo("sha256=" + HexFormat.of().formatHex(mac.doFinal(request.body())));
        JsonNode body = JSON.readTree(request.body());
        assertThat(body.at("/entry/0/id").asText()).isEqualTo(Sim.WABA_ID);
        assertThat(body.at("/entry/0/time").isIntegralNumber()).isTrue();
        JsonNode armed = JSON.readTree(given().get("/sim/signals").then().statusCode(200).extract().asString());
        assertThat(armed.get(0).path("fired").asBoolean()).isTrue();
        assertThat(armed.get(0).path("accepted").asLong()).isEqualTo(4);

        Sim.configure("""
                {"signals":[{"field":"message_template_status_update","template":"%s","event":"APPROVED"}]}""".formatted(template));
        send(message(5)).then().statusCode(200);
    }

    @Test
    void qualityCategoryNumberCapabilityAndAccountWebhooksGoAtOnceInMetasShapes() {
        Sim.configure("""
                {"signals":[
                 {"field":"message_template_quality_update","template":"%1$s","quality":"RED"},
                 {"field":"template_category_update","template":"%1$s","category":"UTILITY","impending":true},
                 {"field":"template_category_update","template":"%1$s","category":"UTILITY"},
                 {"field":"phone_number_quality_update","event":"FLAGGED","currentLimit":"TIER_10K","messagingLimitTier":"TIER_2K"},
                 {"field":"business_capability_update","messagingLimit":10000},
                 {"field":"account_update","event":"ACCOUNT_RESTRICTION","restrictions":["RESTRICTED_BIZ_INITIATED_MESSAGING"]}]}"""
                .formatted(template));

        await().atMost(PATIENCE).until(() -> receiver.received().size() == 6);
        JsonNode quality = changes("message_template_quality_update").get(0);
        assertThat(quality.path("previous_quality_score").asText()).isEqualTo("UNKNOWN");
        assertThat(quality.path("new_quality_score").asText()).isEqualTo("RED");
        List<JsonNode> categories = changes("template_category_update");
        assertThat(categories).anySatisfy(c -> {
            assertThat(c.path("correct_category").asText()).isEqualTo("UTILITY");
            assertThat(c.path("new_category").asText()).isEqualTo("MARKETING");
            assertThat(c.path("category_update_timestamp").isIntegralNumber()).isTrue();
        });
        assertThat(categories).anySatisfy(c -> {
            assertThat(c.path("previous_category").asText()).isEqualTo("MARKETING");
            assertThat(c.path("new_category").asText()).isEqualTo("UTILITY");
        });
        JsonNode number = changes("phone_number_quality_update").get(0);
        assertThat(number.path("display_phone_number").asText()).isEqualTo("15550000001");
        assertThat(number.path("event").asText()).isEqualTo("FLAGGED");
        assertThat(number.path("max_daily_conversations_per_business").asText()).isEqualTo("TIER_2K");
        assertThat(changes("business_capability_update").get(0).path("max_daily_conversations_per_business").asLong()).isEqualTo(10000);
        JsonNode account = changes("account_update").get(0);
        assertThat(account.at("/restriction_info/0/restriction_type").asText()).isEqualTo("RESTRICTED_BIZ_INITIATED_MESSAGING");
        assertThat(account.at("/restriction_info/0/expiration").asText()).isNotBlank();
    }

    @Test
    void aSignalOfAnUnknownFieldOrTemplateIsRefusedWithTheFieldNamedAndNothingIsSent() {
        given().contentType(ContentType.JSON).body("""
                {"signals":[{"field":"message_template_status_update","template":"%s","event":"PAUSED"},
                            {"field":"teleport","event":"X"},
                            {"field":"message_template_status_update","template":"no_such_template","event":"PAUSED"},
                            {"field":"message_template_status_update","template":"%1$s","event":"PAUSED","atPercent":0}]}"""
                .formatted(template)).put("/sim/config").then().statusCode(400)
                .contentType("application/problem+json")
                .body("errors.field", org.hamcrest.Matchers.hasItems("signals[1].field", "signals[2].template", "signals[3].atPercent"));

        send(message(0)).then().statusCode(200);
        assertThat(given().get("/sim/signals").then().extract().jsonPath().getList("$")).isEmpty();
    }

    private List<JsonNode> changes(String field) {
        return receiver.received().stream().map(r -> {
            try {
                return JSON.readTree(r.body());
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }).filter(b -> b.at("/entry/0/changes/0/field").asText().equals(field))
                .map(b -> b.at("/entry/0/changes/0/value")).toList();
    }

    private String message(int n) {
        return """
                {"messaging_product":"whatsapp","to":"%s","type":"template",
                 "template":{"name":"%s","language":{"code":"en_US"},
                   "components":[{"type":"body","parameters":[{"type":"text","text":"A"}]}]}}""".formatted(phone(n), template);
    }
}
