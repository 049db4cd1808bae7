package io.wacast.catalog.service;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.faulttolerance.exceptions.FaultToleranceException;

import io.wacast.catalog.client.KeyStore;
import io.wacast.catalog.config.ApiConfig;

/**
 * Verifies an operator's key against the one key store (docs/DESIGN.md D21), remembering an accepted
 * key by its SHA-256 for {@code wacast.api.cache-ttl} (never past its expiry), so a burst of calls costs
 * one question. Refusals are not remembered: the key store counts each against the operator's address.
 */
@ApplicationScoped
public class KeyVerifier {

    private record Remembered(KeyStore.Owner owner, Instant until) {
    }

    private final KeyStore keyStore;
    private final ApiConfig config;
    private final Clock clock;
    private final Map<String, Remembered> accepted = new ConcurrentHashMap<>();

    @Inject
    KeyVerifier(KeyStore keyStore, ApiConfig config) {
        this(keyStore, config, Clock.systemUTC());
    }

    KeyVerifier(KeyStore keyStore, ApiConfig config, Clock clock) {
        this.keyStore = keyStore;
        this.config = config;
        this.clock = clock;
    }

    /** @throws KeyStore.UnavailableException when the key store cannot answer (timeout, breaker open, 5xx) */
    public KeyStore.Answer verify(String key, String clientAddress) {
        String hash = sha256(key);
        Instant now = clock.instant();
        Remembered remembered = accepted.get(hash);
        if (remembered != null && remembered.until().isAfter(now)) {
            return remembered.owner();
        }
        KeyStore.Answer answer;
        try {
            answer = keyStore.ask(key, clientAddress);
        } catch (FaultToleranceException e) {
            throw new KeyStore.UnavailableException("the key store is unavailable (" + e.getClass().getSimpleName() + ")", e);
        }
        if (answer instanceof KeyStore.Owner owner && !config.cacheTtl().isZero()) {
            Instant until = now.plus(config.cacheTtl());
            if (owner.expiresAt() != null && owner.expiresAt().isBefore(until)) {
                until = owner.expiresAt();
            }
            if (accepted.size() >= config.cacheSize()) {
                accepted.clear(); // bounded; the next calls ask again
            }
            accepted.put(hash, new Remembered(owner, until));
        } else {
            accepted.remove(hash);
        }
        return answer;
    }

    private static String sha256(String value) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
