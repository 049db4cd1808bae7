package io.wacast.sender.service;

import java.time.Clock;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

import org.jboss.logging.Logger;

import io.wacast.sender.budget.Budget;
import io.wacast.sender.budget.SlotLease;

/**
 * The leaser thread: keeps the next run of slots fetched for every schedule with work (lanes with
 * claimed jobs, gates with waiting jobs), so that the firer never waits on the database.
 */
final class SlotLeaser {

    private static final Logger LOG = Logger.getLogger(SlotLeaser.class);
    /** The least a lease asks ahead of now; more once lease round trips are slow (a loaded database or host). */
    private static final long MIN_LEASE_LEAD_US = 2_000;
    /** The longest an idle leaser parks: the firer wakes it as soon as a schedule with work needs its next run. */
    private static final long IDLE_LEASER_US = 20_000;
    /** Between two rounds that leased nothing, so that a schedule that could not be leased is not asked in a loop. */
    private static final long MIN_PARK_US = 500;

    private final BooleanSupplier running;
    private final Lanes lanes;
    private final CampaignGates gates;
    private final Budget budget;
    private final Clock clock;
    /** Wakes the firer: a run of slots it may be waiting for has come. */
    private final Runnable wakeFirer;
    private final StageThread thread = new StageThread("sender-leaser", this::leaseLoop);
    /** Smoothed round trip of a slot lease (µs), leaser thread only: how far ahead the next lease asks. */
    private long leaseRoundTripUs = MIN_LEASE_LEAD_US;

    SlotLeaser(BooleanSupplier running, Lanes lanes, CampaignGates gates, Budget budget, Clock clock, Runnable wakeFirer) {
        this.running = running;
        this.lanes = lanes;
        this.gates = gates;
        this.budget = budget;
        this.clock = clock;
        this.wakeFirer = wakeFirer;
    }

    StageThread thread() {
        return thread;
    }

    /** A schedule with work has used up the run fetched ahead: the leaser fetches the next one now. */
    void wakeFor(LeasedSchedule schedule) {
        if (schedule.wantsLease(nowUs())) { // booked beyond the horizon: the leaser wakes itself when it may ask
            thread.wake();
        }
    }

    private void leaseLoop() {
        while (running.getAsBoolean()) {
            boolean leased = false;
            long wakeAtUs = nowUs() + IDLE_LEASER_US;
            for (Lane lane : lanes.all()) {
                if (lane.held() > 0) {
                    leased |= refill(lane.schedule, lane.pace.intervalUs(System.nanoTime()));
                    wakeAtUs = Math.min(wakeAtUs, lane.schedule.mayLeaseAtUs());
                }
            }
            for (CampaignGate gate : gates.all()) {
                if (gate.waiting() > 0) {
                    leased |= refill(gate.schedule, gate.intervalUs);
                    wakeAtUs = Math.min(wakeAtUs, gate.schedule.mayLeaseAtUs());
                }
            }
            if (!leased) {
                // the firer wakes this thread as soon as a schedule with work needs its next run; a schedule
                // booked beyond the horizon is asked again when it comes within it
                LockSupport.parkNanos(Math.max(MIN_PARK_US, wakeAtUs - nowUs()) * 1000);
            }
        }
    }

    /**
     * Fetches the next run of {@code schedule}'s slots, spaced {@code intervalUs}, unless one is waiting
     * already; true if it leased. Runs of different spacing mix safely on one schedule: every run starts
     * after the previous one ends, so no two calls are ever closer than the shortest spacing.
     */
    private boolean refill(LeasedSchedule schedule, long intervalUs) {
        long nowUs = nowUs();
        if (!schedule.wantsLease(nowUs)) {
            return false;
        }
        int generation = schedule.generation.get();
        try {
            // ahead by about two round trips, so the lease's own round trip does not make its first slots
            // late (on a loaded host a lease can take tens of ms), but never beyond half the horizon
            long lead = Math.max(MIN_LEASE_LEAD_US, Math.min(2 * leaseRoundTripUs, schedule.horizonUs / 2));
            long earliest = nowUs + lead;
            SlotLease lease = budget.lease(schedule.budgetKey, schedule.slice, intervalUs, schedule.latenessUs, earliest,
                    schedule.horizonUs);
            leaseRoundTripUs += (nowUs() - nowUs - leaseRoundTripUs) / 4;
            if (lease.remaining() == 0) {
                schedule.bookedUntil(lease.startUs());
                return false;
            }
            if (generation == schedule.generation.get()) {
                schedule.nextLease.set(lease);
                wakeFirer.run();
            }
            return true;
        } catch (RuntimeException e) {
            LOG.warnf("token budget lease for %s failed: %s", schedule.budgetKey, e.getMessage());
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(200));
            return false;
        }
    }

    private long nowUs() {
        return SlotLease.epochMicros(clock.instant());
    }
}
