package io.wacast.campaign.service;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.scheduler.Scheduled;
import io.wacast.campaign.config.CampaignConfig;
import io.wacast.campaign.messaging.OutboxRelay;
import io.wacast.campaign.repository.CampaignRepository;
import io.wacast.common.status.CampaignStatus;

/**
 * The heartbeat of the engine: starts scheduled campaigns that are due and dispatches sending ones;
 * the {@link OutboxRelay} publishes what they commit on a thread of its own. Every step is safe on any number of replicas (conditional UPDATEs, SKIP LOCKED),
 * so no leader election is needed.
 */
@ApplicationScoped
public class EngineLoop {

    private static final Logger LOG = Logger.getLogger(EngineLoop.class);
    private static final int CAMPAIGNS_PER_ROUND = 500;
    /**
     * A tick keeps going while campaigns fill whole batches, up to this long: stopping sooner would
     * leave the engine idle until the next tick. Scheduled starts and newly sending campaigns are
     * looked at every {@link #FULL_PASS} meanwhile.
     */
    private static final Duration TICK_LIMIT = Duration.ofSeconds(30);
    private static final Duration FULL_PASS = Duration.ofSeconds(1);

    private final CampaignConfig config;
    private final CampaignRepository campaigns;
    private final CampaignDispatcher dispatcher;
    private final CampaignScheduler scheduler;
    private final OutboxRelay relay;
    private volatile boolean stopping;

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
        long started = System.nanoTime();
        long nextFullPass = started;
        List<Long> due = List.of();
        do {
            if (System.nanoTime() >= nextFullPass) {
                due = allSending();
                nextFullPass = System.nanoTime() + FULL_PASS.toNanos();
            }
            // Between full passes only campaigns that filled a whole batch get another round, so idle
            // campaigns cost nothing while a big one dispatches.
            List<Long> full = new ArrayList<>();
            try {
                for (long id : due) {
                    int queued = dispatcher.dispatch(id);
                    if (queued > 0) {
                        relay.wake();
                    }
                    if (queued >= config.dispatch().batchSize()) {
                        full.add(id);
                    }
                }
            } catch (RuntimeException e) {
                LOG.warnf(e, "dispatch round failed; the next round retries");
            }
            due = full;
        } while (!due.isEmpty() && !stopping && System.nanoTime() - started < TICK_LIMIT.toNanos());
    }

    private List<Long> allSending() {
        try {
            scheduler.startDue();
            return campaigns.idsWithStatus(CampaignStatus.SENDING, CAMPAIGNS_PER_ROUND);
        } catch (RuntimeException e) {
            LOG.warnf(e, "dispatch round failed; the next round retries");
            return List.of();
        }
    }

    void stop(@Observes ShutdownEvent event) {
        stopping = true;
    }
}
