package io.wacast.webhook.service;

import io.wacast.webhook.config.WebhookConfig;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.time.Instant;

/**
 * Which Meta timestamps are believed: those within {@code max-age} before and {@code max-ahead}
 * after the delivery's arrival. Anything else (a status dated 2100, or 1970) would end up in
 * timelines and in columns that cannot hold it, so it is dropped before it reaches a topic.
 */
@Singleton
public class TimestampWindow {

    private final Duration maxAge;
    private final Duration maxAhead;

    @Inject
    TimestampWindow(WebhookConfig config) {
        this(config.timestamps().maxAge(), config.timestamps().maxAhead());
    }

    public TimestampWindow(Duration maxAge, Duration maxAhead) {
        this.maxAge = maxAge;
        this.maxAhead = maxAhead;
    }

    /** Whether a Meta timestamp is plausible for an entry that arrived at {@code receivedAt}. */
    public boolean admits(Instant metaTimestamp, Instant receivedAt) {
        return !metaTimestamp.isBefore(receivedAt.minus(maxAge)) && !metaTimestamp.isAfter(receivedAt.plus(maxAhead));
    }
}
