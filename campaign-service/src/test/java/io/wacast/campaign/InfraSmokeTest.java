package io.wacast.campaign;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.sql.SQLException;
import java.time.Duration;
import java.util.UUID;

import jakarta.inject.Inject;

import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Proves the service reaches the real infrastructure end to end: a row written to MariaDB, its id
 * published to a real Kafka topic, consumed back by the application, and the row updated.
 */
@QuarkusTest
@QuarkusTestResource(KafkaTopicsTestResource.class)
class InfraSmokeTest {

    @Inject
    AgroalDataSource dataSource;

    @Inject
    @Channel("infra-smoke-out")
    Emitter<String> emitter;

    @BeforeEach
    void createTable() throws SQLException {
        execute("CREATE TABLE IF NOT EXISTS infra_smoke (id VARCHAR(36) PRIMARY KEY, state VARCHAR(16) NOT NULL)");
    }

    @Test
    void rowWrittenPublishedConsumedAndUpdated() throws Exception {
        String id = UUID.randomUUID().toString();
        execute("INSERT INTO infra_smoke (id, state) VALUES ('" + id + "', 'written')");
        assertThat(stateOf(id)).isEqualTo("written");

        emitter.send(id).toCompletableFuture().get();

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(stateOf(id)).isEqualTo("consumed"));
    }

    private void execute(String sql) throws SQLException {
        try (var connection = dataSource.getConnection(); var statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    private String stateOf(String id) throws SQLException {
        try (var connection = dataSource.getConnection();
                var query = connection.prepareStatement("SELECT state FROM infra_smoke WHERE id = ?")) {
            query.setString(1, id);
            try (var rows = query.executeQuery()) {
                return rows.next() ? rows.getString(1) : null;
            }
        }
    }
}
