package io.wacast.console.view;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

import io.wacast.console.client.CampaignApi.Campaign;
import io.wacast.console.client.CampaignApi.Stats;
import io.wacast.console.client.CampaignApi.TimelineBucket;

/**
 * One line of the campaigns table: the campaign and, when the stats could be read, its counters and
 * the rate of its last full minute.
 */
public record CampaignRow(Campaign campaign, Stats stats) {

    public boolean hasStats() {
        return stats != null;
    }

    /** Messages per second over the last full minute of sends, or null when nothing went out lately. */
    public Double rate() {
        return stats == null ? null : recentRate(stats.timeline(), Instant.now());
    }

    /** The rate as the table shows it ("12.3/s", "—"); a null rate must not reach a template extension. */
    public String rateText() {
        return Formats.perSecond(rate());
    }

    static Double recentRate(List<TimelineBucket> timeline, Instant now) {
        if (timeline == null) {
            return null;
        }
        Instant lastFullMinute = now.truncatedTo(ChronoUnit.MINUTES).minusSeconds(60);
        return timeline.stream()
                .filter(b -> b.minute().equals(lastFullMinute))
                .findFirst()
                .map(b -> b.sent() / 60.0)
                .filter(rate -> rate > 0)
                .orElse(null);
    }
}
