package io.wacast.catalog;

import static io.wacast.catalog.Api.admin;
import static io.wacast.catalog.Api.createCatalog;
import static io.wacast.catalog.Api.createProduct;
import static io.wacast.catalog.Api.unique;
import static io.wacast.catalog.Api.uniquePhone;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.wacast.common.Topics;
import io.wacast.common.event.OrderAttribution;
import io.wacast.common.event.OrderEvent;
import io.wacast.common.event.OrderEvent.Item;
import jakarta.inject.Inject;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Future;
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
 * Orders credited to campaigns (docs/DESIGN.md §11 D18): an {@link OrderAttribution} on the real
 * {@code wacast.attributions} topic sets the campaign and recipient of the order it names, whether it
 * arrives before or after the order (two topics, no order between them), exactly once however often it
 * is redelivered; {@code GET /orders?campaignId=} lists the campaign's orders.
 */
@QuarkusTest
class OrderAttributionTest {

    private static final Duration PATIENCE = Duration.ofSeconds(30);
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

    @Test
    void anAttributionCreditsItsOrderWhicheverArrivesFirstAndExactlyOnce() throws Exception {
        String metaCatalogId = String.valueOf(System.nanoTime());
        long catalogId = createCatalog(metaCatalogId);
        String sku = unique("tour");
        createProduct(catalogId, sku, 4_500_000, 100);
        long campaign = Math.abs(UUID.randomUUID().getMostSignificantBits() % 1_000_000_000L) + 1;

        // the attribution first, then its order
        String phone = uniquePhone();
        OrderEvent early = order(phone, metaCatalogId, sku);
        send(Topics.ATTRIBUTIONS, phone, attribution(early, campaign, 11, OrderAttribution.BY_CONTEXT)).get();
        await().atMost(PATIENCE).until(() -> attributionStored(early.messageId()));
        send(Topics.ORDERS, phone, early).get();

        // an order first, then its attribution, twice
        String other = uniquePhone();
        OrderEvent late = order(other, metaCatalogId, sku);
        send(Topics.ORDERS, other, late).get();
        await().atMost(PATIENCE).until(() -> ordersOf("customerPhone", other).getInt("total") == 1);
        assertThat(ordersOf("customerPhone", other).getString("items[0].campaignId")).isNull();
        OrderAttribution lateAttribution = attribution(late, campaign, 12, OrderAttribution.BY_WINDOW);
        send(Topics.ATTRIBUTIONS, other, lateAttribution).get();
        send(Topics.ATTRIBUTIONS, other, lateAttribution).get();
        // an attribution naming another campaign for an order already credited changes nothing
        send(Topics.ATTRIBUTIONS, other, attribution(late, campaign + 1, 99, OrderAttribution.BY_WINDOW)).get();

        await().atMost(PATIENCE).until(() -> ordersOf("campaignId", String.valueOf(campaign)).getInt("total") == 2);
        JsonPath credited = ordersOf("campaignId", String.valueOf(campaign));
        assertThat(credited.getList("items.messageId")).containsExactlyInAnyOrder(early.messageId(), late.messageId());
        assertThat(credited.getList("items.recipientId", Integer.class)).containsExactlyInAnyOrder(11, 12);
        assertThat(credited.getList("items.attributedBy")).containsExactlyInAnyOrder("context", "window");
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(10))
                .until(() -> ordersOf("campaignId", String.valueOf(campaign + 1)).getInt("total") == 0);
    }

    @Test
    void ordersAndAttributionsPublishedTogetherAreAllCredited() throws Exception {
        String metaCatalogId = String.valueOf(System.nanoTime());
        long catalogId = createCatalog(metaCatalogId);
        String sku = unique("race");
        createProduct(catalogId, sku, 100, 1_000);
        long campaign = Math.abs(UUID.randomUUID().getMostSignificantBits() % 1_000_000_000L) + 1;
        List<Future<RecordMetadata>> sends = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            String phone = uniquePhone();
            OrderEvent order = order(phone, metaCatalogId, sku);
            OrderAttribution attribution = attribution(order, campaign, 100 + i, OrderAttribution.BY_CONTEXT);
            if (i % 2 == 0) {
                sends.add(send(Topics.ORDERS, phone, order));
                sends.add(send(Topics.ATTRIBUTIONS, phone, attribution));
            } else {
                sends.add(send(Topics.ATTRIBUTIONS, phone, attribution));
                sends.add(send(Topics.ORDERS, phone, order));
            }
        }
        for (Future<RecordMetadata> send : sends) {
            send.get();
        }
        await().atMost(Duration.ofSeconds(60))
                .until(() -> ordersOf("campaignId", String.valueOf(campaign)).getInt("total") == 20);
    }

    /**
     * A WhatsApp username user who never shared a number (issue 17 §2): the order is stored under the
     * BSUID, listed by it, credited by its attribution like a phone order's, and a user id that is not
     * a BSUID is a 400 naming the parameter. An event with neither a number nor a BSUID is skipped.
     */
    @Test
    void anOrderFromAUserKnownOnlyByBsuidIsStoredUnderItAndCredited() throws Exception {
        String metaCatalogId = String.valueOf(System.nanoTime());
        long catalogId = createCatalog(metaCatalogId);
        String sku = unique("username");
        createProduct(catalogId, sku, 100, 10);
        long campaign = Math.abs(UUID.randomUUID().getMostSignificantBits() % 1_000_000_000L) + 1;
        String bsuid = "US." + Math.abs(UUID.randomUUID().getLeastSignificantBits());
        List<Item> items = List.of(new Item(sku, 2, new BigDecimal("1.00"), "INR"));
        OrderEvent nobody = new OrderEvent(UUID.randomUUID().toString(), OrderEvent.SCHEMA_VERSION, unique("wamid.ORDER"),
                "100000000000001", null, metaCatalogId, items, null, null, null, Instant.now(), Instant.now(), null);
        OrderEvent order = new OrderEvent(UUID.randomUUID().toString(), OrderEvent.SCHEMA_VERSION, unique("wamid.ORDER"),
                "100000000000001", null, metaCatalogId, items, "a username's order", "wamid.CAMPAIGN." + bsuid, null,
                Instant.now(), Instant.now(), bsuid);
        send(Topics.ORDERS, bsuid, nobody).get();
        send(Topics.ORDERS, bsuid, order).get();

        await().atMost(PATIENCE).until(() -> ordersOf("customerUserId", bsuid).getInt("total") == 1);
        JsonPath stored = ordersOf("customerUserId", bsuid);
        assertThat(stored.getString("items[0].messageId")).isEqualTo(order.messageId());
        assertThat(stored.getString("items[0].customerPhone")).isNull();
        assertThat(stored.getString("items[0].customerUserId")).isEqualTo(bsuid);
        assertThat(stored.getInt("items[0].items[0].reservedQuantity")).isEqualTo(2);
        assertThat(stored.getString("items[0].campaignId")).isNull();

        send(Topics.ATTRIBUTIONS, bsuid, attribution(order, campaign, 21, OrderAttribution.BY_CONTEXT)).get();
        await().atMost(PATIENCE).until(() -> ordersOf("campaignId", String.valueOf(campaign)).getInt("total") == 1);
        JsonPath credited = ordersOf("campaignId", String.valueOf(campaign));
        assertThat(credited.getString("items[0].customerUserId")).isEqualTo(bsuid);
        assertThat(credited.getInt("items[0].recipientId")).isEqualTo(21);
        assertThat(io.quarkus.narayana.jta.QuarkusTransaction.requiringNew().call(
                () -> io.wacast.catalog.domain.CustomerOrder.count("messageId", nobody.messageId()))).isZero();

        for (String bad : List.of("15551234567", "us.123", "US.")) {
            admin().queryParam("customerUserId", bad).get("/api/whatsapp/orders").then().statusCode(400)
                    .contentType("application/problem+json")
                    .body("errors.field", hasItem("customerUserId"));
        }
    }

    @Test
    void aBadCampaignIdIsAProblemNamingTheParameter() {
        for (String bad : List.of("abc", "-1", "1.5", "99999999999999999999999")) {
            admin().queryParam("campaignId", bad).get("/api/whatsapp/orders").then().statusCode(400)
                    .contentType("application/problem+json")
                    .body("errors.field", hasItem("campaignId"))
                    .body("detail", containsString("campaignId"));
        }
        admin().queryParam("campaignId", "1").get("/api/whatsapp/orders").then().statusCode(200)
                .body("page", equalTo(0));
    }

    private Future<RecordMetadata> send(String topic, String phone, Object payload) throws Exception {
        return producer.send(new ProducerRecord<>(topic, phone, json.writeValueAsString(payload)));
    }

    private static OrderEvent order(String phone, String metaCatalogId, String sku) {
        return OrderEvent.of(unique("wamid.ORDER"), "100000000000001", phone.substring(1), metaCatalogId,
                List.of(new Item(sku, 1, new BigDecimal("1.00"), "INR")), null, "wamid.CAMPAIGN." + phone, null,
                Instant.now(), Instant.now());
    }

    private static OrderAttribution attribution(OrderEvent order, long campaign, long recipient, String by) {
        return new OrderAttribution(UUID.randomUUID().toString(), OrderAttribution.SCHEMA_VERSION, order.messageId(),
                order.eventId(), campaign, recipient, by, order.metaTimestamp());
    }

    private static boolean attributionStored(String messageId) {
        return io.quarkus.narayana.jta.QuarkusTransaction.requiringNew().call(
                () -> io.wacast.catalog.domain.OrderAttributionRow.findByIdOptional(messageId).isPresent());
    }

    private static JsonPath ordersOf(String parameter, String value) {
        return admin().queryParam(parameter, value).get("/api/whatsapp/orders").then().statusCode(200)
                .extract().jsonPath();
    }
}
