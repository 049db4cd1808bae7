package io.wacast.catalog;

import static io.wacast.catalog.Api.admin;
import static io.wacast.catalog.Api.createCatalog;
import static io.wacast.catalog.Api.createProduct;
import static io.wacast.catalog.Api.unique;
import static io.wacast.catalog.Api.uniquePhone;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.is;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import io.wacast.common.Topics;
import io.wacast.common.event.OrderEvent;
import io.wacast.common.event.OrderEvent.Item;
import jakarta.inject.Inject;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * An order event that fails the same way every time must not stop the orders after it: it is parked
 * with its reason, listed for an operator, and can be replayed once the cause is fixed.
 */
@QuarkusTest
class ParkedOrderEventsTest {

    private static KafkaProducer<String, String> producer;

    @Inject
    ObjectMapper json;

    @Inject
    AgroalDataSource dataSource;

    @BeforeAll
    static void connect() {
        producer = Api.kafkaProducer();
    }

    @AfterAll
    static void disconnect() {
        producer.close(Duration.ofSeconds(5));
    }

    @Test
    void aPoisonEventBetweenGoodOnesIsParkedListedAndReplayableWhileTheGoodOnesAreApplied() throws Exception {
        String metaCatalogId = String.valueOf(System.nanoTime());
        long catalogId = createCatalog(metaCatalogId);
        String cheap = unique("cheap");
        String legacy = unique("legacy");
        createProduct(catalogId, cheap, 1_000, 10);
        long legacyId = createProduct(catalogId, legacy, 1_000, 10);
        setPrice(legacyId, Long.MAX_VALUE); // stored before prices had a maximum: two of it overflow the total
        String phone = uniquePhone();
        double parkedBefore = metric("wacast_catalog_events_parked_total");

        send(phone, event(phone, metaCatalogId, cheap, 1));
        OrderEvent poison = event(phone, metaCatalogId, legacy, 2);
        RecordMetadata poisonAt = send(phone, poison);
        send(phone, event(phone, metaCatalogId, cheap, 2));

        await().atMost(Duration.ofSeconds(30)).until(() -> ordersOf(phone).getInt("total") == 2);
        assertThat(ordersOf(phone).getList("items.items.quantity.flatten()", Integer.class)).containsExactly(1, 2);
        await().atMost(Duration.ofSeconds(10)).until(() -> parkedFor(poison) != null);
        Map<String, Object> parked = parkedFor(poison);
        assertThat(parked.get("topic")).isEqualTo(Topics.ORDERS);
        assertThat(((Number) parked.get("partition")).intValue()).isEqualTo(poisonAt.partition());
        assertThat(((Number) parked.get("offset")).longValue()).isEqualTo(poisonAt.offset());
        assertThat(parked.get("key")).isEqualTo(phone);
        assertThat((String) parked.get("reason")).contains("total");
        assertThat(parked.get("parkedAt")).isNotNull();
        assertThat(parked.get("replayedAt")).isNull();
        // At least: a fresh test group reads the topic from the start and may park earlier runs' poison too.
        assertThat(metric("wacast_catalog_events_parked_total")).isGreaterThanOrEqualTo(parkedBefore + 1);

        long parkedId = ((Number) parked.get("id")).longValue();
        admin().post("/api/whatsapp/parked-events/" + parkedId + "/replay").then().statusCode(422)
                .contentType("application/problem+json");
        setPrice(legacyId, 2_000);
        admin().post("/api/whatsapp/parked-events/" + parkedId + "/replay").then().statusCode(200)
                .body("replayedAt", org.hamcrest.Matchers.notNullValue());

        assertThat(ordersOf(phone).getInt("total")).isEqualTo(3);
        assertThat(ordersOf(phone).getList("items.messageId")).contains(poison.messageId());
        admin().post("/api/whatsapp/parked-events/" + parkedId + "/replay").then().statusCode(409);
    }

    @Test
    void onlyAdminsSeeParkedEvents() {
        String viewer = Api.keyOf("viewer");

        Api.as(viewer).get("/api/whatsapp/parked-events").then().statusCode(403);
        admin().get("/api/whatsapp/parked-events").then().statusCode(200);
        admin().post("/api/whatsapp/parked-events/999999999/replay").then().statusCode(404)
                .body("status", is(404));
    }

    private RecordMetadata send(String phone, OrderEvent event) throws Exception {
        return producer.send(new ProducerRecord<>(Topics.ORDERS, phone, json.writeValueAsString(event))).get();
    }

    private static OrderEvent event(String phone, String metaCatalogId, String sku, int quantity) {
        return OrderEvent.of(unique("wamid.PARK"), "100000000000001", phone.substring(1), metaCatalogId,
                List.of(new Item(sku, quantity, new BigDecimal("10.00"), "INR")), null, null, null, Instant.now(),
                Instant.now());
    }

    private void setPrice(long productId, long priceMinor) throws Exception {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement update = connection.prepareStatement("UPDATE product SET price_minor = ? WHERE id = ?")) {
            update.setLong(1, priceMinor);
            update.setLong(2, productId);
            update.executeUpdate();
        }
    }

    private static JsonPath ordersOf(String phone) {
        return admin().queryParam("customerPhone", phone).get("/api/whatsapp/orders").then().statusCode(200)
                .extract().jsonPath();
    }

    private static Map<String, Object> parkedFor(OrderEvent event) {
        List<Map<String, Object>> items = admin().queryParam("size", 100).get("/api/whatsapp/parked-events").then()
                .statusCode(200).extract().jsonPath().getList("items");
        return items.stream().filter(item -> String.valueOf(item.get("payload")).contains(event.eventId())).findFirst()
                .orElse(null);
    }

    private static double metric(String series) {
        String text = RestAssured.given().get("/q/metrics").then().statusCode(200).extract().asString();
        return text.lines().filter(line -> line.startsWith(series + " ") || line.startsWith(series + "{"))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1).trim())).sum();
    }
}
