package io.wacast.sender.service;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

import org.jboss.logging.Logger;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.wacast.common.phone.PhoneNumbers;
import io.wacast.sender.ledger.Ledger;

/**
 * The marker thread: keeps about {@code departure-lookahead} of each lane's throughput marked departing
 * in the ledger, topping it up in one transaction once it is down to half. Until its mark commits a
 * claimed job cannot leave, so a crash leaves only the marked ones unknown; all the others are taken
 * over and sent by a live replica. A mark refused (another replica took the claim over) is not sent here.
 */
final class DepartureMarker {

    private static final Logger LOG = Logger.getLogger(DepartureMarker.class);

    private final BooleanSupplier running;
    private final Lanes lanes;
    private final Ledger ledger;
    private final HeldClaims held;
    private final Clock clock;
    private final Runnable wakeClaimer;
    private final Runnable wakeFirer;
    private final Counter takenOver;
    private final StageThread thread = new StageThread("sender-marker", this::markLoop);

    DepartureMarker(BooleanSupplier running, Lanes lanes, Ledger ledger, HeldClaims held, Clock clock,
            MeterRegistry registry, Runnable wakeClaimer, Runnable wakeFirer) {
        this.running = running;
        this.lanes = lanes;
        this.ledger = ledger;
        this.held = held;
        this.clock = clock;
        this.wakeClaimer = wakeClaimer;
        this.wakeFirer = wakeFirer;
        this.takenOver = Counter.builder("wacast.sender.claims.taken.over")
                .description("Claims of this replica another replica took over (it took this one for dead); not sent here")
                .register(registry);
    }

    StageThread thread() {
        return thread;
    }

    void wake() {
        thread.wake();
    }

    private void markLoop() {
        while (running.getAsBoolean()) {
            try {
                if (!markOnce()) {
                    LockSupport.parkNanos(SendEngine.IDLE_STAGE_NANOS);
                }
            } catch (RuntimeException e) {
                LOG.errorf(e, "marker failed; continuing");
            }
        }
    }

    /** One round over the lanes: marks what is due for marking; false if nothing was. */
    boolean markOnce() {
        List<Ticket> batch = new ArrayList<>();
        for (Lane lane : lanes.all()) {
            int departing = lane.departingCount();
            if (departing > lane.departAhead / 2) {
                continue;
            }
            for (int i = departing; i < lane.departAhead; i++) {
                Ticket ticket = lane.pollClaimed();
                if (ticket == null) {
                    break;
                }
                batch.add(ticket);
            }
        }
        if (batch.isEmpty()) {
            return false;
        }
        mark(batch);
        return true;
    }

    private void mark(List<Ticket> batch) {
        Set<Ledger.Departure> refused;
        try {
            refused = ledger.markDeparting(batch.stream()
                    .map(t -> new Ledger.Departure(t.job.jobId(), t.claimId)).toList(), clock.millis());
        } catch (Ledger.LedgerException e) {
            LOG.warnf("marking departures failed, retrying in %s: %s", SendEngine.STORE_RETRY, e.getMessage());
            for (int i = batch.size() - 1; i >= 0; i--) {
                Ticket ticket = batch.get(i);
                lanes.of(ticket.job.phoneNumberId()).returnClaimed(ticket);
            }
            LockSupport.parkNanos(SendEngine.STORE_RETRY.toNanos());
            return;
        }
        for (Ticket ticket : batch) {
            if (refused.contains(new Ledger.Departure(ticket.job.jobId(), ticket.claimId))) {
                // Another replica took this one for dead and took the claim over, or this process
                // re-claimed it under a new claim id (a copy whose claim commit was lost): that one sends it.
                held.release(ticket.job.jobId(), ticket.claimId);
                takenOver.increment();
                LOG.warnf("job %s to %s: claim taken over by another replica; not sent here", ticket.job.jobId(),
                        PhoneNumbers.mask(ticket.job.to()));
                ticket.done();
                continue;
            }
            lanes.of(ticket.job.phoneNumberId()).addDeparting(ticket);
        }
        wakeFirer.run(); // a due slot may be waiting for these
        wakeClaimer.run(); // the lanes hold fewer claimed jobs now
    }
}
