package io.wacast.webhook.rest;

import static io.wacast.webhook.MetaPayloads.T0;
import static io.wacast.webhook.MetaPayloads.message;
import static io.wacast.webhook.MetaPayloads.messages;
import static io.wacast.webhook.MetaPayloads.status;
import static io.wacast.webhook.MetaPayloads.statuses;
import static io.wacast.webhook.rest.SignedDeliveries.deliver;
import static io.wacast.webhook.rest.SignedDeliveries.uniqueCampaignId;
import static io.wacast.webhook.rest.SignedDeliveries.uniqueUser;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.notNullValue;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The guarantee Meta's retries rely on: without Kafka's acknowledgement there is no 200. */
@QuarkusTest
@TestProfile(KafkaUnavailableTest.UnreachableBroker.class)
class KafkaUnavailableTest {

    @Test
    void aDeliveryThatKafkaCannotTakeIsAnswered503SoMetaRetriesIt() {
        long campaignId = uniqueCampaignId();
        String body = statuses(status("wamid.down-" + campaignId, "delivered", T0,
                "wc:" + campaignId + ":1", uniqueUser()));

        long start = System.nanoTime();
        deliver(body).statusCode(503).contentType("application/problem+json")
                .body("status", is(503)).header("Retry-After", notNullValue());
        // A liveness bound, not a speed: the answer comes once the 3 s publish timeout has run out and
        // is never held open. 60 s is twenty times that, loose enough for a machine at load 30+ (where
        // 15-19 s were seen), tight enough to catch a request parked until the broker comes back.
        assertThat((System.nanoTime() - start) / 1_000_000).as("ms until the 503").isLessThan(60_000);

        // Nothing was remembered as published: the retry is tried again, not dropped as a duplicate.
        deliver(body).statusCode(503);
    }

    @Test
    void aDeliveryOfOrdersIsAnswered503Too() {
        String user = uniqueUser();
        deliver(messages(message("wamid.o-" + user,
                user, "order", "\"order\":{\"catalog_id\":\"c\",\"product_items\":[]}", null)))
                .statusCode(503);
    }

    public static class UnreachableBroker implements QuarkusTestProfile {

        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "mp.messaging.outgoing.events-out.bootstrap.servers", "127.0.0.1:1",
                    "mp.messaging.outgoing.orders-out.bootstrap.servers", "127.0.0.1:1",
                    "mp.messaging.outgoing.signals-out.bootstrap.servers", "127.0.0.1:1",
                    "mp.messaging.connector.smallrye-kafka.max.block.ms", "1000",
                    "mp.messaging.connector.smallrye-kafka.request.timeout.ms", "800",
                    "mp.messaging.connector.smallrye-kafka.delivery.timeout.ms", "1000",
                    "wacast.webhook.publish-timeout", "3s");
        }
    }
}
