package io.wacast.catalog;

import static io.wacast.catalog.Api.admin;
import static io.wacast.catalog.Api.createCatalog;
import static io.wacast.catalog.Api.createProduct;
import static io.wacast.catalog.Api.unique;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;

import io.quarkus.test.junit.QuarkusTest;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Catalogs, products and variants through the API, and the answers to bad input. */
@QuarkusTest
class CatalogApiTest {

    private static Map<String, Object> product(long catalogId, String retailerId) {
        Map<String, Object> body = new HashMap<>();
        body.put("catalogId", catalogId);
        body.put("retailerId", retailerId);
        body.put("name", "Bali 5 nights");
        body.put("priceMinor", 4_500_000);
        body.put("currency", "INR");
        body.put("stock", 10);
        return body;
    }

    @Test
    void aProductWithVariantsIsStoredWithItsOwnPricesAttributesAndStock() {
        long catalogId = createCatalog(null);
        Map<String, Object> body = product(catalogId, unique("bali"));
        body.put("variants", List.of(Map.of("retailerId", unique("bali-deluxe"), "name", "Deluxe room", "priceMinor", 5_200_000,
                "currency", "INR", "attributes", Map.of("room", "deluxe"), "stock", 3)));

        long id = admin().body(body).post("/api/whatsapp/products").then().statusCode(201)
                .body("availability", is("in_stock"))
                .body("variants[0].attributes.room", is("deluxe"))
                .body("variants[0].available", is(3))
                .extract().jsonPath().getLong("id");

        admin().get("/api/whatsapp/products/" + id).then().statusCode(200)
                .body("priceMinor", is(4_500_000)).body("stock", is(10)).body("variants[0].priceMinor", is(5_200_000))
                .body("audit.createdBy", is("bootstrap"));
    }

    @Test
    void productsAreSearchedByNameOrRetailerIdAndPaged() {
        long catalogId = createCatalog(null);
        String marker = unique("needle");
        for (int i = 0; i < 3; i++) {
            createProduct(catalogId, marker + "-" + i, 100, 1);
        }
        createProduct(catalogId, unique("hay"), 100, 1);

        admin().queryParam("catalogId", catalogId).queryParam("q", marker).queryParam("size", 2).queryParam("page", 1)
                .get("/api/whatsapp/products").then().statusCode(200)
                .body("total", is(3)).body("page", is(1)).body("size", is(2))
                .body("items.retailerId", contains(marker + "-2"));
    }

    @Test
    void aRetailerIdTakenInTheCatalogIsAConflict() {
        long catalogId = createCatalog(null);
        String retailerId = unique("sku");
        createProduct(catalogId, retailerId, 100, 1);

        admin().body(product(catalogId, retailerId)).post("/api/whatsapp/products").then().statusCode(409)
                .contentType("application/problem+json")
                .body("type", is("https://wacast.io/problems/duplicate-retailer-id"))
                .body("errors[0].field", is("retailerId"));
    }

    @Test
    void theSameRetailerIdMayBeUsedInAnotherCatalog() {
        String retailerId = unique("sku");
        createProduct(createCatalog(null), retailerId, 100, 1);

        admin().body(product(createCatalog(null), retailerId)).post("/api/whatsapp/products").then().statusCode(201);
    }

    @Test
    void aVariantCannotTakeTheRetailerIdOfAProduct() {
        long catalogId = createCatalog(null);
        String taken = unique("sku");
        createProduct(catalogId, taken, 100, 1);
        long other = createProduct(catalogId, unique("other"), 100, 1);

        admin().body(Map.of("retailerId", taken, "name", "Large", "priceMinor", 1, "currency", "INR"))
                .post("/api/whatsapp/products/" + other + "/variants").then().statusCode(409);
    }

    static Stream<Arguments> badProducts() {
        return Stream.of(
                Arguments.of("a negative price", "priceMinor", -1, "priceMinor"),
                Arguments.of("a fractional price", "priceMinor", 12.5, "priceMinor"),
                Arguments.of("a price that is a word", "priceMinor", "cheap", "priceMinor"),
                Arguments.of("an unknown currency", "currency", "XYZ", "currency"),
                Arguments.of("a currency without minor units", "currency", "XXX", "currency"),
                Arguments.of("a negative stock", "stock", -3, "stock"),
                Arguments.of("a blank name", "name", " ", "name"),
                Arguments.of("an unknown availability", "availability", "sold_out", "availability"),
                Arguments.of("an image that is not a URL", "imageUrl", "file:///etc/passwd", "imageUrl"));
    }

    @ParameterizedTest(name = "a product with {0} is refused with 400 naming the field")
    @MethodSource("badProducts")
    void aProductWithBadInputIsRefusedNamingTheField(String what, String field, Object value, String expectedField) {
        long catalogId = createCatalog(null);
        Map<String, Object> body = product(catalogId, unique("bad"));
        body.put(field, value);

        admin().body(body).post("/api/whatsapp/products").then().statusCode(400)
                .contentType("application/problem+json")
                .body("errors.field", hasItem(expectedField));
        admin().queryParam("catalogId", catalogId).get("/api/whatsapp/products").then().body("total", is(0));
    }

    @Test
    void malformedJsonIsA400ProblemWithoutInternals() {
        admin().body("{\"name\": \"broken\", ").post("/api/whatsapp/catalogs").then().statusCode(400)
                .contentType("application/problem+json")
                .body("type", is("https://wacast.io/problems/malformed-json"))
                .body("detail", containsString("not valid JSON"))
                .body(org.hamcrest.Matchers.not(containsString("com.fasterxml")));
    }

    @Test
    void aBodyThatIsNotJsonIsUnsupportedMediaType() {
        admin().contentType("text/plain").body("name=x").post("/api/whatsapp/catalogs").then().statusCode(415)
                .contentType("application/problem+json");
    }

    @Test
    void anUnknownProductIsA404Problem() {
        admin().get("/api/whatsapp/products/999999999").then().statusCode(404)
                .contentType("application/problem+json").body("detail", containsString("product 999999999"));
    }

    @Test
    void aMissingBodyIsRefused() {
        admin().post("/api/whatsapp/catalogs").then().statusCode(400).contentType("application/problem+json");
    }

    @Test
    void aCatalogWithProductsCannotBeDeleted() {
        long catalogId = createCatalog(null);
        createProduct(catalogId, unique("sku"), 100, 1);

        admin().delete("/api/whatsapp/catalogs/" + catalogId).then().statusCode(409);
        admin().get("/api/whatsapp/catalogs/" + catalogId).then().statusCode(200);
    }

    @Test
    void twoCatalogsCannotShareAMetaCatalogId() {
        String metaId = String.valueOf(System.nanoTime());
        createCatalog(metaId);

        admin().body(Map.of("name", unique("catalog"), "metaCatalogId", metaId)).post("/api/whatsapp/catalogs")
                .then().statusCode(409).body("errors[0].field", is("metaCatalogId"));
    }

    @Test
    void stockCannotBeSetBelowWhatOrdersHold() {
        long catalogId = createCatalog(null);
        String sku = unique("sku");
        long productId = createProduct(catalogId, sku, 100, 5);
        Api.placeOrder(catalogId, sku, 4);
        Map<String, Object> body = product(catalogId, sku);
        body.put("stock", 3);

        admin().body(body).put("/api/whatsapp/products/" + productId).then().statusCode(409)
                .body("errors[0].field", is("stock"));
        body.put("stock", 6);
        admin().body(body).put("/api/whatsapp/products/" + productId).then().statusCode(200)
                .body("stock", is(6)).body("reserved", is(4)).body("available", is(2));
    }
}
