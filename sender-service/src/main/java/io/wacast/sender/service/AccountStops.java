package io.wacast.sender.service;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.micrometer.core.instrument.MeterRegistry;
import io.wacast.sender.config.SenderConfig;

/**
 * Business numbers whose account Meta refused (190, 401, locked, unpaid): nothing is sent from them
 * until the stop expires and one probe call shows the account works again. Jobs meanwhile are
 * {@code deferred}: the recipient is not at fault and must not be failed.
 */
@ApplicationScoped
public class AccountStops {

    private static final Logger LOG = Logger.getLogger(AccountStops.class);

    private final Map<String, Instant> stoppedUntil = new ConcurrentHashMap<>();
    private final Duration stopFor;
    private final MeterRegistry registry;

    public AccountStops(SenderConfig config, MeterRegistry registry) {
        this.stopFor = config.accountStopDuration();
        this.registry = registry;
    }

    public void stop(String phoneNumberId, Integer code, String reason, Instant now) {
        Instant previous = stoppedUntil.put(phoneNumberId, now.plus(stopFor));
        registry.counter("wacast.sender.account.stopped", "phone_number_id", phoneNumberId).increment();
        if (previous == null || !previous.isAfter(now)) {
            LOG.errorf("ALERT sending stopped for business number %s for %s: Meta error %s, %s. Fix the token or "
                    + "account; affected jobs are reported deferred.", phoneNumberId, stopFor, code, reason);
        }
    }

    public boolean isStopped(String phoneNumberId, Instant now) {
        Instant until = stoppedUntil.get(phoneNumberId);
        return until != null && now.isBefore(until);
    }
}
