package io.wacast.sender.service;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

import org.jboss.logging.Logger;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.wacast.sender.ledger.Ledger;
import io.wacast.sender.ledger.LedgerState;

/**
 * The recorder thread: records the answers of settled calls in the ledger (answers gathered up to
 * 20 ms per committed transaction), then publishes each outcome; the job finishes (its offset may be
 * committed) on the broker's ack. Runs on after the engine stops until its queue is empty.
 */
final class Recorder {

    private static final Logger LOG = Logger.getLogger(Recorder.class);
    private static final int BATCH = 250;
    /** The recorder gathers answers this long (or this many) into one ledger transaction. */
    private static final long RECORD_GATHER_NANOS = TimeUnit.MILLISECONDS.toNanos(20);
    private static final long RECORD_GATHER_STEP_NANOS = TimeUnit.MILLISECONDS.toNanos(2);
    private static final int RECORD_GATHER_TARGET = 100;

    private record Settled(Ticket ticket, Verdict verdict, long answeredAtNanos) {
    }

    private final BooleanSupplier running;
    private final Ledger ledger;
    private final HeldClaims held;
    private final AckedPublisher publisher;
    private final EventJson json;
    private final ScheduledExecutorService timers;
    private final Clock clock;
    private final Timer ledgerLag;
    private final LinkedBlockingQueue<Settled> settled = new LinkedBlockingQueue<>();
    private final StageThread thread = new StageThread("sender-recorder", this::recordLoop);

    Recorder(BooleanSupplier running, Ledger ledger, HeldClaims held, AckedPublisher publisher, EventJson json,
            ScheduledExecutorService timers, Clock clock, MeterRegistry registry) {
        this.running = running;
        this.ledger = ledger;
        this.held = held;
        this.publisher = publisher;
        this.json = json;
        this.timers = timers;
        this.clock = clock;
        this.ledgerLag = Timer.builder("wacast.sender.ledger.lag")
                .description("Time from Meta's answer to its commit in the send ledger")
                .publishPercentileHistogram().register(registry);
    }

    StageThread thread() {
        return thread;
    }

    /** The attempt of {@code ticket} is over ({@code verdict}): to be recorded, then published. */
    void settle(Ticket ticket, Verdict verdict) {
        settled.add(new Settled(ticket, verdict, System.nanoTime()));
    }

    /** No answer waits to be recorded. */
    boolean isIdle() {
        return settled.isEmpty();
    }

    private void recordLoop() {
        List<Settled> batch = new ArrayList<>();
        while (running.getAsBoolean() || !settled.isEmpty()) {
            try {
                Settled first = settled.poll(5, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                settled.drainTo(batch, BATCH - 1);
                // One transaction per few answers, not per answer: wait a moment for more to settle.
                long gatherUntil = System.nanoTime() + RECORD_GATHER_NANOS;
                while (batch.size() < RECORD_GATHER_TARGET && running.getAsBoolean() && System.nanoTime() < gatherUntil) {
                    LockSupport.parkNanos(RECORD_GATHER_STEP_NANOS);
                    settled.drainTo(batch, BATCH - batch.size());
                }
                record(batch);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                LOG.errorf(e, "recorder failed; continuing");
            } finally {
                batch.clear();
            }
        }
    }

    /** Records what has settled so far in one ledger transaction (the recorder thread's step, run by hand in tests). */
    void recordSettled() {
        List<Settled> batch = new ArrayList<>();
        settled.drainTo(batch, BATCH);
        if (!batch.isEmpty()) {
            record(batch);
        }
    }

    private void record(List<Settled> batch) {
        List<Ledger.Answer> answers = new ArrayList<>(batch.size());
        List<String> outcomeJson = new ArrayList<>(batch.size());
        for (Settled s : batch) {
            Verdict v = s.verdict();
            String outcome = json.write(v.outcome());
            outcomeJson.add(outcome);
            LedgerState state = switch (v.ledgerEffect()) {
                case ANSWERED -> LedgerState.ANSWERED;
                case RELEASED -> LedgerState.RELEASED;
                case UNKNOWN -> LedgerState.UNKNOWN;
            };
            answers.add(new Ledger.Answer(s.ticket().job.jobId(), s.ticket().claimId, state,
                    v.outcome().status().value(), outcome,
                    v.retryJob() == null ? null : v.retryAt().toEpochMilli(),
                    v.retryJob() == null ? null : json.write(v.retryJob())));
        }
        try {
            List<String> lost = ledger.record(answers, clock.millis());
            if (!lost.isEmpty()) {
                LOG.warnf("%d answers found their claim taken over; published anyway", lost.size());
            }
        } catch (Ledger.LedgerException e) {
            LOG.warnf("ledger record failed, retrying in %s: %s", SendEngine.STORE_RETRY, e.getMessage());
            List<Settled> again = List.copyOf(batch);
            timers.schedule(() -> settled.addAll(again), SendEngine.STORE_RETRY.toMillis(), TimeUnit.MILLISECONDS);
            return;
        }
        long now = System.nanoTime();
        for (int i = 0; i < batch.size(); i++) {
            Settled s = batch.get(i);
            ledgerLag.record(now - s.answeredAtNanos(), TimeUnit.NANOSECONDS);
            held.release(s.ticket().job.jobId(), s.ticket().claimId);
            publisher.count(s.verdict().outcome());
            publisher.publishRecordedThenDone(s.ticket(), outcomeJson.get(i));
        }
    }
}
