package io.wacast.catalog;

import static io.wacast.catalog.Api.admin;
import static io.wacast.catalog.Api.createCatalog;
import static io.wacast.catalog.Api.createProduct;
import static io.wacast.catalog.Api.placeOrder;
import static io.wacast.catalog.Api.unique;
import static io.wacast.catalog.Api.uniquePhone;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;

import io.quarkus.test.junit.QuarkusTest;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Orders through the state machine, with their stock, and carts that become orders. */
@QuarkusTest
class OrderLifecycleTest {

    private static void move(long orderId, String status, int expected) {
        admin().body(Map.of("status", status)).post("/api/whatsapp/orders/" + orderId + "/status").then().statusCode(expected);
    }

    @Test
    void aFulfilledOrderTakesItsUnitsOutOfStock() {
        long catalogId = createCatalog(null);
        String sku = unique("sku");
        long productId = createProduct(catalogId, sku, 250_050, 10);
        long orderId = placeOrder(catalogId, sku, 3);
        admin().get("/api/whatsapp/orders/" + orderId).then().body("status", is("pending"))
                .body("totalMinor", is(750_150)).body("currency", is("INR")).body("items[0].reservedQuantity", is(3));

        move(orderId, "confirmed", 200);
        move(orderId, "paid", 200);
        move(orderId, "fulfilled", 200);

        admin().get("/api/whatsapp/products/" + productId).then().body("stock", is(7)).body("reserved", is(0));
        admin().get("/api/whatsapp/orders/" + orderId).then().body("status", is("fulfilled"));
    }

    @ParameterizedTest(name = "a {0} order can be cancelled and gives its units back")
    @CsvSource({"pending", "confirmed", "paid"})
    void aCancelledOrderReleasesTheStockItHeld(String reached) {
        long catalogId = createCatalog(null);
        String sku = unique("sku");
        long productId = createProduct(catalogId, sku, 100, 4);
        long orderId = placeOrder(catalogId, sku, 4);
        List<String> path = switch (reached) {
            case "confirmed" -> List.of("confirmed");
            case "paid" -> List.of("confirmed", "paid");
            default -> List.of();
        };
        path.forEach(step -> move(orderId, step, 200));

        move(orderId, "cancelled", 200);

        admin().get("/api/whatsapp/products/" + productId).then().body("stock", is(4)).body("reserved", is(0));
        admin().get("/api/whatsapp/orders/" + orderId).then().body("items[0].reservedQuantity", is(0));
    }

    @ParameterizedTest(name = "{0} → {1} is refused with 409")
    @CsvSource({
            "pending, paid", "pending, fulfilled", "pending, pending", "confirmed, fulfilled", "confirmed, pending",
            "fulfilled, cancelled", "cancelled, confirmed", "cancelled, cancelled"})
    void anIllegalTransitionIsAConflictAndChangesNothing(String from, String to) {
        long catalogId = createCatalog(null);
        String sku = unique("sku");
        long productId = createProduct(catalogId, sku, 100, 5);
        long orderId = placeOrder(catalogId, sku, 1);
        List<String> path = switch (from) {
            case "confirmed" -> List.of("confirmed");
            case "fulfilled" -> List.of("confirmed", "paid", "fulfilled");
            case "cancelled" -> List.of("cancelled");
            default -> List.of();
        };
        path.forEach(step -> move(orderId, step, 200));
        int reservedBefore = admin().get("/api/whatsapp/products/" + productId).then().extract().path("reserved");

        admin().body(Map.of("status", to)).post("/api/whatsapp/orders/" + orderId + "/status").then().statusCode(409)
                .contentType("application/problem+json")
                .body("type", is("https://wacast.io/problems/illegal-transition"))
                .body("detail", containsString("is " + from + " and cannot become " + to));

        admin().get("/api/whatsapp/orders/" + orderId).then().body("status", is(from));
        admin().get("/api/whatsapp/products/" + productId).then().body("reserved", is(reservedBefore));
    }

    @Test
    void anUnknownStatusIsA400NamingTheAllowedValues() {
        long catalogId = createCatalog(null);
        String sku = unique("sku");
        createProduct(catalogId, sku, 100, 5);
        long orderId = placeOrder(catalogId, sku, 1);

        admin().body(Map.of("status", "shipped")).post("/api/whatsapp/orders/" + orderId + "/status").then().statusCode(400)
                .body("errors[0].field", is("status")).body("errors[0].message", containsString("pending"));
    }

    @ParameterizedTest(name = "an order line with quantity {0} is refused with 400")
    @CsvSource({"0", "-2"})
    void anOrderLineWithAQuantityBelowOneIsRefused(int quantity) {
        long catalogId = createCatalog(null);
        String sku = unique("sku");
        createProduct(catalogId, sku, 100, 5);

        admin().body(Map.of("customerPhone", uniquePhone(), "catalogId", catalogId,
                        "items", List.of(Map.of("retailerId", sku, "quantity", quantity))))
                .post("/api/whatsapp/orders").then().statusCode(400).body("errors.field", hasItem("items[0].quantity"));
    }

    @Test
    void anOperatorOrderForAnUnknownProductIsUnprocessable() {
        long catalogId = createCatalog(null);

        admin().body(Map.of("customerPhone", uniquePhone(), "catalogId", catalogId,
                        "items", List.of(Map.of("retailerId", "no-such-sku", "quantity", 1))))
                .post("/api/whatsapp/orders").then().statusCode(422)
                .body("errors[0].field", is("items[0].retailerId"));
    }

    @Test
    void anInvalidCustomerPhoneIsRefusedWithTheReasonAndMasked() {
        long catalogId = createCatalog(null);

        admin().body(Map.of("customerPhone", "+91 12", "catalogId", catalogId)).post("/api/whatsapp/carts").then()
                .statusCode(400).body("errors[0].field", is("customerPhone")).body("errors[0].value", is("****"));
    }

    @Test
    void aCartOfAVariantAndAProductChecksOutIntoAPendingOrder() {
        long catalogId = createCatalog(null);
        String sku = unique("sku");
        String variantSku = unique("deluxe");
        createProduct(catalogId, sku, 1_000, 5);
        long parent = createProduct(catalogId, unique("parent"), 2_000, 0);
        admin().body(Map.of("retailerId", variantSku, "name", "Deluxe", "priceMinor", 3_000, "currency", "INR", "stock", 2))
                .post("/api/whatsapp/products/" + parent + "/variants").then().statusCode(201);
        String phone = uniquePhone();
        long cartId = admin().body(Map.of("customerPhone", phone, "catalogId", catalogId)).post("/api/whatsapp/carts")
                .then().statusCode(201).body("status", is("open")).extract().jsonPath().getLong("id");

        admin().body(Map.of("retailerId", sku, "quantity", 1)).post("/api/whatsapp/carts/" + cartId + "/items").then().statusCode(200);
        admin().body(Map.of("retailerId", sku, "quantity", 1)).post("/api/whatsapp/carts/" + cartId + "/items").then()
                .statusCode(200).body("items[0].quantity", is(2));
        admin().body(Map.of("retailerId", variantSku, "quantity", 2)).post("/api/whatsapp/carts/" + cartId + "/items").then()
                .statusCode(200);

        long orderId = admin().post("/api/whatsapp/carts/" + cartId + "/checkout").then().statusCode(201)
                .body("status", is("pending")).body("source", is("cart")).body("customerPhone", is(phone))
                .body("totalMinor", is(2 * 1_000 + 2 * 3_000)).body("flagged", is(false))
                .extract().jsonPath().getLong("id");

        admin().get("/api/whatsapp/carts/" + cartId).then().body("status", is("checked_out")).body("orderId", is((int) orderId));
        admin().body(Map.of("retailerId", sku, "quantity", 1)).post("/api/whatsapp/carts/" + cartId + "/items").then()
                .statusCode(409);
        admin().get("/api/whatsapp/products/" + parent).then().body("variants[0].reserved", is(2));
    }

    @Test
    void aCartItemWithQuantityZeroIsRefused() {
        long catalogId = createCatalog(null);
        String sku = unique("sku");
        createProduct(catalogId, sku, 1_000, 5);
        long cartId = admin().body(Map.of("customerPhone", uniquePhone(), "catalogId", catalogId)).post("/api/whatsapp/carts")
                .then().statusCode(201).extract().jsonPath().getLong("id");

        admin().body(Map.of("retailerId", sku, "quantity", 0)).post("/api/whatsapp/carts/" + cartId + "/items").then()
                .statusCode(400).body("errors[0].field", is("quantity"));
    }
}
