package io.wacast.simulator.rest;

import static io.restassured.RestAssured.given;
import static io.wacast.simulator.Sim.orderUpdate;
import static io.wacast.simulator.Sim.phone;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.wacast.simulator.Sim;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The call trace (GET /sim/trace): every send call with the sender's stamps and the simulator's own. */
@QuarkusTest
class CallTraceTest {

    @Test
    void eachCallIsTracedWithTheSendersStampsAndWhenTheSimulatorReceivedAndCountedIt() {
        Sim.reset("{\"throughputPerSecond\": 2}");
        long before = nowUs();
        for (int i = 0; i < 3; i++) {
            given().header("Authorization", "Bearer " + Sim.TOKEN).contentType(ContentType.JSON)
                    .header("X-Wacast-Slot", 1_000 + i).header("X-Wacast-Checked", 2_000 + i)
                    .header("X-Wacast-Sent", 3_000 + i)
                    .body(orderUpdate(phone(300 + i), "wc:31:" + (i + 1))).post(Sim.MESSAGES);
        }
        given().header("Authorization", "Bearer " + Sim.TOKEN).contentType(ContentType.JSON)
                .body(orderUpdate(phone(310), "wc:31:9")).post(Sim.MESSAGES);
        long after = nowUs();

        String csv = given().get("/sim/trace").then().statusCode(200).contentType("text/csv").extract().asString();
        List<String[]> rows = csv.lines().skip(1).map(line -> line.split(",")).toList();
        assertThat(csv.lines().findFirst()).hasValue(
                "phone_number_id,slot_us,checked_us,sent_us,received_us,handled_us,admitted,thread");
        assertThat(rows).hasSize(4);
        for (int i = 0; i < 3; i++) {
            assertThat(Arrays.asList(rows.get(i)).subList(0, 4))
                    .containsExactly(Sim.NUMBER_ID, "" + (1_000 + i), "" + (2_000 + i), "" + (3_000 + i));
        }
        assertThat(Arrays.asList(rows.get(3)).subList(1, 4)).as("a sender that does not trace sends no stamps")
                .containsExactly("0", "0", "0");
        for (String[] row : rows) {
            long received = Long.parseLong(row[4]);
            long handled = Long.parseLong(row[5]);
            assertThat(received).isBetween(before, after);
            assertThat(handled).isBetween(received, after);
        }
        // a cap of 2 a second: the calls beyond it inside the same second are the ones refused (130429)
        long admitted = rows.stream().filter(r -> r[6].equals("1")).count();
        int refused = given().get("/sim/stats").then().extract().path("numbers[0].callsRejected");
        assertThat(admitted).isEqualTo(4 - refused);

        given().post("/sim/reset").then().statusCode(204);
        assertThat(given().get("/sim/trace").then().extract().asString().lines().count()).as("a reset forgets the trace")
                .isEqualTo(1);
    }

    @Test
    void callsBeyondTheTracesSizeAreCountedNotTraced() {
        Sim.reset();
        for (int i = 0; i < 52; i++) {
            given().header("Authorization", "Bearer " + Sim.TOKEN).contentType(ContentType.JSON)
                    .body(orderUpdate(phone(400 + i), "wc:32:" + (i + 1))).post(Sim.MESSAGES).then().statusCode(200);
        }
        String csv = given().get("/sim/trace").then().statusCode(200).extract().asString();
        assertThat(csv.lines().filter(l -> l.startsWith(Sim.NUMBER_ID))).hasSize(50);
        assertThat(csv.lines().reduce((a, b) -> b)).hasValue("# 2 calls not traced: wacast.sim.trace-calls is 50");
    }

    private static long nowUs() {
        java.time.Instant now = java.time.Instant.now();
        return now.getEpochSecond() * 1_000_000 + now.getNano() / 1000;
    }
}
