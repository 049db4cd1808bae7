package io.wacast.catalog;

import static io.wacast.catalog.Api.as;
import static io.wacast.catalog.Api.keyOf;
import static io.wacast.catalog.Api.unique;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.wacast.common.Topics;
import io.wacast.common.event.AuditEvent;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.awaitility.Awaitility;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

/** Every change asked of the catalog API is published to wacast.audit for the one audit log (D21). */
@QuarkusTest
@QuarkusTestResource(KeyStoreStandIn.class)
class AuditEventsTest {

    @Inject
    ObjectMapper json;

    @Test
    void changesAndRefusedChangesArePublishedWithWhoWhatAndWhereButReadsAreNot() throws Exception {
        String operator = keyOf("operator");
        String viewer = keyOf("viewer");
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                "bootstrap.servers", ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class),
                "group.id", "catalog-audit-test-" + UUID.randomUUID(), "auto.offset.reset", "latest"),
                new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(Topics.AUDIT));
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> {
                consumer.poll(Duration.ofMillis(200));
                return !consumer.assignment().isEmpty();
            });
            consumer.seekToEnd(consumer.assignment());
            consumer.assignment().forEach(consumer::position);

            String name = unique("audited");
            RestAssured.given().contentType("application/json").header("Authorization", "Bearer " + operator)
                    .header("X-Wacast-Client-Address", "203.0.113.55").header("X-Wacast-Internal-Token", "test-internal-token")
                    .body(Map.of("name", name)).post("/api/whatsapp/catalogs").then().statusCode(201);
            as(operator).get("/api/whatsapp/catalogs").then().statusCode(200);
            as(viewer).body(Map.of("name", name + "-2")).post("/api/whatsapp/catalogs").then().statusCode(403);

            List<AuditEvent> events = new ArrayList<>();
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    AuditEvent event = json.readValue(record.value(), AuditEvent.class);
                    if (event.actor().endsWith(operator.substring(operator.lastIndexOf('_') + 1))
                            || event.actor().endsWith(viewer.substring(viewer.lastIndexOf('_') + 1))) {
                        events.add(event);
                    }
                }
                return events.size() >= 2;
            });
            assertThat(events).extracting(AuditEvent::service).containsOnly("catalog-service");
            assertThat(events).extracting(AuditEvent::method, AuditEvent::path, AuditEvent::status)
                    .containsExactlyInAnyOrder(
                            org.assertj.core.groups.Tuple.tuple("POST", "/api/whatsapp/catalogs", 201),
                            org.assertj.core.groups.Tuple.tuple("POST", "/api/whatsapp/catalogs", 403));
            assertThat(events).filteredOn(e -> e.status() == 201).singleElement().satisfies(e -> {
                assertThat(e.clientAddress()).isEqualTo("203.0.113.55");
                assertThat(e.actorRole()).isEqualTo("operator");
                assertThat(e.actorKeyId()).isNotNull();
            });
        }
    }
}
