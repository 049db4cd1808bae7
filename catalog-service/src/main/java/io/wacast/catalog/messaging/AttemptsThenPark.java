package io.wacast.catalog.messaging;

import io.wacast.catalog.config.CatalogConfig;
import io.wacast.catalog.service.CatalogMetrics;
import io.wacast.catalog.service.ParkedEvents;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * What both consumers do with a readable record whose work fails: try it {@code order-event-attempts}
 * times, then park it ({@link ParkedEvents}) so that one bad record cannot hold back every one after it.
 * If parking fails too, the exception stops the channel (the database is down; nothing is lost).
 */
@ApplicationScoped
class AttemptsThenPark {

    /** Logs one failed attempt in the consumer's own words. */
    @FunctionalInterface
    interface FailedAttempt {
        void log(int attempt, int attempts, String reason);
    }

    private final ParkedEvents parked;
    private final CatalogMetrics metrics;
    private final CatalogConfig config;

    AttemptsThenPark(ParkedEvents parked, CatalogMetrics metrics, CatalogConfig config) {
        this.parked = parked;
        this.metrics = metrics;
        this.config = config;
    }

    void run(ConsumerRecord<String, String> record, Runnable work, FailedAttempt failed) {
        int attempts = Math.max(1, config.orderEventAttempts());
        RuntimeException failure = null;
        for (int attempt = 1; attempt <= attempts; attempt++) {
            try {
                work.run();
                return;
            } catch (RuntimeException e) {
                failure = e;
                failed.log(attempt, attempts, ParkedEvents.reason(e));
            }
        }
        parked.park(record.topic(), record.partition(), record.offset(), record.key(), record.value(), failure, attempts);
        metrics.orderEventSkipped("parked");
    }
}
