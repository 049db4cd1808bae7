package io.wacast.catalog.config;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Paging limits of the catalog API's list endpoints, the orders consumer's retries, request sizes. */
@ConfigMapping(prefix = "wacast.catalog")
public interface CatalogConfig {

    @WithDefault("20")
    int defaultPageSize();

    /** Larger requested pages are cut to this size. */
    @WithDefault("100")
    int maxPageSize();

    /** Attempts at one order event before it is parked (a failure that repeats is not transient). */
    @WithDefault("3")
    int orderEventAttempts();

    /**
     * How long parked order events are kept, replayed or not (the ERROR line alerted when each was
     * parked); older ones are purged hourly (docs/DESIGN.md §7, Retention).
     */
    @WithDefault("2160h")
    java.time.Duration parkedRetention();

    Http http();

    /**
     * Sizes refused before routing, with a problem body (Vert.x's codec limits are set higher in
     * {@code application.properties}; the body limit is {@code quarkus.http.limits.max-body-size}).
     */
    interface Http {

        @WithDefault("8192")
        int maxUriLength();

        @WithDefault("20K")
        MemorySize maxHeaderSize();
    }
}
