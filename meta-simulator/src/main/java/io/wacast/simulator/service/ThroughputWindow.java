package io.wacast.simulator.service;

import io.wacast.simulator.stats.SimulatorStatsView.NumberView;

/**
 * The throughput cap of one business number over a sliding one-second window, and the measurement
 * of what actually arrived. A fixed per-second bucket would let twice the cap land inside one
 * second straddling a boundary; here a call is admitted only if fewer than {@code cap} calls were
 * admitted in the second before it. Both windows are ring buffers of nanosecond timestamps, so the
 * cost per call is O(1) amortised and the memory is bounded whatever the load.
 */
final class ThroughputWindow {

    static final long WINDOW_NANOS = 1_000_000_000L;
    /** Attempts remembered per second; beyond it the measured maximum saturates at this value. */
    static final int MAX_TRACKED_ATTEMPTS = 1 << 16;

    private long[] admitted = new long[1];
    private int admittedHead;
    private int admittedCount;

    private long[] attempts = new long[1024];
    private int attemptsHead;
    private int attemptsCount;

    private long admittedCalls;
    private long rejectedCalls;
    private int maxAttemptsInWindow;
    private int maxAdmittedInWindow;

    /** Records the arrival of a call at {@code now} and admits it if the cap allows. */
    synchronized boolean tryAdmit(long now, int cap) {
        recordAttempt(now);
        if (admitted.length != cap) {
            resize(cap);
        }
        while (admittedCount > 0 && now - admitted[admittedHead] >= WINDOW_NANOS) {
            admittedHead = (admittedHead + 1) % admitted.length;
            admittedCount--;
        }
        if (admittedCount >= cap) {
            rejectedCalls++;
            return false;
        }
        admitted[(admittedHead + admittedCount) % admitted.length] = now;
        admittedCount++;
        admittedCalls++;
        maxAdmittedInWindow = Math.max(maxAdmittedInWindow, admittedCount);
        return true;
    }

    synchronized NumberView stats(String phoneNumberId) {
        return new NumberView(phoneNumberId, admittedCalls, rejectedCalls, maxAttemptsInWindow, maxAdmittedInWindow);
    }

    private void recordAttempt(long now) {
        while (attemptsCount > 0 && now - attempts[attemptsHead] >= WINDOW_NANOS) {
            attemptsHead = (attemptsHead + 1) % attempts.length;
            attemptsCount--;
        }
        if (attemptsCount == attempts.length) {
            if (attempts.length < MAX_TRACKED_ATTEMPTS) {
                attempts = unroll(attempts, attemptsHead, attemptsCount, attempts.length * 2);
                attemptsHead = 0;
            } else {
                attemptsHead = (attemptsHead + 1) % attempts.length;
                attemptsCount--;
            }
        }
        attempts[(attemptsHead + attemptsCount) % attempts.length] = now;
        attemptsCount++;
        maxAttemptsInWindow = Math.max(maxAttemptsInWindow, attemptsCount);
    }

    /** A new cap keeps the most recent admissions, so changing the cap at runtime opens no burst. */
    private void resize(int cap) {
        int keep = Math.min(admittedCount, cap);
        int skip = admittedCount - keep;
        long[] next = new long[cap];
        for (int i = 0; i < keep; i++) {
            next[i] = admitted[(admittedHead + skip + i) % admitted.length];
        }
        admitted = next;
        admittedHead = 0;
        admittedCount = keep;
    }

    private static long[] unroll(long[] ring, int head, int count, int capacity) {
        long[] next = new long[capacity];
        for (int i = 0; i < count; i++) {
            next[i] = ring[(head + i) % ring.length];
        }
        return next;
    }
}
