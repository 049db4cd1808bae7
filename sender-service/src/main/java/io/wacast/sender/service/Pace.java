package io.wacast.sender.service;

/**
 * How fast this replica takes slots of a number's shared schedule: the configured share of Meta's
 * cap, lowered when Meta answers 130429 and raised back step by step while it does not (additive
 * increase would be too slow at 1,000/s, so both moves are multiplicative, TCP-style).
 *
 * <p>Calls leave exactly at their slots, but Meta counts them when they arrive: a receiver or a
 * network that stalls delivers the calls of a longer stretch inside one second, and a sliding
 * one-second cap rejects the surplus. The schedule's margin absorbs small stalls; this absorbs the
 * rest by finding the pace at which they stop causing rejections, instead of losing a second of
 * sending to every burst. One cut per {@code cutSpacing}: the rejections of one burst arrive together
 * and are one signal. The pace never goes above the configured share nor below {@code floor} of it.
 * Thread-safe.
 */
final class Pace {

    private final double floor;
    private long baseIntervalUs;
    private long slowestIntervalUs;
    private final double cut;
    private final double step;
    private final long recoverEveryNanos;
    private final long cutSpacingNanos;
    private long intervalUs;
    private long lastChangeNanos;
    private long lastCutNanos;
    private boolean everCut;

    /**
     * @param baseIntervalUs the configured slot spacing (the fastest pace)
     * @param floor the slowest pace as a share of the configured one, e.g. 0.5
     * @param cut the factor a 130429 multiplies the pace by, e.g. 0.95
     * @param step the share the pace grows by after each {@code recoverEveryNanos} without 130429
     */
    Pace(long baseIntervalUs, double floor, double cut, double step, long recoverEveryNanos, long cutSpacingNanos) {
        if (baseIntervalUs <= 0 || floor <= 0 || floor > 1 || cut <= 0 || cut >= 1 || step <= 0 || recoverEveryNanos <= 0) {
            throw new IllegalArgumentException("bad pace settings: floor " + floor + ", cut " + cut + ", step " + step);
        }
        this.floor = floor;
        this.baseIntervalUs = baseIntervalUs;
        this.slowestIntervalUs = (long) Math.ceil(baseIntervalUs / floor);
        this.cut = cut;
        this.step = step;
        this.recoverEveryNanos = recoverEveryNanos;
        this.cutSpacingNanos = cutSpacingNanos;
        this.intervalUs = baseIntervalUs;
    }

    /** Meta answered 130429 at {@code nowNanos}: slow down, once per burst. True if the pace changed. */
    synchronized boolean throttled(long nowNanos) {
        if (everCut && nowNanos - lastCutNanos < cutSpacingNanos) {
            lastChangeNanos = nowNanos; // still rejected: no recovery yet
            return false;
        }
        everCut = true;
        lastCutNanos = nowNanos;
        lastChangeNanos = nowNanos;
        long slower = (long) Math.ceil(intervalUs / cut);
        if (slower == intervalUs) {
            slower++;
        }
        intervalUs = Math.min(slowestIntervalUs, slower);
        return true;
    }

    /** The slot spacing to lease with at {@code nowNanos}, after any recovery that is due. */
    synchronized long intervalUs(long nowNanos) {
        while (intervalUs > baseIntervalUs && nowNanos - lastChangeNanos >= recoverEveryNanos) {
            intervalUs = Math.max(baseIntervalUs, (long) Math.floor(intervalUs / (1 + step)));
            lastChangeNanos += recoverEveryNanos;
        }
        return intervalUs;
    }

    /**
     * The number's cap changed (Meta upgraded its throughput): the fastest pace becomes
     * {@code newBaseIntervalUs}, and the current pace moves by the same factor, so a replica slowed by
     * 130429s keeps its share of slowing on the new cap.
     */
    synchronized void rebase(long newBaseIntervalUs) {
        if (newBaseIntervalUs <= 0) {
            throw new IllegalArgumentException("interval must be positive: " + newBaseIntervalUs);
        }
        double factor = (double) newBaseIntervalUs / baseIntervalUs;
        baseIntervalUs = newBaseIntervalUs;
        slowestIntervalUs = (long) Math.ceil(newBaseIntervalUs / floor);
        intervalUs = Math.min(slowestIntervalUs, Math.max(newBaseIntervalUs, Math.round(intervalUs * factor)));
    }

    /**
     * Messages per second at the pace of {@code nowNanos} (for the metric): with the recovery that is due,
     * so a lane that leased nothing since a 130429 does not show its old cut for good.
     */
    synchronized double perSecond(long nowNanos) {
        return 1_000_000.0 / intervalUs(nowNanos);
    }
}
