package io.wacast.systemtests;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The commerce side of a run, set up through the catalog-service's API as an operator does it: an
 * {@code operator} API key issued with the bootstrap admin key, then with that key a catalog with
 * the two tours the simulator's customers put in their carts. The catalog has a Meta catalog id no
 * earlier run used — the simulator's order messages are pointed at it ({@code order.catalogId}) — so
 * its orders are this run's alone in a database that other runs share, and its stock starts full.
 */
final class Shop {

    /** The products of the simulator's order messages (its default {@code order.productRetailerIds}). */
    static final String BALI = "tour-bali-7n";
    static final String GOA = "tour-goa-3n";
    /** The price the customers see in WhatsApp and send back in {@code item_price}: ₹45,000 a tour. */
    static final long CUSTOMER_PRICE_MINOR = 4_500_000;
    /**
     * The catalog's prices: Bali as the customers saw it; Goa ₹13,000 cheaper than the price in the
     * message, so its orders show they are priced from the catalog (and are flagged price_mismatch).
     */
    static final Map<String, Long> PRICES = Map.of(BALI, CUSTOMER_PRICE_MINOR, GOA, 3_200_000L);
    /** More than any campaign here orders: no line runs out of stock. */
    static final int STOCK = 100_000;
    /** The catalog-service's largest page ({@code wacast.catalog.max-page-size}). */
    private static final int PAGE = 100;

    private final JsonHttp operator;
    final long catalogId;
    final String metaCatalogId;
    /** Product id by retailer id. */
    final Map<String, Long> products;
    /** How many orders the catalog-service held before this shop opened: its orders come after them. */
    private final long ordersBefore;

    private Shop(JsonHttp operator, long catalogId, String metaCatalogId, Map<String, Long> products, long ordersBefore) {
        this.operator = operator;
        this.catalogId = catalogId;
        this.metaCatalogId = metaCatalogId;
        this.products = products;
        this.ordersBefore = ordersBefore;
    }

    /**
     * Issues an operator key at the one key store, the campaign-service, with {@code keyStore} (its API
     * with the bootstrap key), and opens the shop with it at the catalog's {@code baseUrl}
     * (docs/DESIGN.md D21); the simulator still has to be told the catalog id ({@link #simulatorOrders()}).
     */
    static Shop open(JsonHttp keyStore, String baseUrl, String name) {
        String metaCatalogId = "7" + System.currentTimeMillis() + String.format("%02d", ThreadLocalRandom.current().nextInt(100));
        JsonNode issued = keyStore.postJson("/api-keys", """
                {"name":"system-tests-%s","role":"operator"}""".formatted(metaCatalogId));
        JsonHttp operator = new JsonHttp(baseUrl, "Bearer " + issued.path("key").asText());
        long catalogId = operator.postJson("/catalogs", """
                {"name":"%s","metaCatalogId":"%s","description":"Tour packages sold from WhatsApp"}"""
                .formatted(name, metaCatalogId)).path("id").asLong();
        Map<String, Long> products = new LinkedHashMap<>();
        for (String retailerId : List.of(BALI, GOA)) {
            JsonNode product = operator.postJson("/products", """
                    {"catalogId":%d,"retailerId":"%s","name":"%s","priceMinor":%d,"currency":"INR",
                     "imageUrl":"https://tours.example.com/img/%s.jpg","availability":"in_stock","stock":%d}"""
                    .formatted(catalogId, retailerId, retailerId.equals(BALI) ? "Bali 7 nights" : "Goa 3 nights",
                            PRICES.get(retailerId), retailerId, STOCK));
            products.put(retailerId, product.path("id").asLong());
        }
        long ordersBefore = operator.get("/orders?size=1").path("total").asLong();
        return new Shop(operator, catalogId, metaCatalogId, Map.copyOf(products), ordersBefore);
    }

    /** The simulator's {@code order} settings that make its customers order from this shop. */
    String simulatorOrders() {
        return """
                {"catalogId":"%s","productRetailerIds":["%s","%s"],"currency":"INR","itemPrice":%d}"""
                .formatted(metaCatalogId, BALI, GOA, CUSTOMER_PRICE_MINOR / 100);
    }

    /** Every order of this shop's catalog ({@code GET /orders}, read from where this shop's orders start). */
    List<JsonNode> orders() {
        List<JsonNode> orders = new ArrayList<>();
        long total = Long.MAX_VALUE;
        for (long page = ordersBefore / PAGE; page * PAGE < total; page++) {
            JsonNode answer = operator.get("/orders?page=" + page + "&size=" + PAGE);
            total = answer.path("total").asLong();
            answer.path("items").forEach(order -> {
                if (order.path("catalogId").asLong() == catalogId) {
                    orders.add(order);
                }
            });
        }
        return orders;
    }

    /** {@code GET /products/{id}} of the product with {@code retailerId}. */
    JsonNode product(String retailerId) {
        return operator.get("/products/" + products.get(retailerId));
    }

    /**
     * Every order of this shop is one of the campaign's order messages, and each message became one
     * order: exactly {@code orderMessages} orders (the simulator's count, its injected duplicate
     * copies not counted), each from a recipient of the campaign answering the campaign's message to
     * that recipient ({@code contextWamid}), never two from one message, every line priced from the
     * catalog and its units reserved — and the stock reserved is exactly what the orders hold.
     *
     * @param messaged the campaign's recipients that Meta accepted: phone number by wamid
     */
    void assertOrdersAnswer(long campaign, Map<String, String> messaged, long orderMessages) {
        List<JsonNode> orders = orders();
        assertThat(orders).as("orders recorded for the %d order messages of campaign %d", orderMessages, campaign)
                .hasSize((int) orderMessages);
        assertThat(orders.stream().map(order -> order.path("messageId").asText()).distinct().count())
                .as("orders of distinct WhatsApp messages").isEqualTo(orderMessages);
        Map<String, Long> reserved = new HashMap<>();
        for (JsonNode order : orders) {
            String which = "order " + order;
            String wamid = order.path("contextWamid").asText(null);
            assertThat(messaged).as("the campaign's message answered by %s", which).containsKey(wamid);
            assertThat(order.path("customerPhone").asText()).as("customer of %s", which).isEqualTo(messaged.get(wamid));
            // null until the webhook-service attributes orders to campaigns (it publishes none today)
            JsonNode attributed = order.path("campaignId");
            assertThat(attributed.isNull() || attributed.isMissingNode() || attributed.asLong() == campaign)
                    .as("campaignId of %s", which).isTrue();
            assertThat(order.path("source").asText()).as("source of %s", which).isEqualTo("whatsapp");
            assertThat(order.path("status").asText()).as("status of %s", which).isEqualTo("pending");
            assertThat(order.path("metaCatalogId").asText()).as("Meta catalog of %s", which).isEqualTo(metaCatalogId);
            assertThat(order.path("items")).as("lines of %s", which).hasSize(1);
            JsonNode line = order.path("items").get(0);
            String retailerId = line.path("retailerId").asText();
            int quantity = line.path("quantity").asInt();
            assertThat(products).as("product of %s", which).containsKey(retailerId);
            assertThat(line.path("productId").asLong()).as("product id of %s", which).isEqualTo(products.get(retailerId));
            assertThat(quantity).as("quantity of %s", which).isBetween(1, 3);
            assertThat(line.path("unitPriceMinor").asLong()).as("catalog price of %s", which).isEqualTo(PRICES.get(retailerId));
            assertThat(line.path("currency").asText()).as("currency of %s", which).isEqualTo("INR");
            assertThat(line.path("customerUnitPriceMinor").asLong()).as("price the customer saw in %s", which)
                    .isEqualTo(CUSTOMER_PRICE_MINOR);
            assertThat(line.path("reservedQuantity").asInt()).as("units reserved by %s", which).isEqualTo(quantity);
            List<String> flags = retailerId.equals(BALI) ? List.of() : List.of("price_mismatch");
            assertThat(texts(line.path("flags"))).as("line flags of %s", which).isEqualTo(flags);
            assertThat(texts(order.path("flags"))).as("flags of %s", which).isEqualTo(flags);
            assertThat(order.path("flagged").asBoolean()).as("flagged %s", which).isEqualTo(!flags.isEmpty());
            assertThat(order.path("totalMinor").asLong()).as("total of %s", which).isEqualTo(quantity * PRICES.get(retailerId));
            assertThat(order.path("currency").asText()).as("order currency of %s", which).isEqualTo("INR");
            reserved.merge(retailerId, (long) quantity, Long::sum);
        }
        assertThat(reserved.keySet()).as("tours ordered (else half the pricing went unchecked)").containsExactlyInAnyOrder(BALI, GOA);
        for (String retailerId : products.keySet()) {
            JsonNode product = product(retailerId);
            assertThat(product.path("stock").asInt()).as("stock of %s (nothing fulfilled)", retailerId).isEqualTo(STOCK);
            assertThat(product.path("reserved").asLong()).as("units of %s reserved: those of its orders", retailerId)
                    .isEqualTo(reserved.getOrDefault(retailerId, 0L));
        }
    }

    /** How many orders {@code GET /orders?campaignId=} lists for the campaign. */
    long ordersOfCampaign(long campaign) {
        return operator.get("/orders?campaignId=" + campaign + "&size=1").path("total").asLong();
    }

    private static List<String> texts(JsonNode array) {
        List<String> texts = new ArrayList<>();
        array.forEach(node -> texts.add(node.asText()));
        return texts;
    }
}
