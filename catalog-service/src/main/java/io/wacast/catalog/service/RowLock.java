package io.wacast.catalog.service;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

/**
 * Locks one row until the transaction ends with a plain {@code SELECT ... FOR UPDATE}. Hibernate's
 * MySQL dialect writes {@code FOR UPDATE OF <alias>}, which MySQL 8 accepts and MariaDB 10.11 does
 * not, so pessimistic locks go through this instead.
 */
@ApplicationScoped
@Transactional(Transactional.TxType.MANDATORY)
public class RowLock {

    /** Table names are constants of this service, never input. */
    public enum Table {
        CATALOG("catalog"), CART("cart"), CUSTOMER_ORDER("customer_order"), PARKED_EVENT("parked_events");

        private final String sql;

        Table(String sql) {
            this.sql = sql;
        }
    }

    @Inject
    EntityManager em;

    /** True when the row exists (and is now locked). */
    public boolean lock(Table table, long id) {
        return !em.createNativeQuery("SELECT id FROM " + table.sql + " WHERE id = ?1 FOR UPDATE")
                .setParameter(1, id).getResultList().isEmpty();
    }
}
