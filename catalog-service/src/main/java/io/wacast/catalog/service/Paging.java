package io.wacast.catalog.service;

import io.quarkus.hibernate.orm.panache.PanacheQuery;
import io.wacast.catalog.config.CatalogConfig;
import io.wacast.common.problem.ParameterFormat;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/** Applies the configured default and maximum page sizes to every list query. */
@ApplicationScoped
public class Paging {

    @Inject
    CatalogConfig config;

    public <T> Page<T> page(PanacheQuery<T> query, Integer page, Integer size) {
        int index = page == null ? 0 : page;
        int length = Math.min(size == null ? config.defaultPageSize() : size, config.maxPageSize());
        ParameterFormat.checkPage(index, length).ifPresent(error -> {
            throw CatalogProblem.invalid("page: " + error.message(), error);
        });
        return new Page<>(query.page(index, length).list(), index, length, query.count());
    }

    /** Escapes LIKE wildcards in a search term and wraps it for a contains-match. */
    public static String contains(String term) {
        return "%" + term.trim().toLowerCase(java.util.Locale.ROOT)
                .replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
    }
}
