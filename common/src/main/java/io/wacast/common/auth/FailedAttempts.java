package io.wacast.common.auth;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Failed authentications per client address, as a token bucket: an address may fail {@code maxFailures}
 * times in a row, then once more for every {@code window / maxFailures} that passes. While its bucket
 * is empty every request from it is refused before its key is even looked at, so a guesser learns
 * nothing from a lucky guess. Memory stays bounded: past {@code maxTracked} addresses, the ones whose
 * bucket has refilled are forgotten, and if that is not enough the oldest half is.
 */
public final class FailedAttempts {

    private final int maxFailures;
    private final double refillPerNano;
    private final int maxTracked;
    private final LongSupplier nanoClock;
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

    private static final class Bucket {
        double tokens;
        long refilledAt;

        Bucket(double tokens, long refilledAt) {
            this.tokens = tokens;
            this.refilledAt = refilledAt;
        }
    }

    public FailedAttempts(int maxFailures, Duration window, int maxTracked, LongSupplier nanoClock) {
        if (maxFailures < 1 || window.isNegative() || window.isZero() || maxTracked < 1) {
            throw new IllegalArgumentException("maxFailures, window and maxTracked must be positive");
        }
        this.maxFailures = maxFailures;
        this.refillPerNano = maxFailures / (double) window.toNanos();
        this.maxTracked = maxTracked;
        this.nanoClock = nanoClock;
    }

    /** How long the address must wait before it may try again; empty when it may try now. */
    public Optional<Duration> blockedFor(String address) {
        Bucket bucket = buckets.get(address);
        if (bucket == null) {
            return Optional.empty();
        }
        synchronized (bucket) {
            refill(bucket, nanoClock.getAsLong());
            if (bucket.tokens >= 1) {
                return Optional.empty();
            }
            double millis = (1 - bucket.tokens) / refillPerNano / 1e6;
            return Optional.of(Duration.ofMillis((long) Math.ceil(millis - 1e-6))); // whole ms, rounding noise aside
        }
    }

    /** Counts one failed authentication from the address. */
    public void recordFailure(String address) {
        long now = nanoClock.getAsLong();
        if (buckets.size() >= maxTracked && !buckets.containsKey(address)) {
            forgetRefilled(now);
        }
        Bucket bucket = buckets.computeIfAbsent(address, a -> new Bucket(maxFailures, now));
        synchronized (bucket) {
            refill(bucket, now);
            bucket.tokens = Math.max(0, bucket.tokens - 1);
        }
    }

    /** Addresses tracked now (for tests and a gauge). */
    public int tracked() {
        return buckets.size();
    }

    private void refill(Bucket bucket, long now) {
        long elapsed = Math.max(0, now - bucket.refilledAt);
        bucket.tokens = Math.min(maxFailures, bucket.tokens + elapsed * refillPerNano);
        bucket.refilledAt = now;
    }

    private void forgetRefilled(long now) {
        buckets.entrySet().removeIf(entry -> {
            synchronized (entry.getValue()) {
                refill(entry.getValue(), now);
                return entry.getValue().tokens >= maxFailures;
            }
        });
        if (buckets.size() >= maxTracked) {
            // a flood of distinct addresses: forget half rather than grow without bound
            int[] toDrop = {buckets.size() / 2};
            buckets.keySet().removeIf(key -> toDrop[0]-- > 0);
        }
    }
}
