package io.wacast.catalog;

import static io.wacast.catalog.Api.admin;
import static io.wacast.catalog.Api.createCatalog;
import static io.wacast.catalog.Api.createProduct;
import static io.wacast.catalog.Api.unique;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;

import io.quarkus.test.junit.QuarkusTest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Interactive product messages built from catalog items, within Meta's limits. */
@QuarkusTest
class ProductMessageTest {

    private static final String TO = "+919978783238";
    private static String metaCatalogId;
    private static long catalogId;
    private static List<String> skus;

    /** Once per class (the application must be up, hence not @BeforeAll): 31 products take a while to create. */
    @BeforeEach
    void catalogOfThirtyOneProducts() {
        if (skus != null) {
            return;
        }
        metaCatalogId = String.valueOf(System.nanoTime());
        catalogId = createCatalog(metaCatalogId);
        String prefix = unique("mpm");
        skus = new ArrayList<>();
        for (int i = 0; i < 31; i++) {
            skus.add(prefix + "-" + i);
            createProduct(catalogId, prefix + "-" + i, 100 + i, 1);
        }
    }

    private Map<String, Object> list(List<Map<String, Object>> sections) {
        Map<String, Object> body = new HashMap<>();
        body.put("to", TO);
        body.put("catalogId", catalogId);
        body.put("type", "product_list");
        body.put("header", "Holiday packages");
        body.put("body", "Pick your trip");
        body.put("sections", sections);
        return body;
    }

    private static Map<String, Object> section(String title, List<String> ids) {
        Map<String, Object> section = new HashMap<>();
        section.put("title", title);
        section.put("productRetailerIds", ids);
        return section;
    }

    @Test
    void aSingleProductMessageNamesTheCatalogAndTheProduct() {
        admin().body(Map.of("to", TO, "catalogId", catalogId, "type", "product", "productRetailerId", skus.get(0),
                        "body", "Our best seller"))
                .post("/api/whatsapp/product-messages").then().statusCode(200)
                .body("messaging_product", is("whatsapp")).body("to", is(TO)).body("type", is("interactive"))
                .body("interactive.type", is("product"))
                .body("interactive.body.text", is("Our best seller"))
                .body("interactive.action.catalog_id", is(metaCatalogId))
                .body("interactive.action.product_retailer_id", is(skus.get(0)));
    }

    @Test
    void thirtyProductsInTenSectionsMakeAProductList() {
        List<Map<String, Object>> sections = IntStream.range(0, 10)
                .mapToObj(i -> section("Section " + i, skus.subList(i * 3, i * 3 + 3))).toList();

        admin().body(list(sections)).post("/api/whatsapp/product-messages").then().statusCode(200)
                .body("interactive.type", is("product_list"))
                .body("interactive.header.type", is("text"))
                .body("interactive.header.text", is("Holiday packages"))
                .body("interactive.action.sections.size()", is(10))
                .body("interactive.action.sections[9].title", is("Section 9"))
                .body("interactive.action.sections[9].product_items[2].product_retailer_id", is(skus.get(29)));
    }

    static Stream<Arguments> overLimits() {
        return Stream.of(
                Arguments.of("eleven sections", "sections", "at most 10 sections"),
                Arguments.of("thirty-one products", "sections", "at most 30 products"),
                Arguments.of("a section title of 25 characters", "sections[0].title", "at most 24 characters"),
                Arguments.of("no header", "header", "required"),
                Arguments.of("no body", "body", "required"),
                Arguments.of("an unknown product", "productRetailerIds", "no product or variant"));
    }

    @ParameterizedTest(name = "a product list with {0} is refused with 422 naming the limit")
    @MethodSource("overLimits")
    void aProductListOverMetasLimitsIsUnprocessable(String what, String field, String message) {
        Map<String, Object> body = switch (what) {
            case "eleven sections" -> list(IntStream.range(0, 11).mapToObj(i -> section("S" + i, List.of(skus.get(i)))).toList());
            case "thirty-one products" -> list(List.of(section("All", skus)));
            case "a section title of 25 characters" -> list(List.of(section("x".repeat(25), List.of(skus.get(0)))));
            case "an unknown product" -> list(List.of(section("One", List.of("no-such-sku"))));
            default -> {
                Map<String, Object> incomplete = list(List.of(section("One", List.of(skus.get(0)))));
                incomplete.remove(what.equals("no header") ? "header" : "body");
                yield incomplete;
            }
        };

        admin().body(body).post("/api/whatsapp/product-messages").then().statusCode(422)
                .contentType("application/problem+json")
                .body("errors.field", hasItem(field))
                .body("detail", containsString(message));
    }

    @Test
    void aCatalogWithoutAMetaIdCannotBeAdvertised() {
        long local = createCatalog(null);
        String sku = unique("local");
        createProduct(local, sku, 100, 1);

        admin().body(Map.of("to", TO, "catalogId", local, "type", "product", "productRetailerId", sku))
                .post("/api/whatsapp/product-messages").then().statusCode(422)
                .body("errors[0].field", is("catalogId"));
    }
}
