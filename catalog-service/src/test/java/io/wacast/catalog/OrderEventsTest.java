package io.wacast.catalog;

import static io.wacast.catalog.Api.admin;
import static io.wacast.catalog.Api.createCatalog;
import static io.wacast.catalog.Api.createProduct;
import static io.wacast.catalog.Api.unique;
import static io.wacast.catalog.Api.uniquePhone;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.wacast.common.Topics;
import io.wacast.common.event.OrderEvent;
import io.wacast.common.event.OrderEvent.Item;
import jakarta.inject.Inject;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * WhatsApp order messages arriving on the real {@code wacast.orders} topic. Each test uses its own
 * catalog, phone numbers and message ids, since other tests publish to the same topic.
 */
@QuarkusTest
class OrderEventsTest {

    private static KafkaProducer<String, String> producer;

    @Inject
    ObjectMapper json;

    @BeforeAll
    static void connect() {
        producer = Api.kafkaProducer();
    }

    @AfterAll
    static void disconnect() {
        producer.close(Duration.ofSeconds(5));
    }

    private void publish(String phone, Object payload) throws Exception {
        String value = payload instanceof String text ? text : json.writeValueAsString(payload);
        producer.send(new ProducerRecord<>(Topics.ORDERS, phone, value)).get();
    }

    private static OrderEvent event(String from, String metaCatalogId, List<Item> items, Long campaignId, String contextWamid) {
        return OrderEvent.of(unique("wamid.ORDER"), "100000000000001", from, metaCatalogId, items, "for two",
                contextWamid, campaignId, Instant.now(), Instant.now());
    }

    private static JsonPath ordersOf(String phone) {
        return admin().queryParam("customerPhone", phone).get("/api/whatsapp/orders").then().statusCode(200)
                .extract().jsonPath();
    }

    private static JsonPath awaitOrdersOf(String phone, int count) {
        await().atMost(Duration.ofSeconds(20)).until(() -> ordersOf(phone).getInt("total") == count);
        return ordersOf(phone);
    }

    @Test
    void anOrderMessageBecomesAnOrderPricedFromTheCatalogWithTheCampaignAndStockHeld() throws Exception {
        String metaCatalogId = String.valueOf(System.nanoTime());
        long catalogId = createCatalog(metaCatalogId);
        String sku = unique("bali");
        long productId = createProduct(catalogId, sku, 4_500_000, 10);
        String phone = uniquePhone();

        publish(phone, event(phone.substring(1), metaCatalogId, List.of(new Item(sku, 2, new BigDecimal("45000.00"), "INR")),
                42L, "wamid.CAMPAIGN"));

        JsonPath order = awaitOrdersOf(phone, 1);
        order.setRootPath("items[0]");
        org.assertj.core.api.Assertions.assertThat(order.getString("status")).isEqualTo("pending");
        org.assertj.core.api.Assertions.assertThat(order.getLong("campaignId")).isEqualTo(42L);
        org.assertj.core.api.Assertions.assertThat(order.getString("contextWamid")).isEqualTo("wamid.CAMPAIGN");
        org.assertj.core.api.Assertions.assertThat(order.getLong("totalMinor")).isEqualTo(9_000_000L);
        org.assertj.core.api.Assertions.assertThat(order.getBoolean("flagged")).isFalse();
        org.assertj.core.api.Assertions.assertThat(order.getString("source")).isEqualTo("whatsapp");
        org.assertj.core.api.Assertions.assertThat(order.getString("audit.createdBy")).isEqualTo("kafka:wacast.orders");
        admin().get("/api/whatsapp/products/" + productId).then().body("reserved", is(2));
        io.restassured.RestAssured.given().get("/q/metrics").then()
                .body(org.hamcrest.Matchers.containsString("wacast_catalog_orders_created_total{source=\"whatsapp\"}"));
    }

    @Test
    void aPriceThatDiffersFromTheCatalogIsFlaggedAndBothPricesAreKept() throws Exception {
        String metaCatalogId = String.valueOf(System.nanoTime());
        long catalogId = createCatalog(metaCatalogId);
        String sku = unique("visa");
        createProduct(catalogId, sku, 300_000, 10);
        String phone = uniquePhone();

        publish(phone, event(phone.substring(1), metaCatalogId, List.of(new Item(sku, 1, new BigDecimal("2500.5"), "INR")),
                null, null));

        awaitOrdersOf(phone, 1);
        admin().queryParam("customerPhone", phone).get("/api/whatsapp/orders").then()
                .body("items[0].flagged", is(true))
                .body("items[0].flags", contains("price_mismatch"))
                .body("items[0].totalMinor", is(300_000))
                .body("items[0].items[0].unitPriceMinor", is(300_000))
                .body("items[0].items[0].customerUnitPriceMinor", is(250_050))
                .body("items[0].items[0].reservedQuantity", is(1))
                .body("items[0].campaignId", nullValue());
    }

    @Test
    void anUnknownProductIsKeptAndFlaggedWhileKnownItemsAreReserved() throws Exception {
        String metaCatalogId = String.valueOf(System.nanoTime());
        long catalogId = createCatalog(metaCatalogId);
        String sku = unique("known");
        long productId = createProduct(catalogId, sku, 1_000, 1);
        String phone = uniquePhone();

        publish(phone, event(phone.substring(1), metaCatalogId, List.of(
                new Item(sku, 2, new BigDecimal("10.00"), "INR"),
                new Item("no-such-sku", 1, new BigDecimal("5"), "INR"),
                new Item(sku + "-zero", 0, new BigDecimal("5"), "INR")), null, null));

        awaitOrdersOf(phone, 1);
        admin().queryParam("customerPhone", phone).get("/api/whatsapp/orders").then()
                .body("items[0].flags", containsInAnyOrder("unknown_product", "out_of_stock", "invalid_quantity"))
                .body("items[0].items.retailerId", contains(sku, "no-such-sku", sku + "-zero"))
                .body("items[0].items[0].flags", contains("out_of_stock"))
                .body("items[0].items[1].flags", contains("unknown_product"))
                .body("items[0].items[2].flags", containsInAnyOrder("unknown_product", "invalid_quantity"));
        admin().get("/api/whatsapp/products/" + productId).then().body("reserved", is(0));
    }

    @Test
    void anOrderFromAnUnknownCatalogIsKeptAndFlagged() throws Exception {
        String phone = uniquePhone();

        publish(phone, event(phone.substring(1), "unknown-" + System.nanoTime(),
                List.of(new Item("whatever", 1, new BigDecimal("1"), "USD")), 7L, null));

        awaitOrdersOf(phone, 1);
        admin().queryParam("customerPhone", phone).get("/api/whatsapp/orders").then()
                .body("items[0].flags", containsInAnyOrder("unknown_catalog", "unknown_product"))
                .body("items[0].catalogId", nullValue())
                .body("items[0].campaignId", is(7))
                // nothing in it has a catalog price: its total is unknown, not 0
                .body("items[0].totalMinor", nullValue())
                .body("items[0].currency", nullValue());
    }

    @Test
    void aReplayedEventOrARepublishedMessageCreatesNothingNew() throws Exception {
        String metaCatalogId = String.valueOf(System.nanoTime());
        long catalogId = createCatalog(metaCatalogId);
        String sku = unique("replay");
        long productId = createProduct(catalogId, sku, 1_000, 10);
        String phone = uniquePhone();
        OrderEvent original = event(phone.substring(1), metaCatalogId, List.of(new Item(sku, 1, new BigDecimal("10"), "INR")),
                null, null);
        OrderEvent sameMessageNewEvent = new OrderEvent(UUID.randomUUID().toString(), 1, original.messageId(),
                original.phoneNumberId(), original.from(), original.catalogId(), original.items(), original.text(), null, null,
                original.metaTimestamp(), Instant.now());
        OrderEvent marker = event(phone.substring(1), metaCatalogId, List.of(new Item(sku, 3, new BigDecimal("10"), "INR")),
                null, null);

        publish(phone, original);
        awaitOrdersOf(phone, 1);
        publish(phone, original);
        publish(phone, sameMessageNewEvent);
        publish(phone, marker);

        // Same key, same partition: once the marker's order exists, the replays before it were handled.
        JsonPath orders = awaitOrdersOf(phone, 2);
        org.assertj.core.api.Assertions.assertThat(orders.getList("items.messageId"))
                .containsExactly(original.messageId(), marker.messageId());
        admin().get("/api/whatsapp/products/" + productId).then().body("reserved", is(4));
    }

    @Test
    void aMalformedEventIsSkippedAndTheNextOrderStillArrives() throws Exception {
        String metaCatalogId = String.valueOf(System.nanoTime());
        long catalogId = createCatalog(metaCatalogId);
        String sku = unique("after-poison");
        createProduct(catalogId, sku, 1_000, 10);
        String phone = uniquePhone();

        publish(phone, "{not json at all");
        publish(phone, "{\"schemaVersion\":1,\"from\":\"" + phone.substring(1) + "\"}");
        publish(phone, event(phone.substring(1), metaCatalogId, List.of(), null, null));
        publish(phone, event(phone.substring(1), metaCatalogId, List.of(new Item(sku, 1, new BigDecimal("10"), "INR")),
                null, null));

        awaitOrdersOf(phone, 1);
        admin().queryParam("customerPhone", phone).get("/api/whatsapp/orders").then()
                .body("items[0].items", org.hamcrest.Matchers.hasSize(1))
                .body("items[0].flags", empty());
    }
}
