package io.wacast.catalog;

import static io.wacast.catalog.Api.admin;
import static io.wacast.catalog.Api.createCatalog;
import static io.wacast.catalog.Api.createProduct;
import static io.wacast.catalog.Api.unique;
import static io.wacast.catalog.Api.uniquePhone;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.is;

import io.quarkus.test.junit.QuarkusTest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** Inventory never oversells: concurrent orders for the last units, against the real MariaDB. */
@QuarkusTest
class InventoryRaceTest {

    @Test
    void twentyConcurrentOrdersForTheLastFiveUnitsSucceedExactlyFiveTimes() throws Exception {
        long catalogId = createCatalog(null);
        String sku = unique("last-five");
        long productId = createProduct(catalogId, sku, 4_500_000, 5);
        int buyers = 20;
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(buyers);
        List<Future<Integer>> answers = new ArrayList<>();
        try {
            for (int i = 0; i < buyers; i++) {
                Callable<Integer> order = () -> {
                    start.await();
                    return admin().body(Map.of("customerPhone", uniquePhone(), "catalogId", catalogId,
                                    "items", List.of(Map.of("retailerId", sku, "quantity", 1))))
                            .post("/api/whatsapp/orders").then().extract().statusCode();
                };
                answers.add(pool.submit(order));
            }
            start.countDown();
            List<Integer> statuses = new ArrayList<>();
            for (Future<Integer> answer : answers) {
                statuses.add(answer.get());
            }

            assertThat(statuses).filteredOn(status -> status == 201).hasSize(5);
            assertThat(statuses).filteredOn(status -> status == 409).hasSize(15);
        } finally {
            pool.shutdownNow();
        }
        admin().get("/api/whatsapp/products/" + productId).then()
                .body("stock", is(5)).body("reserved", is(5)).body("available", is(0));
    }

    @Test
    void anOrderThatCannotHoldEveryLineHoldsNothing() {
        long catalogId = createCatalog(null);
        String plenty = unique("plenty");
        String scarce = unique("scarce");
        long plentyId = createProduct(catalogId, plenty, 100, 10);
        createProduct(catalogId, scarce, 100, 1);

        admin().body(Map.of("customerPhone", uniquePhone(), "catalogId", catalogId, "items", List.of(
                        Map.of("retailerId", plenty, "quantity", 2), Map.of("retailerId", scarce, "quantity", 2))))
                .post("/api/whatsapp/orders").then().statusCode(409)
                .body("type", is("https://wacast.io/problems/insufficient-stock"))
                .body("errors[0].field", is("items[1].quantity"));

        admin().get("/api/whatsapp/products/" + plentyId).then().body("reserved", is(0));
    }
}
