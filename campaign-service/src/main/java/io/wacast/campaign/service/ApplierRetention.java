package io.wacast.campaign.service;

import java.time.Duration;
import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.scheduler.Scheduled;
import io.wacast.campaign.config.CampaignConfig;
import io.wacast.campaign.repository.EngagementRepository;
import io.wacast.campaign.repository.ProcessedEventRepository;

/**
 * Forgets what the applier keeps only for a while, in chunks, so the tables stay small
 * (docs/DESIGN.md §7, Retention): applied event ids, parked events, and who was messaged when (once
 * past the reply and order windows).
 */
@ApplicationScoped
class ApplierRetention {

    private static final int CHUNK = 10_000;

    private final CampaignConfig config;
    private final ProcessedEventRepository processed;
    private final ParkedEvents parked;
    private final EngagementRepository engagement;

    ApplierRetention(CampaignConfig config, ProcessedEventRepository processed, ParkedEvents parked,
            EngagementRepository engagement) {
        this.config = config;
        this.processed = processed;
        this.parked = parked;
        this.engagement = engagement;
    }

    @Scheduled(every = "10m", delayed = "1m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void purge() {
        Instant processedCutoff = Instant.now().minus(config.applier().processedRetention());
        while (processed.purge(processedCutoff, CHUNK) == CHUNK) {
            // the next chunk
        }
        parked.purge(Instant.now().minus(config.applier().parkedRetention()));
        Duration reply = config.engagement().replyWindow();
        Duration order = config.engagement().orderWindow();
        Instant messagedBefore = Instant.now().minus(reply.compareTo(order) > 0 ? reply : order);
        while (engagement.purge(messagedBefore, messagedBefore, CHUNK) == CHUNK) {
            // the next chunk
        }
    }
}
