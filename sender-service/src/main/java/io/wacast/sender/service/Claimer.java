package io.wacast.sender.service;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

import org.jboss.logging.Logger;

import io.micrometer.core.instrument.MeterRegistry;
import io.wacast.common.phone.PhoneNumbers;
import io.wacast.sender.client.MetaAnswer;
import io.wacast.sender.ledger.ClaimResult;
import io.wacast.sender.ledger.Ledger;
import io.wacast.sender.ledger.LedgerState;

/**
 * The claimer thread: takes the jobs waiting in each lane and claims them in the ledger, in batches
 * (one committed transaction each), then hands the claimed ones on to be marked departing. A job
 * answered before is republished without a call; one held elsewhere is looked at again later.
 */
final class Claimer {

    private static final Logger LOG = Logger.getLogger(Claimer.class);
    private static final int BATCH = 250;
    private static final Duration DEAD_CLAIM_GRACE = Duration.ofSeconds(5);

    private final BooleanSupplier running;
    private final Lanes lanes;
    private final Ledger ledger;
    private final HeldClaims held;
    private final AckedPublisher publisher;
    private final EventJson json;
    private final ScheduledExecutorService timers;
    private final Clock clock;
    private final Duration ownerTimeout;
    private final Duration callTimeout;
    private final MeterRegistry registry;
    private final Runnable wakeMarker;
    private final StageThread thread = new StageThread("sender-claimer", this::claimLoop);

    Claimer(BooleanSupplier running, Lanes lanes, Ledger ledger, HeldClaims held, AckedPublisher publisher, EventJson json,
            ScheduledExecutorService timers, Clock clock, Duration ownerTimeout, Duration callTimeout,
            MeterRegistry registry, Runnable wakeMarker) {
        this.running = running;
        this.lanes = lanes;
        this.ledger = ledger;
        this.held = held;
        this.publisher = publisher;
        this.json = json;
        this.timers = timers;
        this.clock = clock;
        this.ownerTimeout = ownerTimeout;
        this.callTimeout = callTimeout;
        this.registry = registry;
        this.wakeMarker = wakeMarker;
    }

    StageThread thread() {
        return thread;
    }

    void wake() {
        thread.wake();
    }

    private void claimLoop() {
        while (running.getAsBoolean()) {
            try {
                if (!claimOnce()) {
                    LockSupport.parkNanos(SendEngine.IDLE_STAGE_NANOS);
                }
            } catch (RuntimeException e) {
                LOG.errorf(e, "claimer failed; continuing");
            }
        }
    }

    /** One round over the lanes: claims what is due for claiming; false if nothing was. */
    boolean claimOnce() {
        List<Ticket> batch = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        for (Lane lane : lanes.all()) {
            Ticket head = lane.peekWaiting();
            int ready = lane.held();
            // Claim in batches: only once the lane is down to half its claim-ahead (a job a
            // campaign's gate just released goes at once: its timing is the campaign's).
            if (head == null || ready > lane.claimAhead / 2 && !head.paced) {
                continue;
            }
            int room = lane.claimAhead - ready;
            List<Ticket> later = new ArrayList<>();
            while (batch.size() < BATCH) {
                Ticket ticket = lane.pollWaiting();
                if (ticket == null) {
                    break;
                }
                if (room <= 0 && !ticket.paced) {
                    lane.addWaitingFirst(ticket);
                    break;
                }
                if (ticket.revoked.getAsBoolean()) {
                    ticket.done(); // its partition moved to another replica, which reads it again
                    continue;
                }
                if (!ids.add(ticket.job.jobId())) {
                    later.add(ticket);
                    continue;
                }
                batch.add(ticket);
                room--;
            }
            later.forEach(lane::addWaitingFirst);
        }
        if (batch.isEmpty()) {
            return false;
        }
        claim(batch);
        wakeMarker.run();
        return true;
    }

    private void claim(List<Ticket> batch) {
        List<Ledger.ClaimRequest> requests = batch.stream()
                .map(t -> new Ledger.ClaimRequest(t.job.jobId(), t.job.campaignId(), t.job.attempt(), t.job.resend()))
                .toList();
        List<ClaimResult> results;
        try {
            long now = clock.millis();
            results = ledger.claim(requests, ProcessIdentity.ID, now, now - ownerTimeout.toMillis());
        } catch (Ledger.LedgerException e) {
            LOG.warnf("ledger claim failed, retrying in %s: %s", SendEngine.STORE_RETRY, e.getMessage());
            batch.forEach(t -> waitAgain(t, SendEngine.STORE_RETRY.toMillis()));
            return;
        }
        Map<String, Ticket> byId = new HashMap<>();
        batch.forEach(t -> byId.put(t.job.jobId(), t));
        for (ClaimResult result : results) {
            if (result instanceof ClaimResult.Claimed claimed) {
                Ticket ticket = byId.get(claimed.jobId());
                ticket.claimId = claimed.claimId();
                ticket.readyAtNanos = System.nanoTime();
                held.hold(claimed.jobId(), claimed.claimId());
                lanes.of(ticket.job.phoneNumberId()).addClaimed(ticket);
            }
        }
        for (ClaimResult result : results) {
            Ticket ticket = byId.get(result.jobId());
            if (result instanceof ClaimResult.Recorded recorded) {
                // Answered before (a redelivery or a duplicate): the same outcome again, Meta not called.
                registry.counter("wacast.sender.redeliveries.republished").increment();
                publisher.publishRecordedThenDone(ticket, recorded.outcomeJson());
            } else if (result instanceof ClaimResult.HeldElsewhere elsewhere) {
                heldElsewhere(ticket, elsewhere);
            }
        }
    }

    /**
     * Someone holds the job. A live claim of this process will publish the outcome itself. A claim of a
     * live replica not yet departing (a rebalance moved the partition) is looked at again once that
     * replica would count as dead: by then it has sent it, or it died and the claim is taken over. A
     * departing attempt older than the call timeout (plus grace) is a dead one: Meta may or may not
     * have seen it, so it becomes unknown and is never sent again. A younger one is looked at again
     * when it would be overdue; by then it usually has an answer to republish.
     */
    private void heldElsewhere(Ticket ticket, ClaimResult.HeldElsewhere elsewhere) {
        if (held.isLiveHere(elsewhere.owner(), elsewhere.jobId(), elsewhere.claimId())) {
            ticket.done();
            return;
        }
        if (elsewhere.state() == LedgerState.CLAIMED) {
            waitAgain(ticket, ownerTimeout.toMillis());
            return;
        }
        long overdueAt = elsewhere.sinceMs() + callTimeout.plus(DEAD_CLAIM_GRACE).toMillis();
        long now = clock.millis();
        if (now < overdueAt) {
            waitAgain(ticket, overdueAt - now);
            return;
        }
        Verdict unknown = OutcomeRules.judge(ticket.job,
                new MetaAnswer.Unanswered("the attempt's sender stopped before recording Meta's answer"),
                clock.instant(), 0);
        String outcomeJson = json.write(unknown.outcome());
        if (ledger.markUnknown(elsewhere.jobId(), elsewhere.claimId(), outcomeJson, now)) {
            LOG.warnf("job %s to %s: attempt of a dead sender declared unknown", elsewhere.jobId(),
                    PhoneNumbers.mask(ticket.job.to()));
            publisher.count(unknown.outcome());
            publisher.publishRecordedThenDone(ticket, outcomeJson);
        } else {
            lanes.of(ticket.job.phoneNumberId()).addWaiting(ticket);
        }
    }

    /** Back to the tail of its lane after {@code delayMs}. */
    private void waitAgain(Ticket ticket, long delayMs) {
        timers.schedule(() -> lanes.of(ticket.job.phoneNumberId()).addWaiting(ticket), delayMs, TimeUnit.MILLISECONDS);
    }
}
