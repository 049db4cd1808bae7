package io.wacast.sender.service;

import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import org.jboss.logging.Logger;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.wacast.common.event.SendJob;
import io.wacast.common.meta.MetaErrorPolicy;
import io.wacast.sender.budget.Budget;
import io.wacast.sender.budget.SlotLease;
import io.wacast.sender.client.Endpoint;
import io.wacast.sender.client.MetaAnswer;
import io.wacast.sender.client.MetaSender;

/**
 * Fires the call to Meta for a job at its slot and hands the answer to the {@link Recorder}. The one
 * count of calls in flight ({@code max-in-flight}, gauge {@code wacast_sender_meta_calls_in_flight}):
 * the firer reserves a place before it takes a slot, the call's end frees it. An answer that
 * concerns the whole number (130429, 131057, 190/401) is applied to the number here.
 */
final class MetaCalls {

    private static final Logger LOG = Logger.getLogger(MetaCalls.class);

    private final MetaSender meta;
    private final Admission admission;
    private final Recorder recorder;
    private final Lanes lanes;
    private final Budget budget;
    private final AccountStops accounts;
    private final MarketingRoutes routes;
    private final ScheduledExecutorService timers;
    private final Clock clock;
    private final MeterRegistry registry;
    private final int maxInFlight;
    private final Semaphore inFlight;
    /** Calls that missed their slot: the event loop took them up late; they were late at the write. */
    private final Counter missedTakingUp;
    private final Counter missedWriting;
    private final Timer budgetWait;

    MetaCalls(MetaSender meta, int maxInFlight, Admission admission, Recorder recorder, Lanes lanes, Budget budget,
            AccountStops accounts, MarketingRoutes routes, ScheduledExecutorService timers, Clock clock,
            MeterRegistry registry) {
        this.routes = routes;
        this.meta = meta;
        this.admission = admission;
        this.recorder = recorder;
        this.lanes = lanes;
        this.budget = budget;
        this.accounts = accounts;
        this.timers = timers;
        this.clock = clock;
        this.registry = registry;
        this.maxInFlight = maxInFlight;
        this.inFlight = new Semaphore(maxInFlight);
        Gauge.builder("wacast.sender.meta.calls.in.flight", this, MetaCalls::inFlight).register(registry);
        this.missedTakingUp = Counter.builder("wacast.sender.budget.slots.dropped")
                .description("Leased slots no call could use in time").tag("where", "departure").register(registry);
        this.missedWriting = Counter.builder("wacast.sender.budget.slots.dropped")
                .description("Leased slots no call could use in time").tag("where", "write").register(registry);
        this.budgetWait = Timer.builder("wacast.sender.budget.wait")
                .description("Time a claimed job waited for a slot of its number's budget")
                .publishPercentileHistogram().register(registry);
    }

    /** A place for one more call, if fewer than {@code max-in-flight} are under way. */
    boolean tryReserve() {
        return inFlight.tryAcquire();
    }

    /** The reserved place is not used after all. */
    void cancelReservation() {
        inFlight.release();
    }

    /** Calls reserved or under way. */
    int inFlight() {
        return maxInFlight - inFlight.availablePermits();
    }

    /**
     * Calls Meta for {@code ticket} at {@code slotUs} of its lane's schedule, on a place reserved with
     * {@link #tryReserve}. If the call cannot leave within the lane's lateness (this replica was
     * descheduled between the slot and the socket), it does not leave at all: the job, still marked
     * departing, goes back to the head of the lane for another slot.
     */
    void fire(Ticket ticket, Lane lane, long slotUs) {
        Instant now = clock.instant();
        budgetWait.record(System.nanoTime() - ticket.readyAtNanos, TimeUnit.NANOSECONDS);
        Verdict deferred = admission.refusal(ticket.job, now);
        if (deferred != null) {
            inFlight.release();
            recorder.settle(ticket, deferred);
            return;
        }
        CompletableFuture<MetaAnswer> call;
        Endpoint endpoint = routes.route(ticket.job, now);
        try {
            call = meta.send(ticket.job, endpoint, slotUs, slotUs + lane.schedule.latenessUs);
        } catch (RuntimeException e) {
            inFlight.release();
            recorder.settle(ticket, OutcomeRules.invalid(ticket.job, e.getMessage(), now));
            return;
        }
        call.whenComplete((answer, failure) -> {
            inFlight.release();
            if (answer instanceof MetaAnswer.MissedSlot missed) {
                (missed.atWrite() ? missedWriting : missedTakingUp).increment();
                lane.returnDeparting(ticket); // still marked departing: it takes the next slot
                return;
            }
            MetaAnswer result = failure == null ? answer : new MetaAnswer.Unanswered("client failure: " + failure);
            String number = ticket.job.phoneNumberId();
            Verdict verdict = OutcomeRules.judge(ticket.job, endpoint, result, clock.instant(),
                    ThreadLocalRandom.current().nextDouble(), routes.fallbackFor(number));
            if (verdict.outcome().action() == MetaErrorPolicy.Action.MARKETING_API_UNAVAILABLE
                    && verdict.retryJob() != null) {
                routes.refused(number, verdict.outcome().errorMessage(), clock.instant());
            }
            applyToNumber(ticket.job, verdict);
            recorder.settle(ticket, verdict);
        });
    }

    /**
     * 130429 and 131057 hold the whole number's shared schedule (130429 also slows this replica's pace
     * on it); 190/401 stop its account.
     */
    private void applyToNumber(SendJob job, Verdict verdict) {
        Instant now = clock.instant();
        if (verdict.stopsAccount()) {
            accounts.stop(job.phoneNumberId(), verdict.outcome().errorCode(), verdict.outcome().errorMessage(), now);
        }
        if (!verdict.numberPause().isZero()) {
            Lane lane = lanes.of(job.phoneNumberId());
            if (verdict.outcome().action() == MetaErrorPolicy.Action.BACK_OFF_NUMBER
                    && lane.pace.throttled(System.nanoTime())) {
                LOG.infof("Meta throttled number %s (130429): this replica's pace is now %.0f msg/s", job.phoneNumberId(),
                        lane.pace.perSecond(System.nanoTime()));
            }
            LeasedSchedule schedule = lane.schedule;
            schedule.generation.incrementAndGet();
            schedule.nextLease.set(null);
            long untilUs = SlotLease.epochMicros(clock.instant()) + verdict.numberPause().toNanos() / 1000;
            registry.counter("wacast.sender.budget.backoffs", "phone_number_id", job.phoneNumberId()).increment();
            timers.execute(() -> {
                try {
                    budget.holdUntil(schedule.budgetKey, untilUs);
                } catch (RuntimeException e) {
                    LOG.warnf("could not hold the budget of %s: %s", job.phoneNumberId(), e.getMessage());
                }
            });
        }
    }
}
