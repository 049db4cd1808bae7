package io.wacast.catalog.service;

/**
 * Something a customer can buy under one retailer id: a product without variants, or one variant.
 * Inventory and order lines point at it by {@code (productId, variantId)}.
 */
public record Sellable(long productId, Long variantId, String retailerId, String name, long priceMinor, String currency) {

    public boolean isVariant() {
        return variantId != null;
    }

    /** A stable order in which to lock stock rows, so that two orders never wait on each other's rows. */
    public String lockOrder() {
        return (isVariant() ? "v" : "p") + String.format("%020d", isVariant() ? variantId : productId);
    }
}
