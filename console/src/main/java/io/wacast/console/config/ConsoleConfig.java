package io.wacast.console.config;

import java.time.Duration;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The console's own settings; the upstream URLs are the REST clients' ({@code quarkus.rest-client.*}). */
@ConfigMapping(prefix = "wacast.console")
public interface ConsoleConfig {

    /** Encrypts the session cookie and signs the CSRF token; at least 32 characters. */
    String sessionSecret();

    /** How long a sign-in lasts. */
    @WithDefault("12H")
    Duration sessionMaxAge();

    /** Marks the session cookie Secure (HTTPS only); on behind TLS. */
    @WithDefault("false")
    boolean secureCookies();

    /** The campaign-service's base URL, for the page that says which upstream is down. */
    String campaignUrl();

    /** The catalog-service's base URL. */
    String catalogUrl();

    /**
     * {@code WACAST_INTERNAL_TOKEN}, shared with campaign-service and catalog-service: with it the
     * console names the operator's address upstream, so their failed-authentication limit and audit log
     * see the operator rather than the console (docs/DESIGN.md D21).
     */
    Optional<String> internalToken();
}
