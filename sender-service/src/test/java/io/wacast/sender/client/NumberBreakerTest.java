package io.wacast.sender.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

class NumberBreakerTest {

    private final Instant t0 = Instant.parse("2025-01-01T00:00:00Z");
    private final NumberBreaker breaker = new NumberBreaker(3, Duration.ofSeconds(30));

    @Test
    void opensAfterTheThresholdOfConsecutiveFailuresAndRejectsUntilItsTimeIsUp() {
        assertThat(breaker.onFailure(t0)).isFalse();
        assertThat(breaker.onFailure(t0)).isFalse();
        assertThat(breaker.rejectUntil(t0)).isNull();
        assertThat(breaker.onFailure(t0)).isTrue();
        assertThat(breaker.rejectUntil(t0.plusSeconds(1))).isEqualTo(t0.plusSeconds(30));
        assertThat(breaker.isOpen(t0.plusSeconds(29))).isTrue();
    }

    @Test
    void aSuccessInBetweenResetsTheCount() {
        breaker.onFailure(t0);
        breaker.onFailure(t0);
        breaker.onSuccess();
        breaker.onFailure(t0);
        assertThat(breaker.rejectUntil(t0)).isNull();
    }

    @Test
    void afterTheOpenTimeExactlyOneProbeGoesThroughAndItsSuccessCloses() {
        for (int i = 0; i < 3; i++) {
            breaker.onFailure(t0);
        }
        Instant later = t0.plusSeconds(31);
        assertThat(breaker.rejectUntil(later)).isNull();
        assertThat(breaker.rejectUntil(later)).isNotNull();
        breaker.onSuccess();
        assertThat(breaker.rejectUntil(later)).isNull();
        assertThat(breaker.rejectUntil(later)).isNull();
    }

    @Test
    void aFailedProbeOpensTheBreakerAgain() {
        for (int i = 0; i < 3; i++) {
            breaker.onFailure(t0);
        }
        Instant later = t0.plusSeconds(31);
        assertThat(breaker.rejectUntil(later)).isNull();
        breaker.onFailure(later);
        assertThat(breaker.rejectUntil(later.plusSeconds(1))).isEqualTo(later.plusSeconds(30));
    }
}
