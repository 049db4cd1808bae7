package io.wacast.sender.service;

import java.time.Clock;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

import org.jboss.logging.Logger;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.wacast.sender.budget.SlotLease;

/**
 * The firing thread: fires each departing job exactly at a slot of its number's schedule (and
 * each gated job at a slot of its campaign's), handing it to {@link MetaCalls}. It never waits on the
 * database: the leaser keeps the slots fetched, the marker the jobs marked.
 */
final class SlotFirer {

    private static final Logger LOG = Logger.getLogger(SlotFirer.class);

    private final BooleanSupplier running;
    private final Lanes lanes;
    private final CampaignGates gates;
    private final MetaCalls calls;
    private final SlotLeaser leaser;
    private final Runnable wakeMarker;
    private final Clock clock;
    private final Counter droppedSlots;
    private final StageThread thread = new StageThread("sender-firer", this::fireLoop);

    SlotFirer(BooleanSupplier running, Lanes lanes, CampaignGates gates, MetaCalls calls, SlotLeaser leaser,
            Runnable wakeMarker, Clock clock, MeterRegistry registry) {
        this.running = running;
        this.lanes = lanes;
        this.gates = gates;
        this.calls = calls;
        this.leaser = leaser;
        this.wakeMarker = wakeMarker;
        this.clock = clock;
        this.droppedSlots = Counter.builder("wacast.sender.budget.slots.dropped")
                .description("Leased slots no call could use in time").tag("where", "firer").register(registry);
    }

    StageThread thread() {
        return thread;
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
                        wakeAtUs = Math.min(wakeAtUs, nowUs + 200);
                        continue;
                    }
                    if (slot <= nowUs) {
                        if (lane.departingCount() == 0) {
                            // claimed jobs whose departing mark has not committed yet: the slot waits for
                            // them up to its lateness, then is dropped
                            wakeAtUs = Math.min(wakeAtUs, nowUs + 200);
                            continue;
                        }
                        if (!calls.tryReserve()) {
                            wakeAtUs = Math.min(wakeAtUs, nowUs + 100);
                            continue;
                        }
                        if (!lane.schedule.take(nowUs)) {
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
                    } else {
                        wakeAtUs = Math.min(wakeAtUs, slot);
                    }
                }
                long waitUs = wakeAtUs == Long.MAX_VALUE ? 500 : wakeAtUs - nowUs();
                if (waitUs > 0) {
                    LockSupport.parkNanos(Math.min(waitUs, 2_000) * 1000);
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
