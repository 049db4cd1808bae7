package io.wacast.catalog;

import static io.restassured.RestAssured.given;

import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * Test shortcuts for the operator API: requests with the bootstrap admin key, and catalogs and
 * products named uniquely per call, because every test run shares one database and one broker.
 */
final class Api {

    static String bootstrapKey() {
        return KeyStoreStandIn.BOOTSTRAP;
    }

    /** A key the key store stand-in accepts with {@code role} ({@link KeyStoreStandIn}). */
    static String keyOf(String role) {
        return "wck_test_" + role + "_" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** A producer to this test run's broker that waits for every replica (close it when done). */
    static org.apache.kafka.clients.producer.KafkaProducer<String, String> kafkaProducer() {
        return new org.apache.kafka.clients.producer.KafkaProducer<>(Map.of(
                org.apache.kafka.clients.producer.ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class),
                org.apache.kafka.clients.producer.ProducerConfig.ACKS_CONFIG, "all"),
                new org.apache.kafka.common.serialization.StringSerializer(),
                new org.apache.kafka.common.serialization.StringSerializer());
    }

    /** The key store stand-in's own endpoints ({@link KeyStoreStandIn}). */
    static RequestSpecification keyStore() {
        return given().baseUri(ConfigProvider.getConfig().getValue("wacast.api.key-store-url", String.class));
    }

    static RequestSpecification as(String key) {
        return given().contentType(ContentType.JSON).header("Authorization", "Bearer " + key);
    }

    static RequestSpecification admin() {
        return as(bootstrapKey());
    }

    static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 12);
    }

    /** A fresh Indian mobile number (+91 9xxxxxxxxx), unlikely to collide with any other test's. */
    static String uniquePhone() {
        return "+919" + String.format("%09d", ThreadLocalRandom.current().nextLong(1_000_000_000L));
    }

    static long createCatalog(String metaCatalogId) {
        Map<String, Object> body = new HashMap<>();
        body.put("name", unique("catalog"));
        body.put("metaCatalogId", metaCatalogId);
        return admin().body(body)
                .post("/api/whatsapp/catalogs").then().statusCode(201).extract().jsonPath().getLong("id");
    }

    static long createProduct(long catalogId, String retailerId, long priceMinor, int stock) {
        return admin().body(Map.of("catalogId", catalogId, "retailerId", retailerId, "name", "Bali 5 nights " + retailerId,
                        "priceMinor", priceMinor, "currency", "INR", "stock", stock, "variants", List.of()))
                .post("/api/whatsapp/products").then().statusCode(201).extract().jsonPath().getLong("id");
    }

    static long placeOrder(long catalogId, String retailerId, int quantity) {
        return admin().body(Map.of("customerPhone", uniquePhone(), "catalogId", catalogId,
                        "items", List.of(Map.of("retailerId", retailerId, "quantity", quantity))))
                .post("/api/whatsapp/orders").then().statusCode(201).extract().jsonPath().getLong("id");
    }

    private Api() {
    }
}
