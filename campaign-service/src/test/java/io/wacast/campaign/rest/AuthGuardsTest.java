package io.wacast.campaign.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.startsWith;

import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;
import io.wacast.campaign.Api;
import io.wacast.common.auth.ClientAddress;

/** The failed-authentication limit per client address and the audit log of operator changes. */
@QuarkusTest
class AuthGuardsTest {

    private static final String AUDIT = "/api/whatsapp/audit-log";

    /** A request the console or catalog makes on behalf of an operator at {@code address}. */
    private static RequestSpecification from(String address, String key) {
        RequestSpecification request = given()
                .header(ClientAddress.FORWARDED_FOR, address)
                .header(ClientAddress.INTERNAL_TOKEN,
                        ConfigProvider.getConfig().getValue("wacast.api.internal-token", String.class));
        return key == null ? request : request.header("Authorization", "Bearer " + key);
    }

    private static String someAddress() {
        return "198.51." + ThreadLocalRandom.current().nextInt(0, 255) + "." + ThreadLocalRandom.current().nextInt(1, 255);
    }

    @Test
    void anAddressThatFailedTooOftenIsRefusedWith429EvenWithAValidKeyWhileOthersAreNot() {
        String guesser = someAddress();
        int maxFailures = ConfigProvider.getConfig().getOptionalValue("wacast.api.failed-auth.max-failures", Integer.class)
                .orElse(20);
        for (int i = 0; i < maxFailures; i++) {
            from(guesser, "wck_guess_" + i).get("/api/whatsapp/me").then().statusCode(401);
        }
        from(guesser, Api.bootstrapKey()).get("/api/whatsapp/me").then().statusCode(429)
                .contentType("application/problem+json")
                .header("Retry-After", not(equalTo(null)))
                .body("title", equalTo("Too many failed authentications"));
        from(someAddress(), Api.bootstrapKey()).get("/api/whatsapp/me").then().statusCode(200);
    }

    @Test
    void aForwardedAddressWithoutTheInternalTokenIsNotBelieved() {
        String named = someAddress();
        given().header(ClientAddress.FORWARDED_FOR, named).header(ClientAddress.INTERNAL_TOKEN, "not-the-token")
                .header("Authorization", "Bearer " + Api.bootstrapKey()).contentType("application/json")
                .body(Map.of("name", "forged address", "role", "viewer"))
                .post("/api/whatsapp/api-keys").then().statusCode(201);
        Api.admin().get(AUDIT + "?actor=bootstrap&size=1000").then().statusCode(200)
                .body("items.clientAddress", not(hasItem(named)));
    }

    @Test
    void everyChangeIsAuditedWithWhoWhatWhenAndWhereButReadsAreNot() {
        String operatorAddress = someAddress();
        String operator = Api.issueKey("operator");
        from(operatorAddress, operator).contentType("application/json")
                .body(Map.of("phone", "+919876543238", "name", "Asha"))
                .put("/api/whatsapp/contacts/+919876543238").then().statusCode(org.hamcrest.Matchers.lessThan(300));
        from(operatorAddress, operator).get("/api/whatsapp/contacts").then().statusCode(200);
        from(operatorAddress, "wck_wrong").contentType("application/json").body(Map.of())
                .post("/api/whatsapp/campaigns").then().statusCode(401);

        Api.admin().get(AUDIT + "?size=1000").then().statusCode(200)
                .body("items.findAll { it.clientAddress == '" + operatorAddress + "' }.size()", equalTo(2))
                .body("items.find { it.clientAddress == '" + operatorAddress + "' && it.method == 'PUT' }.actor",
                        equalTo("test operator"))
                .body("items.find { it.clientAddress == '" + operatorAddress + "' && it.method == 'PUT' }.actorRole",
                        equalTo("operator"))
                .body("items.find { it.clientAddress == '" + operatorAddress + "' && it.method == 'PUT' }.path",
                        equalTo("/api/whatsapp/contacts/+91******3238"))
                .body("items.find { it.clientAddress == '" + operatorAddress + "' && it.method == 'POST' }.actor",
                        equalTo(AuditTrail.ANONYMOUS))
                .body("items.find { it.clientAddress == '" + operatorAddress + "' && it.method == 'POST' }.status",
                        equalTo(401))
                .body("items.path", everyItem(not(containsString("9876543"))));
    }

    @Test
    void anotherServicesAuditEventIsWrittenOnceEvenWhenRedeliveredAndAnUnreadableRecordIsSkipped() throws Exception {
        String address = someAddress();
        io.wacast.common.event.AuditEvent event = io.wacast.common.event.AuditEvent.of("catalog-service",
                java.time.Instant.now(), "ops-anna", 42L, "operator", address, "DELETE", "/api/whatsapp/products/7", 204);
        String value = new com.fasterxml.jackson.databind.ObjectMapper().findAndRegisterModules().writeValueAsString(event);
        try (var producer = new org.apache.kafka.clients.producer.KafkaProducer<String, String>(Map.of(
                "bootstrap.servers", ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class),
                "acks", "all"), new org.apache.kafka.common.serialization.StringSerializer(),
                new org.apache.kafka.common.serialization.StringSerializer())) {
            producer.send(new org.apache.kafka.clients.producer.ProducerRecord<>(io.wacast.common.Topics.AUDIT,
                    "catalog-service", "not an audit event")).get();
            producer.send(new org.apache.kafka.clients.producer.ProducerRecord<>(io.wacast.common.Topics.AUDIT,
                    "catalog-service", value)).get();
            producer.send(new org.apache.kafka.clients.producer.ProducerRecord<>(io.wacast.common.Topics.AUDIT,
                    "catalog-service", value)).get(); // a redelivery
        }
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(60)).untilAsserted(() ->
                Api.admin().get(AUDIT + "?service=catalog-service&actor=ops-anna&size=1000").then().statusCode(200)
                        .body("items.findAll { it.clientAddress == '" + address + "' }.size()", equalTo(1))
                        .body("items.find { it.clientAddress == '" + address + "' }.path", equalTo("/api/whatsapp/products/7"))
                        .body("items.find { it.clientAddress == '" + address + "' }.actorKeyId", equalTo(42)));
    }

    @Test
    void onlyAdminsReadTheAuditLogAndItsFiltersAreChecked() {
        Api.as(Api.issueKey("operator")).get(AUDIT).then().statusCode(403).contentType("application/problem+json");
        Api.admin().get(AUDIT + "?since=yesterday").then().statusCode(400).body("errors[0].field", equalTo("since"));
        Api.admin().get(AUDIT + "?since=2026-12-05T10:00:00Z&until=2026-12-05T09:00:00Z").then().statusCode(400)
                .body("errors[0].field", equalTo("until"));
        Api.admin().get(AUDIT + "?actor=nobody-at-all").then().statusCode(200).body("total", equalTo(0));
        Api.admin().get(AUDIT + "?since=2000-01-01T00:00:00Z").then().statusCode(200)
                .body("items[0].at", startsWith("20"));
    }
}
