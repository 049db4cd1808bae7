package io.wacast.sender.client;

/**
 * The most calls this replica sent in any sliding one-second window, measured where a call is handed
 * to the HTTP connection. Set beside the simulator's (or Meta's) count at arrival it tells where calls
 * bunch: here, in the schedule, or on the way (network, the receiver's event loop).
 * Written by the HTTP client's event-loop thread only; the maximum is read by the metrics scrape.
 */
final class FireWindow {

    private static final long WINDOW_NANOS = 1_000_000_000L;

    private long[] fired = new long[1024];
    private int head;
    private int count;
    private volatile int max;

    /** Records a call leaving at {@code nowNanos}. */
    void fired(long nowNanos) {
        while (count > 0 && nowNanos - fired[head] >= WINDOW_NANOS) {
            head = (head + 1) % fired.length;
            count--;
        }
        if (count == fired.length) {
            long[] grown = new long[fired.length * 2];
            for (int i = 0; i < count; i++) {
                grown[i] = fired[(head + i) % fired.length];
            }
            fired = grown;
            head = 0;
        }
        fired[(head + count) % fired.length] = nowNanos;
        count++;
        if (count > max) {
            max = count;
        }
    }

    int max() {
        return max;
    }
}
