package io.wacast.campaign.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.wacast.campaign.Api;
import io.wacast.campaign.EventPublisher;
import io.wacast.campaign.KafkaTopicsTestResource;
import io.wacast.common.Topics;
import io.wacast.common.event.AccountSignal;

/**
 * The registry of business numbers (test profile: 100000000000008, display +1 555 000 0008, cap 250, its
 * token in the secret WACAST_META_ACCESS_TOKEN_SHOP8): listed with what the webhooks say, the token's
 * secret named and the token never shown, and Meta's throughput upgrade raising the cap shown.
 */
@QuarkusTest
@QuarkusTestResource(KafkaTopicsTestResource.class)
class NumberRegistryTest {

    private static final String DISPLAY = "15550000008";

    @Inject
    ObjectMapper json;
    @Inject
    AgroalDataSource dataSource;

    /** The number as registered, not upgraded yet: this test's own upgrade of an earlier run forgotten. */
    @BeforeEach
    void noWebhookYet() throws Exception {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            statement.executeUpdate("UPDATE whatsapp_numbers SET throughput_upgraded = FALSE, current_limit = NULL"
                    + " WHERE display_phone_number = '" + DISPLAY + "'");
        }
    }

    @Test
    void aRegisteredNumberIsListedWithItsTokensSecretNameAndCapAndAnUpgradeRaisesTheCap() throws Exception {
        Map<String, Object> number = number();
        assertThat(number).containsEntry("phoneNumberId", "100000000000008").containsEntry("wabaId", "200000000000008")
                .containsEntry("capPerSecond", 250).containsEntry("accessTokenRef", "WACAST_META_ACCESS_TOKEN_SHOP8")
                .containsEntry("registered", true);
        String body = Api.admin().get("/api/whatsapp/numbers").then().statusCode(200).extract().asString();
        assertThat(body).doesNotContain("accessToken\"").doesNotContain(System.getenv().getOrDefault(
                "WACAST_META_ACCESS_TOKEN", "no-token-in-this-environment"));

        try (EventPublisher publish = new EventPublisher(json)) {
            AccountSignal upgrade = new AccountSignal(UUID.randomUUID().toString(), AccountSignal.SCHEMA_VERSION,
                    AccountSignal.NUMBER_QUALITY, "200000000000008", "THROUGHPUT_UPGRADE", null, null, null, null, null,
                    "TIER_UNLIMITED", null, DISPLAY, null, List.of(), Instant.now(), Instant.now());
            publish.send(Topics.ACCOUNT_SIGNALS, "200000000000008", json.writeValueAsString(upgrade),
                    Topics.EVENT_TYPE_ACCOUNT_SIGNAL);
        }

        await().atMost(Duration.ofSeconds(30)).until(() -> Boolean.TRUE.equals(number().get("throughputUpgraded")));
        assertThat(number()).containsEntry("capPerSecond", 1000).containsEntry("lastEvent", "THROUGHPUT_UPGRADE")
                .containsEntry("accessTokenRef", "WACAST_META_ACCESS_TOKEN_SHOP8").containsEntry("registered", true);
    }

    @Test
    void aTokenRefMustNameASecretNotHoldAToken() {
        assertThat(NumberRegistry.TOKEN_REF.matcher("WACAST_META_ACCESS_TOKEN_SHOP8").matches()).isTrue();
        assertThat(NumberRegistry.TOKEN_REF.matcher("EAAGm0PX4ZCpsBAxyz123").matches()).isFalse();
        assertThat(NumberRegistry.TOKEN_REF.matcher("wacast_token").matches()).isFalse();
        assertThat(NumberRegistry.TOKEN_REF.matcher("").matches()).isFalse();
    }

    private static Map<String, Object> number() {
        JsonPath numbers = Api.admin().get("/api/whatsapp/numbers").then().statusCode(200).extract().jsonPath();
        return numbers.getMap("numbers.find { it.displayPhoneNumber == '" + DISPLAY + "' }");
    }
}
