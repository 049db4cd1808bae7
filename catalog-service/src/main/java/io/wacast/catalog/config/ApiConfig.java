package io.wacast.catalog.config;

import java.time.Duration;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * How operators' keys are verified: campaign-service owns the one key store (docs/DESIGN.md D21), and
 * this service asks it who a key belongs to, remembering a positive answer for a short while.
 */
@ConfigMapping(prefix = "wacast.api")
public interface ApiConfig {

    /** {@code WACAST_KEY_STORE_URL}: campaign-service's base URL, e.g. {@code http://campaign-service:8081}. */
    String keyStoreUrl();

    /**
     * {@code WACAST_INTERNAL_TOKEN}, shared with campaign-service and the console: proves to the key
     * store that the operator's address this service names is believed, and lets the console name it here.
     */
    Optional<String> internalToken();

    /**
     * How long a key the key store accepted is believed without asking again: a key revoked there is
     * refused here within this time (never past the key's own expiry). 0 asks on every request.
     */
    @WithDefault("30s")
    Duration cacheTtl();

    /** Keys remembered at most. */
    @WithDefault("10000")
    int cacheSize();
}
