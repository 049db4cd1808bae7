package io.wacast.campaign.service;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.enterprise.context.ApplicationScoped;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.wacast.campaign.service.StatsService.CampaignStats;
import io.wacast.campaign.service.StatsService.Progress;

/**
 * A campaign's stats as a live feed for the operator console: the stats at once, then again whenever
 * they changed, polled once a second. Each poll is one short transaction on a worker thread, so an
 * open feed holds no database connection between polls; cancelling the subscription (the client went
 * away) stops the polling.
 */
@ApplicationScoped
@Startup // registers its gauge before the first feed opens
public class StatsFeed {

    static final Duration POLL_INTERVAL = Duration.ofSeconds(1);
    /** Proxies close connections that stay silent for long; 15 s is below every common default. */
    static final Duration KEEP_ALIVE_AFTER = Duration.ofSeconds(15);
    /** How long a feed goes on after the last change of a completed or cancelled campaign (late webhooks). */
    static final Duration FINAL_GRACE = Duration.ofSeconds(5);

    /**
     * One item of a feed.
     *
     * @param sequence 1 for the stats sent on subscription, one more for each change after them
     * @param stats the campaign's stats as {@code GET /campaigns/{id}/stats} returns them; null for a
     *     keep-alive, sent after {@link #KEEP_ALIVE_AFTER} without a change
     */
    public record Update(long sequence, CampaignStats stats) {

        public boolean isKeepAlive() {
            return stats == null;
        }
    }

    /** What one poll found: an update to send or none, and whether the feed is over. */
    private record Poll(Update update, boolean ends) {

        static final Poll NOTHING = new Poll(null, false);
        static final Poll END = new Poll(null, true);
    }

    private final StatsService stats;
    private final AtomicInteger open = new AtomicInteger();

    StatsFeed(StatsService stats, MeterRegistry registry) {
        this.stats = stats;
        Gauge.builder("wacast.stats.feeds", open, AtomicInteger::get)
                .description("Live stats feeds (SSE streams) open now").register(registry);
    }

    /**
     * Reads the stats once before returning (blocking), so an unknown campaign is refused with 404
     * before anything is streamed. The feed completes {@link #FINAL_GRACE} after the last change of a
     * campaign in a final status, or at the first poll after the campaign was deleted.
     */
    public Multi<Update> follow(long campaignId) {
        Follower follower = new Follower(campaignId, stats.stats(campaignId));
        // The first subscription is immediate (it delivers the stats read above), later ones wait the delay.
        return Uni.createFrom().item(follower::poll)
                .runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
                .repeat().withDelay(POLL_INTERVAL).until(Poll::ends)
                .select().where(poll -> poll.update() != null)
                .map(Poll::update)
                .onSubscription().invoke(open::incrementAndGet)
                .onTermination().invoke(open::decrementAndGet);
    }

    /**
     * The state of one subscription. Its polls run one after the other (the repeat subscribes to the
     * next only after the previous completed), each possibly on another worker thread.
     */
    private final class Follower {

        private final long campaignId;
        private CampaignStats first;
        private CampaignStats last;
        private long sequence;
        private long lastChangeAt;
        private long lastSentAt;

        Follower(long campaignId, CampaignStats first) {
            this.campaignId = campaignId;
            this.first = first;
        }

        Poll poll() {
            long now = System.nanoTime();
            CampaignStats current;
            if (first != null) {
                current = first;
                first = null;
            } else {
                try {
                    current = stats.stats(campaignId);
                } catch (ProblemException deleted) {
                    return Poll.END;
                }
            }
            if (last == null || !facts(current).equals(facts(last))) {
                last = current;
                lastChangeAt = now;
                lastSentAt = now;
                return new Poll(new Update(++sequence, current), false);
            }
            if (current.campaign().status().isTerminal() && now - lastChangeAt >= FINAL_GRACE.toNanos()) {
                return Poll.END;
            }
            if (now - lastSentAt >= KEEP_ALIVE_AFTER.toNanos()) {
                lastSentAt = now;
                return new Poll(new Update(sequence, null), false);
            }
            return Poll.NOTHING;
        }
    }

    /** The stats without what moves with the clock alone: {@code generatedAt}, and the ETA of a sending campaign. */
    static CampaignStats facts(CampaignStats s) {
        Progress progress = new Progress(s.progress().done(), s.progress().remaining(), null);
        return new CampaignStats(s.campaign(), s.stats(), s.metrics(), s.errorBreakdown(), s.timeline(),
                s.sampleFailures(), progress, s.replies(), s.buttons(), s.revenue(), null, s.pacing(), s.charges());
    }
}
