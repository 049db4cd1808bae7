package io.wacast.sender.config;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Where the Graph API is and how long a call may take. The token never appears in logs or toString. */
@ConfigMapping(prefix = "wacast.meta")
public interface MetaConfig {

    /** Base URL without version: the real Graph API in production, the simulator locally. */
    @WithDefault("http://127.0.0.1:8090")
    String graphUrl();

    @WithDefault("v23.0")
    String apiVersion();

    /** System-user token; required, from the secret {@code WACAST_META_ACCESS_TOKEN}. */
    String accessToken();

    /**
     * Tokens of business numbers that are not reached with {@link #accessToken()} (another WABA, another
     * system user), by phone-number id: {@code wacast.meta.access-tokens."<id>"=${WACAST_META_ACCESS_TOKEN_<NAME>}}.
     * Secrets like the default token: from configuration or a secret, never through an API.
     */
    java.util.Map<String, String> accessTokens();

    @WithDefault("PT2S")
    Duration connectTimeout();

    /**
     * Time from sending the request to Meta's answer. Past it the request may already have been
     * accepted, so the attempt becomes {@code unknown}, never retried.
     */
    @WithDefault("PT10S")
    Duration callTimeout();

    /**
     * Sends each call's slot, departure check and write times along as {@code X-Wacast-Slot},
     * {@code X-Wacast-Checked} and {@code X-Wacast-Sent} (epoch µs), for the simulator's call trace
     * ({@code GET /sim/trace}) to tell where calls bunch on their way. Off by default: benchmarks only.
     */
    @WithDefault("false")
    boolean traceCalls();
}
