package io.wacast.simulator.webhook;

import static io.restassured.RestAssured.given;
import static io.wacast.simulator.Sim.orderUpdate;
import static io.wacast.simulator.Sim.phone;
import static io.wacast.simulator.Sim.send;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.is;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.wacast.simulator.Sim;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A dead webhook endpoint neither slows the send API nor grows memory: the queue is bounded, drops are counted. */
@QuarkusTest
@TestProfile(BoundedWebhookQueueTest.TinyQueue.class)
class BoundedWebhookQueueTest {

    public static class TinyQueue implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("wacast.sim.webhook.queue-capacity", "4");
        }
    }

    @Test
    void eventsBeyondTheQueueCapacityAreDroppedAndCountedWhileSendingStaysFast() {
        Sim.reset("{\"webhooks\": {\"url\": \"http://127.0.0.1:" + WebhookReceiver.freePort() + "/webhooks/whatsapp\"}}");
        long started = System.nanoTime();
        for (int i = 1; i <= 10; i++) {
            send(orderUpdate(phone(i), "wc:70:" + i)).then().statusCode(200);
        }
        long tookMs = (System.nanoTime() - started) / 1_000_000;

        assertThat(tookMs).as("10 sends with no latency against a dead endpoint").isLessThan(5_000);
        given().get("/sim/stats").then()
                .body("acceptedCalls", is(10))
                .body("webhooksPending", is(4))
                .body("webhooksDropped", is(26));
    }
}
