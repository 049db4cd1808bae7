package io.wacast.sender.ledger;

import static io.wacast.sender.ledger.LedgerJdbc.withDeadlockRetry;

import java.sql.Connection;
import java.sql.PreparedStatement;

import javax.sql.DataSource;

/**
 * The live senders ({@code sender_processes}): a replica whose row is fresh keeps its claims; one whose
 * row is stale or gone has its claims not yet departing taken over (docs/DESIGN.md §5).
 */
final class SenderProcesses {

    private final DataSource dataSource;

    SenderProcesses(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** This process is alive at {@code nowMs}: the others do not take over its claims. */
    void heartbeat(String owner, long nowMs) {
        withDeadlockRetry(() -> {
            try (Connection connection = dataSource.getConnection();
                    PreparedStatement upsert = connection.prepareStatement(
                            "INSERT INTO sender_processes (owner, seen_at_ms) VALUES (?, ?) ON DUPLICATE KEY UPDATE seen_at_ms = ?")) {
                upsert.setString(1, owner);
                upsert.setLong(2, nowMs);
                upsert.setLong(3, nowMs);
                return upsert.executeUpdate();
            }
        });
    }

    /**
     * This process stops: its remaining claims may be taken over at once. Rows of processes silent for
     * longer than {@code forgetBeforeMs} are removed too (their claims stay takeable: no row is dead).
     */
    void leave(String owner, long forgetBeforeMs) {
        withDeadlockRetry(() -> {
            try (Connection connection = dataSource.getConnection();
                    PreparedStatement delete = connection.prepareStatement(
                            "DELETE FROM sender_processes WHERE owner = ? OR seen_at_ms < ?")) {
                delete.setString(1, owner);
                delete.setLong(2, forgetBeforeMs);
                return delete.executeUpdate();
            }
        });
    }
}
