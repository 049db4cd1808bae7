package io.wacast.catalog.client;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;

import org.eclipse.microprofile.faulttolerance.CircuitBreaker;
import org.eclipse.microprofile.faulttolerance.Timeout;

import io.quarkus.rest.client.reactive.QuarkusRestClientBuilder;
import io.wacast.catalog.config.ApiConfig;

/**
 * Asks the key store (campaign-service) who a key belongs to. A 401 or 429 is an answer; a timeout, a
 * refused connection or a 5xx is the key store being unavailable, which opens the breaker so that an
 * outage costs callers a fast 503 rather than a timeout each.
 */
@ApplicationScoped
public class KeyStore {

    /** What the key store said about a key. */
    public sealed interface Answer {
    }

    /** The key is valid: its owner's name, role and key id (absent for the bootstrap key), and its expiry. */
    public record Owner(String name, String role, Long keyId, Instant expiresAt) implements Answer {
    }

    /** The key is missing, unknown, revoked or expired. */
    public record Refused() implements Answer {
    }

    /** The operator's address failed too often; try again after this long. */
    public record Throttled(Duration retryAfter) implements Answer {
    }

    /** The key store did not answer. */
    public static class UnavailableException extends RuntimeException {
        public UnavailableException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private final URI baseUri;
    private final Optional<String> internalToken;
    private volatile KeyStoreApi api;

    public KeyStore(ApiConfig config) {
        this.baseUri = URI.create(config.keyStoreUrl());
        this.internalToken = config.internalToken().filter(token -> !token.isBlank());
    }

    /** Built on first use, inside the running application. */
    private KeyStoreApi api() {
        KeyStoreApi built = api;
        if (built == null) {
            synchronized (this) {
                if (api == null) {
                    api = QuarkusRestClientBuilder.newBuilder()
                            .baseUri(baseUri)
                            .connectTimeout(2, java.util.concurrent.TimeUnit.SECONDS)
                            .readTimeout(8, java.util.concurrent.TimeUnit.SECONDS)
                            .build(KeyStoreApi.class);
                }
                built = api;
            }
        }
        return built;
    }

    @Timeout(value = 10, unit = ChronoUnit.SECONDS)
    @CircuitBreaker(requestVolumeThreshold = 10, failureRatio = 0.5, delay = 5, delayUnit = ChronoUnit.SECONDS,
            skipOn = WebApplicationException.class)
    public Answer ask(String key, String clientAddress) {
        try {
            KeyStoreApi.KeyOwner owner = api().me("Bearer " + key, internalToken.isPresent() ? clientAddress : null,
                    internalToken.orElse(null));
            return new Owner(owner.name(), owner.role(), owner.keyId(), owner.expiresAt());
        } catch (WebApplicationException e) {
            int status = e.getResponse().getStatus();
            if (status == 401 || status == 403) {
                return new Refused();
            }
            if (status == 429) {
                return new Throttled(Duration.ofSeconds(retryAfter(e.getResponse().getHeaderString(HttpHeaders.RETRY_AFTER))));
            }
            throw new UnavailableException("the key store answered " + status, e);
        } catch (ProcessingException e) {
            throw new UnavailableException("the key store did not answer: " + e.getMessage(), e);
        }
    }

    private static long retryAfter(String header) {
        try {
            return header == null ? 1 : Math.max(1, Long.parseLong(header.strip()));
        } catch (NumberFormatException e) {
            return 1;
        }
    }
}
