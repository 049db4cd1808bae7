package io.wacast.catalog;

import static io.wacast.catalog.Api.admin;
import static io.wacast.catalog.Api.createCatalog;
import static io.wacast.catalog.Api.createProduct;
import static io.wacast.catalog.Api.unique;
import static io.wacast.catalog.Api.uniquePhone;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import jakarta.inject.Inject;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** What a careless or hostile caller sends: every answer a 4xx problem naming what was wrong, never a 500. */
@QuarkusTest
class InputLimitsTest {

    @Inject
    AgroalDataSource dataSource;

    static Stream<Arguments> badQueries() {
        return Stream.of(
                Arguments.of("/api/whatsapp/products?page=2147483647", "page"),
                Arguments.of("/api/whatsapp/orders?page=2147483647", "page"),
                Arguments.of("/api/whatsapp/catalogs?page=2147483647", "page"),
                Arguments.of("/api/whatsapp/catalogs?page=30000000&size=100", "page"),
                Arguments.of("/api/whatsapp/products?size=abc", "size"),
                Arguments.of("/api/whatsapp/products?page=1e3", "page"),
                Arguments.of("/api/whatsapp/orders?campaignId=x7", "campaignId"),
                Arguments.of("/api/whatsapp/orders?flagged=maybe", "flagged"),
                Arguments.of("/api/whatsapp/products?catalogId=99999999999999999999", "catalogId"),
                Arguments.of("/api/whatsapp/orders/abc", "id"),
                Arguments.of("/api/whatsapp/catalogs/12345678901234567890", "id"),
                Arguments.of("/api/whatsapp/catalogs?q=" + "x".repeat(201), "q"));
    }

    @ParameterizedTest(name = "{0} is 400 naming {1}")
    @MethodSource("badQueries")
    void aBadQueryOrPathParameterIs400NamingIt(String uri, String parameter) {
        admin().get(uri).then().statusCode(400).contentType("application/problem+json")
                .body("errors.field", hasItem(parameter));
    }

    @Test
    void aPriceAboveTheMaximumIsRefusedNamingTheField() {
        long catalogId = createCatalog(null);
        Map<String, Object> body = product(catalogId, unique("dear"));
        body.put("priceMinor", Long.MAX_VALUE);

        admin().body(body).post("/api/whatsapp/products").then().statusCode(400)
                .contentType("application/problem+json").body("errors.field", hasItem("priceMinor"))
                .body("detail", containsString("1000000000000"));
    }

    /** A price stored before the maximum existed: the order total overflows a long, and that is a 422, not a 500. */
    @Test
    void anOrderWhoseTotalOverflowsIsRefusedAsUnprocessable() throws Exception {
        long catalogId = createCatalog(null);
        String sku = unique("legacy");
        long productId = createProduct(catalogId, sku, 100, 10);
        try (Connection connection = dataSource.getConnection();
                PreparedStatement update = connection.prepareStatement("UPDATE product SET price_minor = ? WHERE id = ?")) {
            update.setLong(1, Long.MAX_VALUE);
            update.setLong(2, productId);
            update.executeUpdate();
        }

        admin().body(Map.of("customerPhone", uniquePhone(), "catalogId", catalogId,
                        "items", List.of(Map.of("retailerId", sku, "quantity", 2))))
                .post("/api/whatsapp/orders").then().statusCode(422).contentType("application/problem+json")
                .body("type", is("https://wacast.io/problems/total-too-large"));
        admin().get("/api/whatsapp/products/" + productId).then().body("reserved", is(0));
    }

    static Stream<Arguments> unsafeText() {
        return Stream.of(
                Arguments.of("a NUL", "name", "Bali\u0000"),
                Arguments.of("a newline in a name", "name", "Bali\n2025-12-01 INFO forged line"),
                Arguments.of("a C1 control", "name", "Bali\u0085"),
                Arguments.of("a right-to-left override", "name", "Bali \u202Egpj.exe"),
                Arguments.of("a bidi isolate", "description", "fine \u2066text"),
                Arguments.of("a NUL in a description", "description", "line one\u0000"),
                Arguments.of("an escape in a retailer id", "retailerId", "sku\u001B[31m"),
                Arguments.of("a name of 201 characters", "name", "n".repeat(201)));
    }

    @ParameterizedTest(name = "a product with {0} is refused naming the field")
    @MethodSource("unsafeText")
    void controlCharactersAndOverlongTextAreRefusedNamingTheField(String what, String field, String value) {
        long catalogId = createCatalog(null);
        Map<String, Object> body = product(catalogId, unique("text"));
        body.put(field, value);

        admin().body(body).post("/api/whatsapp/products").then().statusCode(400)
                .contentType("application/problem+json").body("errors.field", hasItem(field));
    }

    @Test
    void aDescriptionMayHaveLineBreaksAndTabs() {
        long catalogId = createCatalog(null);
        Map<String, Object> body = product(catalogId, unique("lines"));
        body.put("description", "Day 1:\tarrival\r\nDay 2:\tbeach");

        admin().body(body).post("/api/whatsapp/products").then().statusCode(201);
    }

    static Stream<Arguments> looselyTyped() {
        return Stream.of(
                Arguments.of("/api/whatsapp/catalogs", "{\"name\": 123}", "name"),
                Arguments.of("/api/whatsapp/catalogs", "{\"name\": true}", "name"),
                Arguments.of("/api/whatsapp/orders", "{\"customerPhone\": \"+919978783238\", \"catalogId\": 1,"
                        + " \"items\": [{\"retailerId\": \"a\", \"quantity\": 1.5}]}", "items[0].quantity"),
                Arguments.of("/api/whatsapp/orders", "{\"customerPhone\": \"+919978783238\", \"catalogId\": \"1\","
                        + " \"items\": [{\"retailerId\": \"a\", \"quantity\": 1}]}", "catalogId"));
    }

    @ParameterizedTest(name = "{1} is refused naming {2}")
    @MethodSource("looselyTyped")
    void aValueOfTheWrongJsonTypeIsRefusedNamingTheField(String path, String body, String field) {
        admin().body(body).post(path).then().statusCode(400).contentType("application/problem+json")
                .body("errors.field", hasItem(field));
    }

    static Stream<Arguments> unparseable() {
        byte[] badUtf8 = {'{', '"', 'n', 'a', 'm', 'e', '"', ':', '"', (byte) 0xE2, (byte) 0x28, (byte) 0xA1, '"', '}'};
        return Stream.of(
                Arguments.of("nested 1500 deep", ("{\"name\": \"x\", \"extra\": " + "[".repeat(1500)).getBytes(StandardCharsets.UTF_8)),
                Arguments.of("not UTF-8", badUtf8),
                Arguments.of("content after the value", "{\"name\": \"x\"} trailing".getBytes(StandardCharsets.UTF_8)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("unparseable")
    void aBodyThatIsNotJsonIsAnsweredInPlainWordsWithoutParserInternals(String what, byte[] body) {
        String detail = admin().body(body).post("/api/whatsapp/catalogs").then().statusCode(400)
                .contentType("application/problem+json").extract().path("detail");

        assertThat(detail).startsWith("not valid JSON").doesNotContainIgnoringCase("StreamReadConstraints")
                .doesNotContainIgnoringCase("jackson").doesNotContain("Exception").doesNotContain("middle byte")
                .doesNotContain("0x").doesNotContain("`");
    }

    /** Announced, not sent: the answer comes before a byte of the body is read, and the connection is closed. */
    @Test
    void aBodyAnnouncedAboveTheLimitIs413WithAProblem() throws Exception {
        try (Socket socket = new Socket("localhost", RestAssured.port)) {
            socket.setSoTimeout(30_000);
            socket.getOutputStream().write(("POST /api/whatsapp/catalogs HTTP/1.1\r\nHost: localhost\r\n"
                    + "Authorization: Bearer " + Api.bootstrapKey() + "\r\n"
                    + "Content-Type: application/json\r\nContent-Length: " + 2 * 1024 * 1024 + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();

            String response = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

            assertThat(response).startsWith("HTTP/1.1 413").containsIgnoringCase("content-type: application/problem+json")
                    .contains("\"status\":413");
        }
    }

    @Test
    void aTooLongUriIs414WithAProblem() {
        admin().get("/api/whatsapp/catalogs?q=" + "x".repeat(10_000)).then().statusCode(414)
                .contentType("application/problem+json").body("status", is(414));
    }

    @Test
    void tooLargeHeadersAre431WithAProblem() {
        admin().header("X-Padding", "x".repeat(30_000)).get("/api/whatsapp/catalogs").then().statusCode(431)
                .contentType("application/problem+json").body("status", is(431));
    }

    private static Map<String, Object> product(long catalogId, String retailerId) {
        Map<String, Object> body = new HashMap<>();
        body.put("catalogId", catalogId);
        body.put("retailerId", retailerId);
        body.put("name", "Bali 5 nights");
        body.put("priceMinor", 4_500_000);
        body.put("currency", "INR");
        body.put("stock", 5);
        return body;
    }
}
