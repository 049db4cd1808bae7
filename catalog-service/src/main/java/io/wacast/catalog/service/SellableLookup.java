package io.wacast.catalog.service;

import io.wacast.catalog.domain.Product;
import io.wacast.catalog.domain.ProductVariant;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Finds what a retailer id sells in a catalog, whether it names a product or one of its variants. */
@ApplicationScoped
public class SellableLookup {

    public Map<String, Sellable> byRetailerIds(long catalogId, Collection<String> retailerIds) {
        Map<String, Sellable> found = new HashMap<>();
        if (retailerIds.isEmpty()) {
            return found;
        }
        List<String> ids = List.copyOf(new java.util.HashSet<>(retailerIds));
        Product.<Product>list("catalogId = ?1 and retailerId in ?2", catalogId, ids)
                .forEach(product -> found.put(product.retailerId, of(product)));
        ProductVariant.<ProductVariant>list(
                "from ProductVariant v join fetch v.product where v.catalogId = ?1 and v.retailerId in ?2", catalogId, ids)
                .forEach(variant -> found.put(variant.retailerId, of(variant)));
        return found;
    }

    /** Whether a product or variant of the catalog already uses the retailer id. */
    public boolean retailerIdTaken(long catalogId, String retailerId, Long exceptProductId, Long exceptVariantId) {
        long products = exceptProductId == null
                ? Product.count("catalogId = ?1 and retailerId = ?2", catalogId, retailerId)
                : Product.count("catalogId = ?1 and retailerId = ?2 and id <> ?3", catalogId, retailerId, exceptProductId);
        long variants = exceptVariantId == null
                ? ProductVariant.count("catalogId = ?1 and retailerId = ?2", catalogId, retailerId)
                : ProductVariant.count("catalogId = ?1 and retailerId = ?2 and id <> ?3", catalogId, retailerId, exceptVariantId);
        return products + variants > 0;
    }

    public static Sellable of(Product product) {
        return new Sellable(product.id, null, product.retailerId, product.name, product.priceMinor, product.currency);
    }

    public static Sellable of(ProductVariant variant) {
        return new Sellable(variant.product.id, variant.id, variant.retailerId,
                variant.product.name + " – " + variant.name, variant.priceMinor, variant.currency);
    }
}
