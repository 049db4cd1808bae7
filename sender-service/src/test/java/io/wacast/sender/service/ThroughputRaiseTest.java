package io.wacast.sender.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.wacast.sender.budget.SlotLease;
import io.wacast.sender.config.SenderConfig;

/** A throughput upgrade raises a number's cap in this replica's lane without a restart, and never lowers it. */
class ThroughputRaiseTest {

    private static final String NUMBER = "100000000000001";
    private static final String OTHER = "100000000000002";

    @Test
    void anUpgradeRetunesTheLaneInPlace() {
        Lanes lanes = new Lanes(config(Map.of()), new SimpleMeterRegistry());
        Lane lane = lanes.of(NUMBER);
        long intervalAt80 = lane.pace.intervalUs(System.nanoTime());
        int claimAheadAt80 = lane.claimAhead;

        assertThat(lanes.raise(NUMBER, 1000)).isTrue();

        assertThat(lanes.of(NUMBER)).as("the same lane: its queued jobs stay").isSameAs(lane);
        assertThat(lane.cap).isEqualTo(1000);
        assertThat(lanes.capOf(NUMBER)).isEqualTo(1000);
        assertThat(lane.pace.intervalUs(System.nanoTime())).isEqualTo(SlotLease.intervalUs(1000, config(Map.of()).budgetUtilisation()))
                .isLessThan(intervalAt80);
        assertThat(lane.claimAhead).isGreaterThan(claimAheadAt80);
        assertThat(lane.schedule.slice).isEqualTo(24);
        assertThat(SlotLease.maxCallsPerSecond(lane.pace.intervalUs(System.nanoTime()),
                lane.schedule.latenessUs + 8_000)).as("still within the new cap").isLessThanOrEqualTo(1000);
        assertThat(lanes.capOf(OTHER)).as("other numbers keep theirs").isEqualTo(80);
    }

    @Test
    void aCapIsNeverLowered() {
        Lanes lanes = new Lanes(config(Map.of("wacast.sender.throughput.\"" + NUMBER + "\"", "1000")),
                new SimpleMeterRegistry());

        assertThat(lanes.raise(NUMBER, 1000)).isFalse();
        assertThat(lanes.raise(NUMBER, 200)).isFalse();
        assertThat(lanes.of(NUMBER).cap).isEqualTo(1000);
    }

    @Test
    void aNumberWithoutALaneYetStartsAtTheRaisedCap() {
        Lanes lanes = new Lanes(config(Map.of()), new SimpleMeterRegistry());

        assertThat(lanes.raise(OTHER, 500)).isTrue();

        assertThat(lanes.of(OTHER).cap).isEqualTo(500);
        assertThat(lanes.of(OTHER).pace.intervalUs(System.nanoTime())).isEqualTo(SlotLease.intervalUs(500, config(Map.of()).budgetUtilisation()));
    }

    @Test
    void aSlowedPaceKeepsItsShareOfSlowingOnTheNewCap() {
        Pace pace = new Pace(10_000, 0.5, 0.95, 0.01, 5_000_000_000L, 1_000_000_000L);
        pace.throttled(1);
        long slowed = pace.intervalUs(1);

        pace.rebase(1_000);

        assertThat(pace.intervalUs(1)).isEqualTo(Math.round(slowed / 10.0));
        assertThat(pace.perSecond(1)).isGreaterThan(900).isLessThan(1000);
    }

    private static SenderConfig config(Map<String, String> properties) {
        SmallRyeConfig config = new SmallRyeConfigBuilder().withMapping(SenderConfig.class)
                .withDefaultValues(properties).build();
        return config.getConfigMapping(SenderConfig.class);
    }
}
