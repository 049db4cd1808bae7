package io.wacast.sender.client;

import java.time.Duration;
import java.time.Instant;

/**
 * Circuit breaker of one business number: after {@code threshold} consecutive transient failures
 * (5xx, timeouts, network) it stops calls for {@code openFor}, then lets one probe through. Meta's
 * permanent answers (4xx) are results and count as successes here: they prove Meta is up.
 */
final class NumberBreaker {

    private final int threshold;
    private final Duration openFor;
    private int consecutiveFailures;
    private Instant openUntil = Instant.MIN;
    private boolean probing;

    NumberBreaker(int threshold, Duration openFor) {
        this.threshold = threshold;
        this.openFor = openFor;
    }

    /** Null when a call may go out, else the time the breaker lets the next probe through. */
    synchronized Instant rejectUntil(Instant now) {
        if (consecutiveFailures < threshold) {
            return null;
        }
        if (now.isBefore(openUntil) || probing) {
            return now.isBefore(openUntil) ? openUntil : now.plus(openFor);
        }
        probing = true;
        return null;
    }

    synchronized void onSuccess() {
        consecutiveFailures = 0;
        probing = false;
    }

    /** True when this failure opened the breaker. */
    synchronized boolean onFailure(Instant now) {
        probing = false;
        consecutiveFailures++;
        if (consecutiveFailures >= threshold) {
            boolean opened = !now.isBefore(openUntil);
            openUntil = now.plus(openFor);
            return opened;
        }
        return false;
    }

    synchronized boolean isOpen(Instant now) {
        return consecutiveFailures >= threshold && now.isBefore(openUntil);
    }
}
