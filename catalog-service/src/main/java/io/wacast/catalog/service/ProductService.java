package io.wacast.catalog.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.panache.common.Parameters;
import io.quarkus.panache.common.Sort;
import io.wacast.catalog.domain.Availability;
import io.wacast.catalog.domain.Product;
import io.wacast.catalog.domain.ProductVariant;
import io.wacast.catalog.service.Drafts.ProductDraft;
import io.wacast.catalog.service.Drafts.VariantDraft;
import io.wacast.common.problem.Problem.FieldError;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.hibernate.Hibernate;

/**
 * Products and their variants. Retailer ids are unique per catalog across products and variants
 * (Meta knows only retailer ids); changes that touch them lock the catalog row, so two concurrent
 * creations cannot both take one id. Stock is set through {@link InventoryService}.
 */
@ApplicationScoped
public class ProductService {

    @Inject
    CatalogService catalogs;

    @Inject
    InventoryService inventory;

    @Inject
    SellableLookup sellables;

    @Inject
    Paging paging;

    @Inject
    EntityManager em;

    @Inject
    ObjectMapper json;

    @Transactional
    public Product create(ProductDraft draft) {
        if (draft.catalogId() == null) {
            throw CatalogProblem.invalid("catalogId is required", FieldError.of("catalogId", "must not be null"));
        }
        long catalogId = catalogs.lock(draft.catalogId()).id;
        List<VariantDraft> variantDrafts = draft.variants() == null ? List.of() : draft.variants();
        Set<String> newIds = new HashSet<>();
        newIds.add(draft.retailerId());
        for (int i = 0; i < variantDrafts.size(); i++) {
            if (!newIds.add(variantDrafts.get(i).retailerId())) {
                throw duplicateRetailerId("variants[" + i + "].retailerId", variantDrafts.get(i).retailerId());
            }
        }
        if (sellables.retailerIdTaken(catalogId, draft.retailerId(), null, null)) {
            throw duplicateRetailerId("retailerId", draft.retailerId());
        }
        for (int i = 0; i < variantDrafts.size(); i++) {
            if (sellables.retailerIdTaken(catalogId, variantDrafts.get(i).retailerId(), null, null)) {
                throw duplicateRetailerId("variants[" + i + "].retailerId", variantDrafts.get(i).retailerId());
            }
        }
        Product product = new Product();
        product.catalogId = catalogId;
        apply(product, draft);
        product.stock = draft.stock() == null ? 0 : draft.stock();
        product.persist();
        for (VariantDraft variantDraft : variantDrafts) {
            product.variants.add(newVariant(product, variantDraft));
        }
        em.flush();
        return product;
    }

    @Transactional
    public Page<Product> search(Long catalogId, String query, Availability availability, Integer page, Integer size) {
        List<String> where = new ArrayList<>();
        Parameters params = new Parameters();
        if (catalogId != null) {
            where.add("catalogId = :catalog");
            params.and("catalog", catalogId);
        }
        if (query != null && !query.isBlank()) {
            where.add("(lower(name) like :q or lower(retailerId) like :q)");
            params.and("q", Paging.contains(query));
        }
        if (availability != null) {
            where.add("availability = :availability");
            params.and("availability", availability);
        }
        String hql = where.isEmpty() ? "from Product" : "from Product where " + String.join(" and ", where);
        Page<Product> result = paging.page(Product.find(hql, Sort.by("id"), params), page, size);
        result.items().forEach(product -> Hibernate.initialize(product.variants));
        return result;
    }

    @Transactional
    public Product get(long id) {
        Product product = find(id);
        Hibernate.initialize(product.variants);
        return product;
    }

    @Transactional
    public Product update(long id, ProductDraft draft) {
        Product product = find(id);
        catalogs.lock(product.catalogId);
        if (!product.retailerId.equals(draft.retailerId())
                && sellables.retailerIdTaken(product.catalogId, draft.retailerId(), product.id, null)) {
            throw duplicateRetailerId("retailerId", draft.retailerId());
        }
        apply(product, draft);
        em.flush();
        if (draft.stock() != null && !inventory.setStock(SellableLookup.of(product), draft.stock())) {
            throw stockBelowReserved(draft.stock());
        }
        em.refresh(product);
        Hibernate.initialize(product.variants);
        return product;
    }

    @Transactional
    public void delete(long id) {
        Product product = find(id);
        long held = product.reserved + product.variants.stream().mapToLong(variant -> variant.reserved).sum();
        if (held > 0) {
            throw CatalogProblem.conflict("stock-reserved",
                    "product " + id + " has " + held + " units held by open orders; cancel or fulfil them first");
        }
        product.delete();
    }

    @Transactional
    public Product addVariant(long productId, VariantDraft draft) {
        Product product = find(productId);
        catalogs.lock(product.catalogId);
        if (sellables.retailerIdTaken(product.catalogId, draft.retailerId(), null, null)) {
            throw duplicateRetailerId("retailerId", draft.retailerId());
        }
        Hibernate.initialize(product.variants);
        product.variants.add(newVariant(product, draft));
        em.flush();
        return product;
    }

    @Transactional
    public Product updateVariant(long productId, long variantId, VariantDraft draft) {
        ProductVariant variant = findVariant(productId, variantId);
        catalogs.lock(variant.catalogId);
        if (!variant.retailerId.equals(draft.retailerId())
                && sellables.retailerIdTaken(variant.catalogId, draft.retailerId(), null, variant.id)) {
            throw duplicateRetailerId("retailerId", draft.retailerId());
        }
        apply(variant, draft);
        em.flush();
        if (draft.stock() != null && !inventory.setStock(SellableLookup.of(variant), draft.stock())) {
            throw stockBelowReserved(draft.stock());
        }
        em.refresh(variant);
        Product product = variant.product;
        Hibernate.initialize(product.variants);
        return product;
    }

    @Transactional
    public void deleteVariant(long productId, long variantId) {
        ProductVariant variant = findVariant(productId, variantId);
        if (variant.reserved > 0) {
            throw CatalogProblem.conflict("stock-reserved",
                    "variant " + variantId + " has " + variant.reserved + " units held by open orders");
        }
        variant.product.variants.remove(variant);
        variant.delete();
    }

    private Product find(long id) {
        return Product.<Product>findByIdOptional(id).orElseThrow(() -> CatalogProblem.notFound("product", id));
    }

    private ProductVariant findVariant(long productId, long variantId) {
        return ProductVariant.<ProductVariant>findByIdOptional(variantId)
                .filter(variant -> variant.product.id == productId)
                .orElseThrow(() -> CatalogProblem.notFound("variant", variantId + " of product " + productId));
    }

    private ProductVariant newVariant(Product product, VariantDraft draft) {
        ProductVariant variant = new ProductVariant();
        variant.product = product;
        variant.catalogId = product.catalogId;
        apply(variant, draft);
        variant.stock = draft.stock() == null ? 0 : draft.stock();
        variant.persist();
        return variant;
    }

    private static void apply(Product product, ProductDraft draft) {
        product.retailerId = draft.retailerId();
        product.name = draft.name().trim();
        product.description = draft.description();
        product.priceMinor = draft.priceMinor();
        product.currency = draft.currency();
        product.imageUrl = draft.imageUrl();
        product.availability = draft.availability() == null ? Availability.IN_STOCK : draft.availability();
    }

    private void apply(ProductVariant variant, VariantDraft draft) {
        variant.retailerId = draft.retailerId();
        variant.name = draft.name().trim();
        variant.priceMinor = draft.priceMinor();
        variant.currency = draft.currency();
        variant.attributes = attributesJson(draft.attributes());
    }

    private String attributesJson(Map<String, String> attributes) {
        if (attributes == null || attributes.isEmpty()) {
            return null;
        }
        try {
            return json.writeValueAsString(attributes);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a map of strings always serialises", e);
        }
    }

    private static CatalogProblem duplicateRetailerId(String field, String retailerId) {
        return CatalogProblem.conflict("duplicate-retailer-id",
                "retailer id '" + retailerId + "' is already used in this catalog", FieldError.of(field, "already used"));
    }

    private static CatalogProblem stockBelowReserved(int stock) {
        return CatalogProblem.conflict("stock-below-reserved",
                "stock " + stock + " is less than the units open orders hold", FieldError.of("stock", "below reserved units"));
    }
}
