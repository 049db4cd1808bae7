package io.wacast.sender.service;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import io.wacast.sender.budget.SlotLease;

/**
 * This replica's hold on one shared schedule of {@code token_budget} (a business number's, or a
 * campaign's own rate): the run of slots in use and the next run the leaser fetched ahead, so that
 * the firer never waits on the database.
 */
final class LeasedSchedule {

    final String budgetKey;
    /** Slots one lease asks for; with {@link #latenessUs}, changed only when the number's cap is raised. */
    volatile int slice;
    volatile long latenessUs;
    /** The schedule is never booked further ahead than this ({@code TokenBudget#lease}). */
    final long horizonUs;
    /** Set by the leaser when the schedule was booked beyond the horizon: no lease is asked for before it. */
    private volatile long leaseNotBeforeUs;
    /** Used by the firing thread only. */
    private SlotLease lease = SlotLease.empty();
    /** Filled by the leaser thread, swapped in by the firer. */
    final AtomicReference<SlotLease> nextLease = new AtomicReference<>();
    /** Bumped when the schedule is told to back off: leases fetched before are not used. */
    final AtomicInteger generation = new AtomicInteger();

    LeasedSchedule(String budgetKey, int slice, long latenessUs, long horizonUs) {
        this.budgetKey = budgetKey;
        this.slice = slice;
        this.latenessUs = latenessUs;
        this.horizonUs = horizonUs;
    }

    /**
     * The next usable slot at {@code nowUs}, moving on to the run fetched ahead once the current one
     * is spent; -1 while no slot is at hand. Firing thread only; {@code dropped} hears of every
     * slot of a spent run that went unused, once.
     */
    long nextSlot(long nowUs, java.util.function.LongConsumer dropped) {
        long slot = lease.nextSlot(nowUs);
        if (slot >= 0) {
            return slot;
        }
        SlotLease next = nextLease.getAndSet(null);
        if (next == null) {
            return -1;
        }
        dropped.accept(lease.dropped());
        lease = next;
        return lease.nextSlot(nowUs);
    }

    /**
     * Takes the slot {@link #nextSlot} showed if it is due within {@code aheadUs} of {@code nowUs}; the work
     * must leave at that slot.
     */
    boolean take(long nowUs, long aheadUs) {
        return lease.take(nowUs, aheadUs);
    }

    /** Whether the leaser should ask for the next run at {@code nowUs}. */
    boolean wantsLease(long nowUs) {
        return nextLease.get() == null && nowUs >= leaseNotBeforeUs;
    }

    /**
     * When the leaser may ask for the missing next run; never while a run is waiting (the firer wakes
     * the leaser when it takes that one up).
     */
    long mayLeaseAtUs() {
        return nextLease.get() == null ? leaseNotBeforeUs : Long.MAX_VALUE;
    }

    /** The schedule was booked until {@code bookedUntilUs}: ask again once that is within the horizon. */
    void bookedUntil(long bookedUntilUs) {
        leaseNotBeforeUs = bookedUntilUs - horizonUs;
    }
}
