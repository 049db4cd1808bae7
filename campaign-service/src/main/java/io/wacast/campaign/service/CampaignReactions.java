package io.wacast.campaign.service;

import java.time.Instant;
import java.util.HashSet;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import io.wacast.campaign.config.CampaignConfig;
import io.wacast.campaign.repository.CampaignRepository;
import io.wacast.campaign.repository.PauseRequestRepository;
import io.wacast.campaign.repository.PauseRequestRepository.PauseRequest;
import io.wacast.campaign.repository.StatsRepository;

/**
 * The campaign-row changes an applied batch calls for, each in its own transaction after the batch
 * committed, so the applier never holds a recipient lock while waiting for a campaign row: policy
 * pauses and account stops (from the batch's pause requests), the failure-rate breaker, and
 * completion once every recipient is done. All are conditional UPDATEs, so replaying them is harmless.
 */
@ApplicationScoped
public class CampaignReactions {

    private static final Logger LOG = Logger.getLogger(CampaignReactions.class);

    private final CampaignConfig config;
    private final CampaignRepository campaigns;
    private final CampaignLifecycle lifecycle;
    private final PauseRequestRepository pauseRequests;
    private final StatsRepository stats;
    private final Counter autoPauses;

    CampaignReactions(CampaignConfig config, CampaignRepository campaigns, CampaignLifecycle lifecycle,
            PauseRequestRepository pauseRequests, StatsRepository stats, MeterRegistry registry) {
        this.config = config;
        this.campaigns = campaigns;
        this.lifecycle = lifecycle;
        this.pauseRequests = pauseRequests;
        this.stats = stats;
        this.autoPauses = Counter.builder("wacast.applier.auto.pauses").description("Campaigns paused by the applier")
                .register(registry);
    }

    /**
     * Reacts to a committed batch: every pause request outstanding (also those of an earlier batch whose
     * pause failed or was cut short by a crash), the failure-rate breaker for the campaigns that had
     * failures, and completion of the campaigns it touched.
     */
    void react(EventApplier.Result result) {
        Set<Long> paused = performPauseRequests();
        CampaignConfig.AutoPause breaker = config.autoPause();
        for (long id : result.failuresIn()) {
            if (paused.contains(id)) {
                continue;
            }
            StatsRepository.Bucket recent = stats.totals(id, Instant.now().minus(breaker.window()));
            if (recent.attempts() >= breaker.minAttempts()
                    && (double) recent.failed() / recent.attempts() > breaker.failureRateThreshold()) {
                pause(id, String.format(java.util.Locale.ROOT,
                        "auto-paused: %d of the last %d attempts failed (threshold %.0f%%)", recent.failed(),
                        recent.attempts(), breaker.failureRateThreshold() * 100));
            }
        }
        for (long id : result.touched()) {
            QuarkusTransaction.requiringNew().run(() -> lifecycle.completeIfDone(id));
        }
    }

    /**
     * Performs pause requests left behind by a crash or a failed pause, also when no more events
     * arrive (every batch performs them too).
     */
    @Scheduled(every = "5s", delayed = "5s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void sweepPauseRequests() {
        if (config.applier().enabled()) {
            performPauseRequests();
        }
    }

    /**
     * Performs the outstanding pause requests, each in the transaction that deletes it (so replicas
     * racing for one perform it once); one that fails stays for the next batch or the next sweep.
     * Returns the campaigns it paused.
     */
    public Set<Long> performPauseRequests() {
        Set<Long> paused = new HashSet<>();
        for (PauseRequest request : pauseRequests.outstanding()) {
            try {
                Set<Long> done = QuarkusTransaction.requiringNew().call(() -> perform(request));
                autoPauses.increment(done.size());
                paused.addAll(done);
            } catch (RuntimeException e) {
                LOG.warnf("pausing campaign %d failed, the request stays for the next round: %s", request.campaignId(),
                        e.getMessage());
            }
        }
        return paused;
    }

    private Set<Long> perform(PauseRequest request) {
        if (!pauseRequests.take(request)) {
            return Set.of();
        }
        if (!request.accountStop()) {
            return lifecycle.transition(request.campaignId(), CampaignLifecycle.Action.PAUSE, request.reason())
                    ? Set.of(request.campaignId()) : Set.of();
        }
        String number = campaigns.phoneNumberId(request.campaignId()).orElse(null);
        if (number == null) {
            return Set.of();
        }
        Set<Long> paused = new HashSet<>();
        for (long onNumber : campaigns.sendingOnNumber(number)) {
            if (lifecycle.transition(onNumber, CampaignLifecycle.Action.PAUSE, request.reason() + " on number " + number)) {
                paused.add(onNumber);
            }
        }
        return paused;
    }

    /** Pauses a sending campaign; false when it is not sending (already paused, completed, …). */
    private boolean pause(long campaignId, String reason) {
        boolean done = QuarkusTransaction.requiringNew().call(
                () -> lifecycle.transition(campaignId, CampaignLifecycle.Action.PAUSE, reason));
        if (done) {
            autoPauses.increment();
        }
        return done;
    }
}
