package io.wacast.sender.service;

import java.time.Clock;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

import org.jboss.logging.Logger;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.wacast.sender.budget.SlotLease;

/**
 * The firing thread: fires each departing job at a slot of its number's schedule (and releases each
 * gated job at a slot of its campaign's), handing it to {@link MetaCalls} a little ahead of the slot
 * ({@code hand-ahead}): the HTTP client's event loop writes it at the slot, never before. It never waits
 * on the database: the leaser keeps the slots fetched, the marker the jobs marked, and each of them wakes
 * this thread when it brings what the thread waits for (it does not poll for them).
 */
final class SlotFirer {

    private static final Logger LOG = Logger.getLogger(SlotFirer.class);
    /** The longest this thread parks: the stages that give it work wake it at once. */
    private static final long MAX_PARK_US = 10_000;
    /** How long it waits for a place in flight (a call's end frees one; nothing wakes it). */
    private static final long IN_FLIGHT_RETRY_US = 500;

    private final BooleanSupplier running;
    private final Lanes lanes;
    private final CampaignGates gates;
    private final MetaCalls calls;
    private final SlotLeaser leaser;
    private final Runnable wakeMarker;
    private final Clock clock;
    private final Counter droppedSlots;
    /** How long before its slot a call is handed on (µs). */
    private final long handAheadUs;
    private final StageThread thread = new StageThread("sender-firer", this::fireLoop);

    SlotFirer(BooleanSupplier running, Lanes lanes, CampaignGates gates, MetaCalls calls, SlotLeaser leaser,
            Runnable wakeMarker, long handAheadUs, Clock clock, MeterRegistry registry) {
        this.running = running;
        this.lanes = lanes;
        this.gates = gates;
        this.calls = calls;
        this.leaser = leaser;
        this.wakeMarker = wakeMarker;
        this.handAheadUs = Math.max(0, handAheadUs);
        this.clock = clock;
        this.droppedSlots = Counter.builder("wacast.sender.budget.slots.dropped")
                .description("Leased slots no call could use in time").tag("where", "firer").register(registry);
    }

    StageThread thread() {
        return thread;
    }

    /** Work for this thread: a run of slots leased, jobs marked departing. */
    void wake() {
        thread.wake();
    }

    private void fireLoop() {
        while (running.getAsBoolean()) {
            try {
                long nowUs = nowUs();
                long wakeAtUs = gates.release(nowUs, droppedSlots::increment, leaser::wakeFor);
                for (Lane lane : lanes.all()) {
                    if (lane.held() == 0) {
                        continue;
                    }
                    long slot = lane.schedule.nextSlot(nowUs, droppedSlots::increment);
                    leaser.wakeFor(lane.schedule);
                    if (slot < 0) {
                        continue; // the leaser wakes this thread with the next run of slots
                    }
                    if (slot > nowUs + handAheadUs) {
                        wakeAtUs = Math.min(wakeAtUs, slot - handAheadUs);
                        continue;
                    }
                    if (lane.departingCount() == 0) {
                        // claimed jobs whose departing mark has not committed yet: the marker wakes this
                        // thread when it commits; past its lateness the slot is dropped
                        continue;
                    }
                    if (!calls.tryReserve()) {
                        wakeAtUs = Math.min(wakeAtUs, nowUs + IN_FLIGHT_RETRY_US);
                        continue;
                    }
                    if (!lane.schedule.take(nowUs, handAheadUs)) {
                        calls.cancelReservation();
                        continue;
                    }
                    Ticket ticket = lane.pollDeparting();
                    if (ticket == null) {
                        calls.cancelReservation();
                        continue;
                    }
                    if (lane.departingCount() <= lane.departAhead / 2) {
                        wakeMarker.run();
                    }
                    calls.fire(ticket, lane, slot);
                    wakeAtUs = nowUs; // look again at once: the next slot may be due too
                }
                long waitUs = Math.min(wakeAtUs - nowUs(), MAX_PARK_US);
                if (waitUs > 0) {
                    LockSupport.parkNanos(waitUs * 1000);
                }
            } catch (RuntimeException e) {
                LOG.errorf(e, "firer failed; continuing");
            }
        }
    }

    private long nowUs() {
        return SlotLease.epochMicros(clock.instant());
    }
}
