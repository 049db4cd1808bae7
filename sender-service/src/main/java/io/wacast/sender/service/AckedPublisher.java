package io.wacast.sender.service;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import org.jboss.logging.Logger;

import io.micrometer.core.instrument.MeterRegistry;
import io.wacast.common.event.Outcome;

/**
 * Publishes outcomes and lets a job finish only once the broker acked: a job's offset is never
 * committed without its outcome on the topic, and never stuck behind a lost one.
 */
final class AckedPublisher {

    private static final Logger LOG = Logger.getLogger(AckedPublisher.class);

    private final OutcomeSink sink;
    private final EventJson json;
    private final ScheduledExecutorService timers;
    private final MeterRegistry registry;

    AckedPublisher(OutcomeSink sink, EventJson json, ScheduledExecutorService timers, MeterRegistry registry) {
        this.sink = sink;
        this.json = json;
        this.timers = timers;
        this.registry = registry;
    }

    /** Counts and publishes a new outcome of {@code ticket}'s job; the job is finished on the ack. */
    void publishThenDone(Ticket ticket, Outcome outcome) {
        count(outcome);
        publishThenRun(outcome, ticket::done);
    }

    /** Publishes an outcome of a job that has no ticket (a payload that cannot be read as one). */
    void publishThenRun(Outcome outcome, Runnable then) {
        String outcomeJson = json.write(outcome);
        whenAcked(() -> sink.outcomeJson(outcome.campaignId(), outcomeJson), then);
    }

    /** Publishes an outcome exactly as recorded in the ledger (same eventId); the job is finished on the ack. */
    void publishRecordedThenDone(Ticket ticket, String outcomeJson) {
        whenAcked(() -> sink.outcomeJson(ticket.job.campaignId(), outcomeJson), ticket::done);
    }

    /**
     * Runs {@code then} when the broker acked; on failure publishes again a second later, so a job's
     * offset is never committed without its outcome on the topic and never stuck behind a lost one.
     */
    void whenAcked(Supplier<CompletableFuture<Void>> publish, Runnable then) {
        publish.get().whenComplete((ok, failure) -> {
            if (failure == null) {
                then.run();
            } else {
                LOG.warnf("publish failed, trying again in %s: %s", SendEngine.STORE_RETRY, failure.getMessage());
                timers.schedule(() -> whenAcked(publish, then), SendEngine.STORE_RETRY.toMillis(), TimeUnit.MILLISECONDS);
            }
        });
    }

    void count(Outcome outcome) {
        registry.counter("wacast.sender.outcomes", "status", outcome.status().value(), "code",
                outcome.errorCode() == null ? "none" : outcome.errorCode().toString()).increment();
    }
}
