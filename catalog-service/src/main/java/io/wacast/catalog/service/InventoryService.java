package io.wacast.catalog.service;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import jakarta.transaction.Transactional.TxType;

/**
 * Stock that never oversells. Each change is one conditional UPDATE on the stock row: the database
 * checks the free quantity and changes it under the row lock, so concurrent reservations of the last
 * units succeed for exactly as many units as there are, on any number of replicas, with no
 * read-then-write window. Runs inside the caller's transaction, so a rolled-back order releases what
 * it reserved.
 */
@ApplicationScoped
@Transactional(TxType.MANDATORY)
public class InventoryService {

    @Inject
    EntityManager em;

    /** Holds {@code quantity} units for an order; false, changing nothing, when fewer are free. */
    public boolean reserve(Sellable item, int quantity) {
        return update(item, "reserved = reserved + ?1", "stock - reserved >= ?1", quantity);
    }

    /** Gives back units an order held (order cancelled). */
    public void release(Sellable item, int quantity) {
        update(item, "reserved = reserved - ?1", "reserved >= ?1", quantity);
    }

    /** Units an order held leave the stock (order fulfilled). */
    public void consume(Sellable item, int quantity) {
        update(item, "stock = stock - ?1, reserved = reserved - ?1", "reserved >= ?1", quantity);
    }

    /** Sets the stock on hand; false when it would fall below what orders already hold. */
    public boolean setStock(Sellable item, int stock) {
        return update(item, "stock = ?1", "reserved <= ?1", stock);
    }

    private boolean update(Sellable item, String set, String condition, int amount) {
        String table = item.isVariant() ? "product_variant" : "product";
        long id = item.isVariant() ? item.variantId() : item.productId();
        int rows = em.createNativeQuery("UPDATE " + table + " SET " + set + " WHERE id = ?2 AND " + condition)
                .setParameter(1, amount)
                .setParameter(2, id)
                .executeUpdate();
        return rows == 1;
    }
}
