package io.wacast.campaign.service;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.quarkus.scheduler.Scheduled;
import io.wacast.campaign.config.CampaignConfig;
import io.wacast.campaign.messaging.OutboxRelay;
import io.wacast.campaign.repository.CampaignRepository;
import io.wacast.common.status.CampaignStatus;

/**
 * The heartbeat of the engine: starts scheduled campaigns that are due, dispatches sending ones and
 * relays the outbox. Every step is safe on any number of replicas (conditional UPDATEs, SKIP LOCKED),
 * so no leader election is needed.
 */
@ApplicationScoped
public class EngineLoop {

    private static final Logger LOG = Logger.getLogger(EngineLoop.class);
    private static final int CAMPAIGNS_PER_ROUND = 500;
    /** Rounds repeat within one tick while campaigns fill whole batches, up to this long. */
    private static final java.time.Duration ROUND_BUDGET = java.time.Duration.ofMillis(800);

    private final CampaignConfig config;
    private final CampaignRepository campaigns;
    private final CampaignDispatcher dispatcher;
    private final CampaignScheduler scheduler;
    private final OutboxRelay relay;

    EngineLoop(CampaignConfig config, CampaignRepository campaigns, CampaignDispatcher dispatcher,
            CampaignScheduler scheduler, OutboxRelay relay) {
        this.config = config;
        this.campaigns = campaigns;
        this.dispatcher = dispatcher;
        this.scheduler = scheduler;
        this.relay = relay;
    }

    @Scheduled(every = "${wacast.campaign.dispatch.interval:1s}", delayed = "1s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void tick() {
        if (!config.dispatch().enabled()) {
            return;
        }
        long deadline = System.nanoTime() + ROUND_BUDGET.toNanos();
        boolean more;
        do {
            more = false;
            try {
                scheduler.startDue();
                for (long id : campaigns.idsWithStatus(CampaignStatus.SENDING, CAMPAIGNS_PER_ROUND)) {
                    more |= dispatcher.dispatch(id) >= config.dispatch().batchSize();
                }
            } catch (RuntimeException e) {
                LOG.warnf(e, "dispatch round failed; the next round retries");
            }
            try {
                relay.drain();
            } catch (RuntimeException e) {
                LOG.warnf("outbox relay round failed; the next round retries: %s", e.getMessage());
                more = false;
            }
        } while (more && System.nanoTime() < deadline);
    }
}
