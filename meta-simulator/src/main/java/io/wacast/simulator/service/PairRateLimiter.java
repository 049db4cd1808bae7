package io.wacast.simulator.service;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Meta's pair rate limit: about one message every few seconds to the same user, short bursts
 * tolerated, then 131056. A token bucket per recipient; buckets that have refilled completely carry
 * no information and are evicted, so memory follows the recently messaged users only.
 */
final class PairRateLimiter {

    private static final class Bucket {
        double tokens;
        long updatedAt;

        Bucket(double tokens, long updatedAt) {
            this.tokens = tokens;
            this.updatedAt = updatedAt;
        }
    }

    private final Map<Long, Bucket> buckets = new ConcurrentHashMap<>();

    boolean tryTake(long recipient, long now, int burst, long refillNanos) {
        boolean[] taken = new boolean[1];
        buckets.compute(recipient, (key, bucket) -> {
            Bucket b = bucket == null ? new Bucket(burst, now) : bucket;
            b.tokens = Math.min(burst, b.tokens + (double) (now - b.updatedAt) / refillNanos);
            b.updatedAt = now;
            if (b.tokens >= 1) {
                b.tokens -= 1;
                taken[0] = true;
            }
            return b;
        });
        return taken[0];
    }

    /** Drops the buckets that are full again by {@code now}. */
    void evictRefilled(long now, int burst, long refillNanos) {
        for (Long recipient : buckets.keySet()) {
            buckets.computeIfPresent(recipient,
                    (key, b) -> b.tokens + (double) (now - b.updatedAt) / refillNanos >= burst ? null : b);
        }
    }

    int size() {
        return buckets.size();
    }

    void clear() {
        buckets.clear();
    }
}
