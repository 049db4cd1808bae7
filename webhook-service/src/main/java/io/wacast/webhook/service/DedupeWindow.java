package io.wacast.webhook.service;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.wacast.webhook.config.WebhookConfig;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.Collection;
import java.util.UUID;

/**
 * The ids of events this replica has already got into Kafka, bounded in size and age. An id is
 * remembered only after Kafka acknowledged it, so a delivery that failed half-way is published in
 * full when Meta retries it.
 */
@Singleton
public class DedupeWindow {

    private final Cache<UUID, Boolean> published;

    @Inject
    DedupeWindow(WebhookConfig config, MeterRegistry registry) {
        this(config.dedupe().maxEntries(), config.dedupe().ttl());
        Gauge.builder("wacast.webhook.dedupe.entries", published, Cache::estimatedSize)
                .description("Event ids in this replica's dedupe window")
                .register(registry);
    }

    public DedupeWindow(long maxEntries, Duration ttl) {
        this.published = Caffeine.newBuilder()
                .maximumSize(maxEntries)
                .expireAfterWrite(ttl)
                .build();
    }

    public boolean contains(UUID eventId) {
        return published.getIfPresent(eventId) != null;
    }

    public void rememberAll(Collection<UUID> eventIds) {
        for (UUID eventId : eventIds) {
            published.put(eventId, Boolean.TRUE);
        }
    }
}
