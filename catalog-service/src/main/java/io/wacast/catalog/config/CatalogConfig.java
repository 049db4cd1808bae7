package io.wacast.catalog.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Paging limits of the catalog API's list endpoints. */
@ConfigMapping(prefix = "wacast.catalog")
public interface CatalogConfig {

    @WithDefault("20")
    int defaultPageSize();

    /** Larger requested pages are cut to this size. */
    @WithDefault("100")
    int maxPageSize();
}
