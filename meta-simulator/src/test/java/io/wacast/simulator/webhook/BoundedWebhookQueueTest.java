package io.wacast.simulator.webhook;

import static io.restassured.RestAssured.given;
import static io.wacast.simulator.Sim.orderUpdate;
import static io.wacast.simulator.Sim.phone;
import static io.wacast.simulator.Sim.send;
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
    void eventsBeyondTheQueueCapacityAreDroppedAndCountedWhileEverySendIsAnswered() {
        Sim.reset("{\"webhooks\": {\"url\": \"http://127.0.0.1:" + WebhookReceiver.freePort() + "/webhooks/whatsapp\"}}");
        for (int i = 1; i <= 10; i++) {
            send(orderUpdate(phone(i), "wc:70:" + i)).then().statusCode(200);
        }

        // every send answered while the four queued webhooks still wait for the dead endpoint:
        // sending never waits for webhook delivery, and the overflow is dropped and counted
        given().get("/sim/stats").then()
                .body("acceptedCalls", is(10))
                .body("webhooksPending", is(4))
                .body("webhooksDropped", is(26));
    }
}
