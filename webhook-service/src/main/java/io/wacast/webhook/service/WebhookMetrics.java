package io.wacast.webhook.service;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.wacast.webhook.domain.PublishableEvent;
import io.wacast.webhook.domain.WebhookBatch.IgnoredReason;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * What ops watch on the webhook endpoint: requests by outcome, events published by type, duplicates
 * dropped, entries acknowledged without an event (by reason), and the time to acknowledge Meta.
 */
@Singleton
public class WebhookMetrics {

    private final MeterRegistry registry;
    private final Map<RequestOutcome, Counter> requests = new EnumMap<>(RequestOutcome.class);
    private final Map<IgnoredReason, Counter> ignored = new EnumMap<>(IgnoredReason.class);
    private final Map<String, Counter> published = new ConcurrentHashMap<>();
    private final Counter duplicates;
    private final Timer ackTime;

    @Inject
    public WebhookMetrics(MeterRegistry registry) {
        this.registry = registry;
        for (RequestOutcome outcome : RequestOutcome.values()) {
            requests.put(outcome, Counter.builder("wacast.webhook.requests")
                    .description("Webhook deliveries by how they were answered")
                    .tag("outcome", outcome.name().toLowerCase(Locale.ROOT))
                    .register(registry));
        }
        for (IgnoredReason reason : IgnoredReason.values()) {
            ignored.put(reason, Counter.builder("wacast.webhook.ignored")
                    .description("Webhook entries acknowledged without publishing an event")
                    .tag("reason", reason.name().toLowerCase(Locale.ROOT))
                    .register(registry));
        }
        duplicates = Counter.builder("wacast.webhook.duplicates")
                .description("Events dropped because this replica had already published them")
                .register(registry);
        ackTime = Timer.builder("wacast.webhook.ack")
                .description("From a signed delivery's arrival to its acknowledgement, after Kafka acked every event")
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofSeconds(10))
                .register(registry);
    }

    public void request(RequestOutcome outcome) {
        requests.get(outcome).increment();
    }

    public void ignored(IgnoredReason reason) {
        ignored.get(reason).increment();
    }

    public void duplicates(int count) {
        duplicates.increment(count);
    }

    public void published(PublishableEvent event) {
        published.computeIfAbsent(event.type(), type -> Counter.builder("wacast.webhook.events.published")
                .description("Events acknowledged by Kafka, by type")
                .tag("type", type)
                .register(registry)).increment();
    }

    public void acknowledged(long startNanos) {
        ackTime.record(System.nanoTime() - startNanos, TimeUnit.NANOSECONDS);
    }

    public enum RequestOutcome {
        ACCEPTED,
        /** Every event of the delivery had been published before. */
        DUPLICATE,
        /** Valid JSON with nothing wacast uses in it. */
        IGNORED,
        INVALID_SIGNATURE,
        MALFORMED,
        TOO_LARGE,
        /** Kafka did not acknowledge in time; Meta will retry. */
        UNAVAILABLE
    }
}
