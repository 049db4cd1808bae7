package io.wacast.catalog;

import static io.wacast.catalog.Api.admin;
import static io.wacast.catalog.Api.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * A unique key taken by a concurrent writer between a request's check and its insert (two catalogs
 * created with one Meta catalog id at the same moment) is a 409 problem, never a 500, and nothing of
 * the request is written.
 */
@QuarkusTest
class ConcurrentDuplicateTest {

    @Inject
    AgroalDataSource dataSource;

    @Test
    void aCatalogCreatedAtTheMomentAnotherTakesItsMetaCatalogIdIsA409() throws SQLException {
        String metaId = String.valueOf(System.nanoTime());
        try (Connection other = dataSource.getConnection()) {
            other.setAutoCommit(false);
            try (PreparedStatement insert = other.prepareStatement("INSERT INTO catalog (name, meta_catalog_id, created_at,"
                    + " updated_at, created_by, updated_by) VALUES ('The first', ?, NOW(6), NOW(6), 'test', 'test')")) {
                insert.setString(1, metaId);
                insert.executeUpdate();
            }
            // the request: its check cannot see the uncommitted row, its insert waits for the key
            CompletableFuture<ValidatableResponse> create = CompletableFuture.supplyAsync(() -> admin()
                    .body(Map.of("name", unique("catalog"), "metaCatalogId", metaId)).post("/api/whatsapp/catalogs").then());
            await().atMost(Duration.ofSeconds(20)).until(() -> waitingInserts() > 0);
            other.commit();

            create.join().statusCode(409).contentType("application/problem+json")
                    .body("detail", containsString("nothing was written"));
        }
        try (Connection check = dataSource.getConnection();
                PreparedStatement query = check.prepareStatement("SELECT name FROM catalog WHERE meta_catalog_id = ?")) {
            query.setString(1, metaId);
            try (ResultSet rows = query.executeQuery()) {
                assertThat(rows.next()).isTrue();
                assertThat(rows.getString(1)).isEqualTo("The first");
                assertThat(rows.next()).isFalse();
            }
        }
    }

    /** The service's insert of the catalog, waiting for the key (its own connections are visible to the same user). */
    private long waitingInserts() throws SQLException {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement query = connection.prepareStatement("SELECT COUNT(*) FROM information_schema.processlist"
                        + " WHERE LOWER(info) LIKE 'insert into catalog %' AND id <> CONNECTION_ID()");
                ResultSet rows = query.executeQuery()) {
            rows.next();
            return rows.getLong(1);
        }
    }
}
