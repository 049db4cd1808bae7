package io.wacast.sender.budget;

/**
 * A run of consecutive slots of a shared schedule, leased by one replica: slot {@code i} is at
 * {@code startUs + i * intervalUs} (epoch microseconds). A call may leave at its slot or up to
 * {@code latenessUs} after it, never before; a slot missed by more than that is dropped, so late calls
 * can never bunch up. That is what bounds the calls of every replica together in any one-second
 * window: they leave within [slot, slot + lateness] of globally distinct slots spaced
 * {@code intervalUs} apart, so at most {@code floor((1 s + lateness) / interval) + 1} fall in one second
 * ({@link #maxCallsPerSecond}).
 * Not thread-safe: one firing thread uses it.
 */
public final class SlotLease {

    private final long startUs;
    private final long intervalUs;
    private final int count;
    private final long latenessUs;
    private int next;
    private long dropped;

    public SlotLease(long startUs, long intervalUs, int count, long latenessUs) {
        if (intervalUs <= 0 || count < 0 || latenessUs < 0) {
            throw new IllegalArgumentException("bad lease " + startUs + "/" + intervalUs + "/" + count);
        }
        this.startUs = startUs;
        this.intervalUs = intervalUs;
        this.count = count;
        this.latenessUs = latenessUs;
    }

    public static SlotLease empty() {
        return new SlotLease(0, 1, 0, 0);
    }

    /**
     * No slots: the shared schedule is already booked until {@code bookedUntilUs}, further ahead than
     * a replica may lease (the lease horizon); ask again shortly before then.
     */
    public static SlotLease none(long bookedUntilUs) {
        return new SlotLease(bookedUntilUs, 1, 0, 0);
    }

    /** The first slot of the run (for an empty run from {@link #none}: when the schedule is booked until). */
    public long startUs() {
        return startUs;
    }

    /** Drops every slot already too late at {@code nowUs}; returns the next usable slot or -1 when spent. */
    public long nextSlot(long nowUs) {
        while (next < count && slot(next) + latenessUs < nowUs) {
            next++;
            dropped++;
        }
        return next < count ? slot(next) : -1;
    }

    /** Takes the next slot if it is due at {@code nowUs}; the call must leave now. */
    public boolean take(long nowUs) {
        return take(nowUs, 0);
    }

    /**
     * Takes the next slot if it is due within {@code aheadUs} of {@code nowUs}; the call must leave at it
     * (not before) or within the lateness after it. Only slots already too late at {@code nowUs} are dropped.
     */
    public boolean take(long nowUs, long aheadUs) {
        long slot = nextSlot(nowUs);
        if (slot < 0 || slot > nowUs + aheadUs) {
            return false;
        }
        next++;
        return true;
    }

    public int remaining() {
        return count - next;
    }

    /** Slots that went unused because no call could leave in time. */
    public long dropped() {
        return dropped;
    }

    /** Gives up every slot not yet taken (the number was told to back off). */
    public void abandon() {
        dropped += count - next;
        next = count;
    }

    long slot(int i) {
        return startUs + i * intervalUs;
    }

    /** {@code instant} in epoch microseconds, the unit of every slot. */
    public static long epochMicros(java.time.Instant instant) {
        return instant.getEpochSecond() * 1_000_000 + instant.getNano() / 1000;
    }

    /** The slot spacing for a cap of {@code perSecond} at {@code utilisation} of it. */
    public static long intervalUs(int perSecond, double utilisation) {
        if (perSecond <= 0 || utilisation <= 0 || utilisation > 1) {
            throw new IllegalArgumentException("throughput and utilisation must be positive: " + perSecond + ", " + utilisation);
        }
        return (long) Math.ceil(1_000_000.0 / (perSecond * utilisation));
    }

    /**
     * The slot spacing of a campaign's own limit of {@code perMinute} messages a minute. The exact rate,
     * no safety margin: the limit is the operator's pacing, not a cap Meta enforces.
     */
    public static long intervalUsPerMinute(int perMinute) {
        if (perMinute <= 0) {
            throw new IllegalArgumentException("a campaign rate limit must be positive: " + perMinute);
        }
        return (long) Math.ceil(60_000_000.0 / perMinute);
    }

    /** The most calls any one-second window can see from slots spaced {@code intervalUs} and late by at most {@code latenessUs}. */
    public static long maxCallsPerSecond(long intervalUs, long latenessUs) {
        return (1_000_000 + latenessUs) / intervalUs + 1;
    }

    /**
     * The most a call may leave after its slot so that Meta, which counts calls when they arrive, never
     * sees more than {@code cap} in any one-second window, when the way from us to Meta may spread calls
     * by up to {@code arrivalSpreadUs} more: calls of slots {@code intervalUs} apart that reach Meta at most
     * {@code lateness + spread} after their slot put at most {@code floor((1 s + lateness + spread) / interval) + 1}
     * into any second, which stays within the cap while {@code lateness + spread < cap * interval - 1 s}.
     * Negative when the utilisation leaves no room for that spread.
     */
    public static long maxLatenessUs(int cap, long intervalUs, long arrivalSpreadUs) {
        return cap * intervalUs - 1_000_000 - arrivalSpreadUs - 1;
    }
}
