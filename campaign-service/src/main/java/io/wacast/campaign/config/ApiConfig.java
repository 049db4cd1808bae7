package io.wacast.campaign.config;

import java.time.Duration;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * The operator API's credentials and their guards (docs/DESIGN.md D21): campaign-service owns the one
 * key store every service verifies against. Secrets come from the environment, never from code.
 */
@ConfigMapping(prefix = "wacast.api")
public interface ApiConfig {

    /** {@code WACAST_API_BOOTSTRAP_KEY}; required, so a deployment without it fails to start. */
    String bootstrapKey();

    /**
     * {@code WACAST_INTERNAL_TOKEN}: shared with the console and catalog-service, which name the
     * operator's address when they call on an operator's behalf. Without it their address is used.
     */
    Optional<String> internalToken();

    /** How long a rotated key keeps working beside its replacement unless the rotation says otherwise. */
    @WithDefault("24h")
    Duration rotationGrace();

    /** The longest grace a rotation may ask for. */
    @WithDefault("30d")
    Duration maxRotationGrace();

    /** The longest lifetime a key may be issued with ({@code expiresAt} at most this far ahead). */
    @WithDefault("1096d")
    Duration maxKeyLifetime();

    /** How long audit entries are kept; older ones are purged hourly (docs/DESIGN.md §7, Retention). */
    @WithDefault("400d")
    Duration auditRetention();

    FailedAuth failedAuth();

    /** Failed authentications tolerated per client address before it is refused with 429. */
    interface FailedAuth {

        /** Failures in a row an address may make; then one more per {@code window / max-failures}. */
        @WithDefault("20")
        int maxFailures();

        @WithDefault("1m")
        Duration window();

        /** Addresses remembered at most; bounded memory under a flood of distinct addresses. */
        @WithDefault("100000")
        int maxTracked();
    }
}
