package io.wacast.campaign.repository;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import java.sql.SQLTransactionRollbackException;

import jakarta.persistence.PessimisticLockException;

import org.junit.jupiter.api.Test;

/** A database failure is the service's (IllegalStateException → 500 path); a lock conflict is a retry (→ 503 busy). */
class JdbcFailureTest {

    @Test
    void aDeadlockOrALockWaitTimeoutIsALockConflict() {
        assertThat(Jdbc.failure("storing", new SQLTransactionRollbackException("Deadlock found", "40001", 1213)))
                .isInstanceOf(PessimisticLockException.class).hasMessageStartingWith("storing met a concurrent change");
        assertThat(Jdbc.failure("storing", new SQLException("Lock wait timeout exceeded", "HY000", 1205)))
                .isInstanceOf(PessimisticLockException.class);
        assertThat(Jdbc.failure("storing", new SQLException("wrapper", "HY000", 0, new SQLException("Deadlock", "40001", 1213))))
                .isInstanceOf(PessimisticLockException.class);
    }

    @Test
    void anyOtherFailureIsTheServices() {
        assertThat(Jdbc.failure("storing", new SQLException("Table 'x' doesn't exist", "42S02", 1146)))
                .isInstanceOf(IllegalStateException.class).hasMessage("storing failed: Table 'x' doesn't exist");
    }
}
