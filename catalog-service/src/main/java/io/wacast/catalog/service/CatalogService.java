package io.wacast.catalog.service;

import io.quarkus.panache.common.Parameters;
import io.quarkus.panache.common.Sort;
import io.wacast.catalog.domain.Catalog;
import io.wacast.catalog.domain.Product;
import io.wacast.catalog.service.Drafts.CatalogDraft;
import io.wacast.common.problem.Problem.FieldError;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

/** Catalog CRUD; a catalog's Meta id is unique because orders arrive naming it. */
@ApplicationScoped
public class CatalogService {

    @Inject
    Paging paging;

    @Inject
    RowLock rowLock;

    @Transactional
    public Catalog create(CatalogDraft draft) {
        Catalog catalog = new Catalog();
        apply(catalog, draft);
        catalog.persist();
        catalog.flush();
        return catalog;
    }

    @Transactional
    public Page<Catalog> list(String query, Integer page, Integer size) {
        if (query == null || query.isBlank()) {
            return paging.page(Catalog.findAll(Sort.by("id")), page, size);
        }
        return paging.page(Catalog.find("lower(name) like :q or metaCatalogId = :exact", Sort.by("id"),
                Parameters.with("q", Paging.contains(query)).and("exact", query.trim())), page, size);
    }

    @Transactional
    public Catalog get(long id) {
        return Catalog.<Catalog>findByIdOptional(id).orElseThrow(() -> CatalogProblem.notFound("catalog", id));
    }

    /** The catalog, locked until the transaction ends: serialises changes to its retailer ids. */
    @Transactional(Transactional.TxType.MANDATORY)
    public Catalog lock(long id) {
        if (!rowLock.lock(RowLock.Table.CATALOG, id)) {
            throw CatalogProblem.notFound("catalog", id);
        }
        return get(id);
    }

    @Transactional
    public Catalog update(long id, CatalogDraft draft) {
        Catalog catalog = get(id);
        apply(catalog, draft);
        catalog.flush();
        return catalog;
    }

    @Transactional
    public void delete(long id) {
        Catalog catalog = get(id);
        if (Product.count("catalogId", id) > 0) {
            throw CatalogProblem.conflict("catalog-not-empty", "catalog " + id + " still has products; delete them first");
        }
        catalog.delete();
    }

    private static void apply(Catalog catalog, CatalogDraft draft) {
        String metaId = draft.metaCatalogId() == null || draft.metaCatalogId().isBlank() ? null : draft.metaCatalogId().trim();
        if (metaId != null && Catalog.count("metaCatalogId = ?1 and id <> ?2", metaId, catalog.id == null ? -1L : catalog.id) > 0) {
            throw CatalogProblem.conflict("duplicate-meta-catalog-id", "another catalog already has Meta catalog id " + metaId,
                    FieldError.of("metaCatalogId", "already used"));
        }
        catalog.name = draft.name().trim();
        catalog.metaCatalogId = metaId;
        catalog.description = draft.description();
    }
}
