package io.wacast.sender.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PaceTest {

    private static final long SECOND = 1_000_000_000L;
    /** 1,000 µs: 1,000 msg/s. */
    private static final long BASE = 1_000;

    private static Pace pace() {
        return new Pace(BASE, 0.5, 0.95, 0.01, 5 * SECOND, SECOND);
    }

    @Test
    void runsAtTheConfiguredPaceUntilMetaThrottles() {
        Pace pace = pace();
        assertThat(pace.intervalUs(0)).isEqualTo(BASE);
        assertThat(pace.intervalUs(60 * SECOND)).isEqualTo(BASE);
        assertThat(pace.perSecond(60 * SECOND)).isEqualTo(1_000.0);
    }

    @Test
    void theMetricShowsTheRecoveryThatIsDueEvenWhenNothingLeased() {
        Pace pace = pace();
        pace.throttled(10 * SECOND);
        assertThat(pace.perSecond(10 * SECOND)).isLessThan(1_000.0);

        assertThat(pace.perSecond(10 * SECOND + 60 * SECOND)).as("5 s per 1 % step: a 5 % cut is gone in a minute")
                .isEqualTo(1_000.0);
    }

    @Test
    void aBurstOfRejectionsIsOneCut() {
        Pace pace = pace();
        assertThat(pace.throttled(10 * SECOND)).isTrue();
        for (int i = 1; i < 50; i++) {
            assertThat(pace.throttled(10 * SECOND + i * 10_000_000L)).isFalse();
        }
        assertThat(pace.intervalUs(11 * SECOND)).isEqualTo(1_053); // ⌈1000 / 0.95⌉: 950 msg/s
        assertThat(pace.throttled(11 * SECOND)).isTrue();
        assertThat(pace.intervalUs(11 * SECOND)).isEqualTo(1_109);
    }

    @Test
    void neverSlowerThanTheFloor() {
        Pace pace = pace();
        for (int i = 0; i < 100; i++) {
            pace.throttled(i * SECOND);
        }
        assertThat(pace.intervalUs(100 * SECOND)).isEqualTo(2 * BASE);
    }

    @Test
    void recoversStepByStepWhileMetaStaysQuietAndNeverAboveTheConfiguredPace() {
        Pace pace = pace();
        pace.throttled(0);
        pace.throttled(SECOND);
        long throttled = pace.intervalUs(SECOND);
        assertThat(pace.intervalUs(SECOND + 4 * SECOND)).isEqualTo(throttled);
        long afterOneStep = pace.intervalUs(SECOND + 5 * SECOND);
        assertThat(afterOneStep).isLessThan(throttled).isGreaterThan(BASE);
        assertThat(pace.intervalUs(SECOND + 600 * SECOND)).isEqualTo(BASE);
    }

    @Test
    void aRejectionInsideTheCutSpacingIsNoCutButPostponesRecovery() {
        Pace pace = pace();
        pace.throttled(0);
        long cut = pace.intervalUs(0);
        assertThat(pace.throttled(SECOND / 2)).isFalse();
        assertThat(pace.intervalUs(SECOND / 2)).isEqualTo(cut);
        assertThat(pace.intervalUs(5 * SECOND + SECOND / 5)).isEqualTo(cut);
        assertThat(pace.intervalUs(5 * SECOND + SECOND * 3 / 5)).isLessThan(cut);
    }

    @Test
    void refusesSettingsThatCouldSpeedUp() {
        assertThatThrownBy(() -> new Pace(BASE, 0.5, 1.05, 0.01, SECOND, SECOND)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Pace(BASE, 1.5, 0.95, 0.01, SECOND, SECOND)).isInstanceOf(IllegalArgumentException.class);
    }
}
