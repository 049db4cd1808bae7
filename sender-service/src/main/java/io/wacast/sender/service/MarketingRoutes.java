package io.wacast.sender.service;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.jboss.logging.Logger;

import io.wacast.common.event.SendJob;
import io.wacast.sender.client.Endpoint;
import io.wacast.sender.config.SenderConfig;

/**
 * Which endpoint a job goes to: a template whose latest category was MARKETING at dispatch goes to the
 * Marketing Messages API when its number has it on, every other one to {@code /messages}. A number the
 * Marketing Messages API refused (terms not accepted) with fallback {@code messages} sends its marketing
 * through {@code /messages} for {@code recheck-after}, so that not every job pays a refused call first.
 * Thread-safe.
 */
final class MarketingRoutes {

    private static final Logger LOG = Logger.getLogger(MarketingRoutes.class);

    private final SenderConfig.MarketingMessages config;
    private final Duration recheckAfter;
    private final Map<String, Instant> refusedUntil = new ConcurrentHashMap<>();

    MarketingRoutes(SenderConfig.MarketingMessages config) {
        this.config = config;
        this.recheckAfter = config.recheckAfter();
    }

    Endpoint route(SendJob job, Instant now) {
        if (!job.marketing() || job.viaMessages() || !config.enabledFor(job.phoneNumberId())) {
            return Endpoint.MESSAGES;
        }
        Instant until = refusedUntil.get(job.phoneNumberId());
        return until != null && now.isBefore(until) ? Endpoint.MESSAGES : Endpoint.MARKETING_MESSAGES;
    }

    SenderConfig.MarketingMessages.Fallback fallbackFor(String phoneNumberId) {
        return config.fallbackFor(phoneNumberId);
    }

    /** The Marketing Messages API refused {@code phoneNumberId} at {@code now}; its fallback is {@code messages}. */
    void refused(String phoneNumberId, String reason, Instant now) {
        Instant previous = refusedUntil.put(phoneNumberId, now.plus(recheckAfter));
        if (previous == null || !previous.isAfter(now)) {
            LOG.warnf("the Marketing Messages API refused number %s (%s): its marketing templates go to /messages"
                    + " for %s, then the Marketing Messages API is tried again", phoneNumberId, reason, recheckAfter);
        }
    }
}
