package io.wacast.simulator.stats;

import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

/**
 * When one campaign's first and last accepted calls arrived: the campaign's actual sending time at
 * the number, the measurement the plan's predicted duration is compared with (the end-to-end test).
 */
final class SendingSpan {

    private final AtomicLong first = new AtomicLong(Long.MAX_VALUE);
    private final AtomicLong last = new AtomicLong(Long.MIN_VALUE);

    void accepted(long epochMillis) {
        first.accumulateAndGet(epochMillis, Math::min);
        last.accumulateAndGet(epochMillis, Math::max);
    }

    View view() {
        long f = first.get();
        long l = last.get();
        return f == Long.MAX_VALUE ? new View(null, null) : new View(Instant.ofEpochMilli(f), Instant.ofEpochMilli(l));
    }

    /** @param firstAcceptedAt the first accepted call, null before any; @param lastAcceptedAt the last */
    public record View(Instant firstAcceptedAt, Instant lastAcceptedAt) {
    }
}
