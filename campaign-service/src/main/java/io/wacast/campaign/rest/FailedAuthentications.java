package io.wacast.campaign.rest;

import jakarta.enterprise.context.ApplicationScoped;

import io.micrometer.core.instrument.MeterRegistry;
import io.wacast.campaign.config.ApiConfig;
import io.wacast.common.auth.ClientAddress;
import io.wacast.common.auth.FailedAttempts;

/** This replica's count of failed authentications per client address, and how it finds the address. */
@ApplicationScoped
class FailedAuthentications {

    private final FailedAttempts attempts;
    private final ClientAddress addresses;

    FailedAuthentications(ApiConfig config, MeterRegistry registry) {
        this.attempts = new FailedAttempts(config.failedAuth().maxFailures(), config.failedAuth().window(),
                config.failedAuth().maxTracked(), System::nanoTime);
        this.addresses = new ClientAddress(config.internalToken());
        registry.gauge("wacast_auth_failing_addresses", attempts, FailedAttempts::tracked);
    }

    FailedAttempts attempts() {
        return attempts;
    }

    ClientAddress addresses() {
        return addresses;
    }
}
