package io.wacast.sender.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;

/**
 * The retention purge against the real database: it deletes exactly the settled ledger rows older than
 * the policy and the idle token schedules, and never a row that a redelivered job or a replica still
 * needs — a recent answer (the redelivery republishes it instead of calling Meta again), a row a
 * replica holds or has marked departing however old, a retry that waits.
 */
@QuarkusTest
class RetentionTest {

    private static final long DAY_MS = Duration.ofDays(1).toMillis();

    @Inject
    Retention retention;

    @Inject
    DataSource dataSource;

    @Test
    void onlySettledRowsBeyondThePolicyAndIdleSchedulesAreDeleted() throws SQLException {
        String run = UUID.randomUUID().toString().substring(0, 8);
        long now = System.currentTimeMillis();
        ledger(run + ":answered-old", "answered", now - 15 * DAY_MS, null);
        ledger(run + ":released-old", "released", now - 20 * DAY_MS, null);
        ledger(run + ":unknown-old", "unknown", now - 30 * DAY_MS, null);
        ledger(run + ":answered-recent", "answered", now - 13 * DAY_MS, null);
        ledger(run + ":claimed-old", "claimed", now - 30 * DAY_MS, null);
        ledger(run + ":departing-old", "in_flight", now - 30 * DAY_MS, null);
        ledger(run + ":retry-waiting-old", "answered", now - 30 * DAY_MS, now + 60_000);
        long nowUs = TimeUnit.MILLISECONDS.toMicros(now);
        budget(run + ":idle", nowUs - TimeUnit.HOURS.toMicros(2));
        budget(run + ":recent", nowUs - TimeUnit.MINUTES.toMicros(10));
        budget(run + ":held", nowUs + TimeUnit.MINUTES.toMicros(5));

        assertThat(retention.purge()).isGreaterThanOrEqualTo(4);

        assertThat(ledgerExists(run + ":answered-old")).isFalse();
        assertThat(ledgerExists(run + ":released-old")).isFalse();
        assertThat(ledgerExists(run + ":unknown-old")).isFalse();
        assertThat(ledgerExists(run + ":answered-recent")).as("a recent answer dedupes a redelivery").isTrue();
        assertThat(ledgerExists(run + ":claimed-old")).as("a held claim").isTrue();
        assertThat(ledgerExists(run + ":departing-old")).as("a departing mark").isTrue();
        assertThat(ledgerExists(run + ":retry-waiting-old")).as("a waiting retry").isTrue();
        assertThat(budgetExists(run + ":idle")).isFalse();
        assertThat(budgetExists(run + ":recent")).isTrue();
        assertThat(budgetExists(run + ":held")).as("a 130429 hold in the future").isTrue();

        assertThat(retention.purge()).as("a second round finds nothing of this run").isZero();
    }

    private void ledger(String jobId, String state, long claimedAtMs, Long retryDueAtMs) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement insert = connection.prepareStatement("INSERT INTO send_ledger (job_id, campaign_id,"
                        + " attempt, state, claim_id, owner, claimed_at_ms, answered_at_ms, retry_due_at_ms, retry_job)"
                        + " VALUES (?, 1, 1, ?, 1, 'retention-test', ?, ?, ?, ?)")) {
            insert.setString(1, jobId);
            insert.setString(2, state);
            insert.setLong(3, claimedAtMs);
            insert.setObject(4, state.equals("answered") ? claimedAtMs + 1_000 : null);
            insert.setObject(5, retryDueAtMs);
            insert.setString(6, retryDueAtMs == null ? null : "{}");
            insert.executeUpdate();
        }
    }

    private void budget(String key, long nextSlotUs) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement insert = connection.prepareStatement(
                        "INSERT INTO token_budget (budget_key, next_slot_us) VALUES (?, ?)")) {
            insert.setString(1, key);
            insert.setLong(2, nextSlotUs);
            insert.executeUpdate();
        }
    }

    private boolean ledgerExists(String jobId) throws SQLException {
        return exists("SELECT 1 FROM send_ledger WHERE job_id = ?", jobId);
    }

    private boolean budgetExists(String key) throws SQLException {
        return exists("SELECT 1 FROM token_budget WHERE budget_key = ?", key);
    }

    private boolean exists(String sql, String key) throws SQLException {
        try (Connection connection = dataSource.getConnection(); PreparedStatement query = connection.prepareStatement(sql)) {
            query.setString(1, key);
            try (ResultSet rows = query.executeQuery()) {
                return rows.next();
            }
        }
    }
}
