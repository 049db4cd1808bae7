package io.wacast.common.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

class FailedAttemptsTest {

    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    private final FailedAttempts attempts = new FailedAttempts(5, Duration.ofMinutes(1), 100, now::get);

    @Test
    void anAddressMayFailUpToTheLimitThenIsBlockedUntilOneAttemptHasRefilled() {
        for (int i = 0; i < 5; i++) {
            assertThat(attempts.blockedFor("10.0.0.1")).isEmpty();
            attempts.recordFailure("10.0.0.1");
        }
        assertThat(attempts.blockedFor("10.0.0.1")).contains(Duration.ofSeconds(12));

        now.addAndGet(Duration.ofSeconds(11).toNanos());
        assertThat(attempts.blockedFor("10.0.0.1")).contains(Duration.ofSeconds(1));
        now.addAndGet(Duration.ofSeconds(1).toNanos());
        assertThat(attempts.blockedFor("10.0.0.1")).isEmpty();
        attempts.recordFailure("10.0.0.1");
        assertThat(attempts.blockedFor("10.0.0.1")).isPresent();
    }

    @Test
    void otherAddressesAreNotAffected() {
        for (int i = 0; i < 5; i++) {
            attempts.recordFailure("10.0.0.1");
        }
        assertThat(attempts.blockedFor("10.0.0.1")).isPresent();
        assertThat(attempts.blockedFor("10.0.0.2")).isEmpty();
    }

    @Test
    void memoryStaysBoundedUnderAFloodOfAddresses() {
        for (int i = 0; i < 10_000; i++) {
            attempts.recordFailure("10.0." + (i / 256) + "." + (i % 256));
        }
        assertThat(attempts.tracked()).isLessThanOrEqualTo(100);
    }

    @Test
    void refilledAddressesAreForgottenFirst() {
        FailedAttempts small = new FailedAttempts(2, Duration.ofSeconds(10), 2, now::get);
        small.recordFailure("a");
        small.recordFailure("b");
        small.recordFailure("b");
        now.addAndGet(Duration.ofSeconds(6).toNanos()); // a refilled; b still one short
        small.recordFailure("c");
        assertThat(small.tracked()).isEqualTo(2);
        small.recordFailure("b");
        assertThat(small.blockedFor("b")).isPresent();
    }
}
