package io.wacast.campaign.service;

import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.scheduler.Scheduled;
import io.wacast.campaign.config.ApiConfig;
import io.wacast.campaign.repository.AuditRepository;

/** Forgets audit entries older than {@code wacast.api.audit-retention}, in chunks, so the table stays bounded. */
@ApplicationScoped
class AuditRetention {

    private static final int CHUNK = 10_000;

    private final AuditRepository audit;
    private final ApiConfig config;

    AuditRetention(AuditRepository audit, ApiConfig config) {
        this.audit = audit;
        this.config = config;
    }

    @Scheduled(every = "1h", delayed = "2m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void purge() {
        Instant cutoff = Instant.now().minus(config.auditRetention());
        while (audit.purge(cutoff, CHUNK) == CHUNK) {
            // the next chunk
        }
    }
}
