package io.wacast.campaign.config;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Recurring campaigns (docs/DESIGN.md §2, "Recurring campaigns"). */
@ConfigMapping(prefix = "wacast.series")
public interface SeriesConfig {

    /** Whether this replica starts due occurrences (every replica may: the claim makes each start once). */
    @WithDefault("true")
    boolean enabled();

    /** How often each replica looks for due occurrences (the scheduler's own interval, in the @Scheduled expression). */
    @WithDefault("15s")
    Duration interval();

    /** An occurrence leaves out contacts an earlier occurrence of its series messaged less than this ago, unless the series says otherwise. */
    @WithDefault("24h")
    Duration minInterval();
}
