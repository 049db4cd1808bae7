package io.wacast.campaign.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import io.wacast.campaign.Api;
import io.wacast.campaign.KafkaTopicsTestResource;

/**
 * A unique key taken by a concurrent writer between a request's check and its insert (the template sync
 * inserting the template an operator registers at that moment) is a 409 problem, never a 500, and
 * nothing of the request is written.
 */
@QuarkusTest
@QuarkusTestResource(KafkaTopicsTestResource.class)
class ConcurrentDuplicateTest {

    @Inject
    AgroalDataSource dataSource;

    @Test
    void aTemplateRegisteredAtTheMomentAnotherWriterInsertsItIsA409() throws SQLException {
        String name = "race_" + UUID.randomUUID().toString().substring(0, 8);
        try (Connection sync = dataSource.getConnection()) {
            sync.setAutoCommit(false);
            try (PreparedStatement insert = sync.prepareStatement("INSERT INTO templates (name, language, category, status,"
                    + " header_type, body, buttons, created_at, updated_at) VALUES (?, 'en_US', 'MARKETING', 'APPROVED',"
                    + " 'NONE', 'From the sync', '[]', NOW(6), NOW(6))")) {
                insert.setString(1, name);
                insert.executeUpdate();
            }
            // the operator's request: its check cannot see the uncommitted row, its insert waits for the key
            CompletableFuture<ValidatableResponse> register = CompletableFuture.supplyAsync(() -> Api.admin()
                    .body(Map.of("name", name, "language", "en_US", "category", "marketing", "body", "From the operator"))
                    .post("/api/whatsapp/templates").then());
            await().atMost(Duration.ofSeconds(20)).until(() -> waitingInserts() > 0);
            sync.commit();

            register.join().statusCode(409).contentType("application/problem+json")
                    .body("detail", containsString("nothing was written"));
        }
        try (Connection check = dataSource.getConnection();
                PreparedStatement query = check.prepareStatement("SELECT body FROM templates WHERE name = ?")) {
            query.setString(1, name);
            try (ResultSet rows = query.executeQuery()) {
                assertThat(rows.next()).isTrue();
                assertThat(rows.getString(1)).isEqualTo("From the sync");
                assertThat(rows.next()).isFalse();
            }
        }
    }

    /** The service's insert of the template, waiting for the key (its own connections are visible to the same user). */
    private long waitingInserts() throws SQLException {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement query = connection.prepareStatement("SELECT COUNT(*) FROM information_schema.processlist"
                        + " WHERE LOWER(info) LIKE 'insert into templates%' AND id <> CONNECTION_ID()");
                ResultSet rows = query.executeQuery()) {
            rows.next();
            return rows.getLong(1);
        }
    }
}
