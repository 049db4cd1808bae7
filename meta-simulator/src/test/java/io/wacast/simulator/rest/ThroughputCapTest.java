package io.wacast.simulator.rest;

import static io.restassured.RestAssured.given;
import static io.wacast.simulator.Sim.orderUpdate;
import static io.wacast.simulator.Sim.phone;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.wacast.simulator.Sim;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The per-number throughput cap, driven by concurrent calls as a fleet of senders would make them. */
@QuarkusTest
class ThroughputCapTest {

    @TestHTTPResource("/v23.0/" + Sim.NUMBER_ID + "/messages")
    URI messages;

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void callsAboveTheCapWithinOneSecondAreRejectedWith130429AndHttp429() {
        Sim.reset("{\"throughputPerSecond\": 20}");

        Map<Integer, Long> byStatus = fire(30, i -> orderUpdate(phone(i), "wc:21:" + (i + 1)));

        // On a quiet machine the 30 calls land inside one second: 20 admitted, 10 refused. On a busy
        // one they may spread over more than a second and more are admitted; what holds either way is
        // the cap itself and the bookkeeping, so that is what is asserted (ThroughputWindowTest pins
        // the exact split with explicit timestamps).
        Stats stats = given().get("/sim/stats").then().extract().jsonPath().getObject("numbers[0]", Stats.class);
        assertThat(stats.phoneNumberId()).isEqualTo(Sim.NUMBER_ID);
        long admitted = byStatus.getOrDefault(200, 0L);
        long refused = byStatus.getOrDefault(429, 0L);
        assertThat(admitted + refused).as("every call answered 200 or 429").isEqualTo(30);
        assertThat(stats.callsAdmitted()).isEqualTo(admitted);
        assertThat(stats.callsRejected()).isEqualTo(refused);
        assertThat(stats.maxAdmittedInAnyOneSecondWindow()).as("never more than the cap in any second").isLessThanOrEqualTo(20);
        assertThat(refused).as("at least every call above the cap in the busiest second was refused")
                .isGreaterThanOrEqualTo(stats.maxCallsInAnyOneSecondWindow() - 20L);
        if (refused > 0) {
            assertThat(stats.maxAdmittedInAnyOneSecondWindow()).as("a call is refused only when the second is full")
                    .isEqualTo(20);
        }
        given().get("/sim/stats").then().body("rejectedByCode.'130429'", refused == 0 ? nullValue() : is((int) refused));
    }

    /** The simulator's per-number counters, as {@code /sim/stats} reports them. */
    record Stats(String phoneNumberId, long callsAdmitted, long callsRejected, int maxCallsInAnyOneSecondWindow,
            int maxAdmittedInAnyOneSecondWindow) {
    }

    @Test
    void simulatedLatencyDoesNotSerialiseConcurrentCalls() {
        Sim.reset("{\"latency\": {\"medianMs\": 400, \"p99Ms\": 400}}");
        long started = System.nanoTime();

        Map<Integer, Long> byStatus = fire(20, i -> orderUpdate(phone(100 + i), "wc:22:" + (i + 1)));

        long tookMs = (System.nanoTime() - started) / 1_000_000;
        assertThat(byStatus).containsEntry(200, 20L);
        // Served one after another they would take 20 × 400 ms; the bound is that, not a speed.
        assertThat(tookMs).as("20 calls of 400 ms each, answered concurrently").isBetween(400L, 20 * 400L - 1);
    }

    private Map<Integer, Long> fire(int calls, Function<Integer, String> body) {
        List<CompletableFuture<HttpResponse<String>>> responses = IntStream.range(0, calls)
                .mapToObj(i -> http.sendAsync(HttpRequest.newBuilder(messages)
                        .header("Authorization", "Bearer " + Sim.TOKEN)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body.apply(i)))
                        .build(), HttpResponse.BodyHandlers.ofString()))
                .toList();
        return responses.stream().map(CompletableFuture::join)
                .peek(r -> {
                    if (r.statusCode() == 429) {
                        assertThat(r.body()).contains("\"code\":130429");
                    }
                })
                .collect(Collectors.groupingBy(HttpResponse::statusCode, Collectors.counting()));
    }
}
