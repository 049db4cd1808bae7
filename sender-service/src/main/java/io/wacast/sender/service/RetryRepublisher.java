package io.wacast.sender.service;

import java.time.Clock;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.BooleanSupplier;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.wacast.sender.ledger.Ledger;

/**
 * Re-publishes due retries to {@code wacast.send-jobs}: they are held in the ledger, not in memory,
 * and any replica leases the due ones ({@code retry-scan-interval}, on the engine's timer thread).
 */
final class RetryRepublisher {

    private static final Logger LOG = Logger.getLogger(RetryRepublisher.class);

    private final BooleanSupplier running;
    private final Ledger ledger;
    private final SendJobSink jobs;
    private final ObjectMapper json;
    private final ScheduledExecutorService timers;
    private final Clock clock;

    RetryRepublisher(BooleanSupplier running, Ledger ledger, SendJobSink jobs, ObjectMapper json,
            ScheduledExecutorService timers, Clock clock) {
        this.running = running;
        this.ledger = ledger;
        this.jobs = jobs;
        this.json = json;
        this.timers = timers;
        this.clock = clock;
    }

    void publishDueRetries() {
        if (!running.getAsBoolean()) {
            return;
        }
        try {
            for (Ledger.DueRetry retry : ledger.leaseDueRetries(clock.millis(), 500, 30_000)) {
                String key;
                try {
                    key = json.readTree(retry.retryJob()).path("to").asText();
                } catch (Exception e) {
                    key = retry.jobId();
                }
                jobs.jobJson(key, retry.retryJob()).whenComplete((ok, failure) -> {
                    if (failure == null) {
                        timers.execute(() -> {
                            try {
                                ledger.retryPublished(retry);
                            } catch (RuntimeException e) {
                                LOG.debugf("retry %s stays leased until its lease runs out: %s", retry.jobId(), e.getMessage());
                            }
                        });
                    }
                });
            }
        } catch (RuntimeException e) {
            LOG.warnf("due retries not published this round: %s", e.getMessage());
        }
    }
}
