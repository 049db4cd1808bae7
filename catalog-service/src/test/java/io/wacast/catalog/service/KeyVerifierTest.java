package io.wacast.catalog.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.wacast.catalog.client.KeyStore;
import io.wacast.catalog.config.ApiConfig;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class KeyVerifierTest {

    private Instant now = Instant.parse("2026-12-05T10:00:00Z");
    private final Clock clock = new Clock() {
        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    };

    private final Deque<KeyStore.Answer> answers = new ArrayDeque<>();
    private int asks;

    private final ApiConfig config = new ApiConfig() {
        @Override
        public String keyStoreUrl() {
            return "http://127.0.0.1:1";
        }

        @Override
        public Optional<String> internalToken() {
            return Optional.empty();
        }

        @Override
        public Duration cacheTtl() {
            return Duration.ofSeconds(30);
        }

        @Override
        public int cacheSize() {
            return 2;
        }
    };

    private final KeyStore keyStore = new KeyStore(config) {
        @Override
        public Answer ask(String key, String clientAddress) {
            asks++;
            return answers.isEmpty() ? new Refused() : answers.pop();
        }
    };

    private final KeyVerifier verifier = new KeyVerifier(keyStore, config, clock);

    @Test
    void anAcceptedKeyIsAskedOncePerTtl() {
        answers.add(new KeyStore.Owner("ops", "operator", 1L, null));
        answers.add(new KeyStore.Owner("ops", "operator", 1L, null));
        for (int i = 0; i < 5; i++) {
            assertThat(verifier.verify("wck_a", "10.0.0.1")).isInstanceOf(KeyStore.Owner.class);
        }
        assertThat(asks).isEqualTo(1);
        now = now.plusSeconds(31);
        verifier.verify("wck_a", "10.0.0.1");
        assertThat(asks).isEqualTo(2);
    }

    @Test
    void anAcceptedKeyIsNeverBelievedPastItsExpiry() {
        answers.add(new KeyStore.Owner("ops", "operator", 1L, now.plusSeconds(5)));
        verifier.verify("wck_a", "10.0.0.1");
        now = now.plusSeconds(6);
        assertThat(verifier.verify("wck_a", "10.0.0.1")).isInstanceOf(KeyStore.Refused.class);
        assertThat(asks).isEqualTo(2);
    }

    @Test
    void refusalsAreNeverRemembered() {
        verifier.verify("wck_bad", "10.0.0.1");
        verifier.verify("wck_bad", "10.0.0.1");
        assertThat(asks).isEqualTo(2);
    }

    @Test
    void theCacheStaysBounded() {
        for (int i = 0; i < 3; i++) {
            answers.add(new KeyStore.Owner("k" + i, "viewer", (long) i, null));
            verifier.verify("wck_" + i, "10.0.0.1");
        }
        answers.add(new KeyStore.Owner("k0", "viewer", 0L, null));
        verifier.verify("wck_0", "10.0.0.1");
        assertThat(asks).as("the first key was forgotten when the third arrived").isEqualTo(4);
    }
}
