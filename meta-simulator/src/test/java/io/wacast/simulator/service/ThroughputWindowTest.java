package io.wacast.simulator.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.wacast.simulator.stats.SimulatorStatsView.NumberView;
import org.junit.jupiter.api.Test;

/** The cap holds in every one-second window, not only inside fixed seconds. */
class ThroughputWindowTest {

    private static final long MS = 1_000_000L;

    @Test
    void admitsUpToTheCapAndRejectsTheExcessWithinOneSecond() {
        ThroughputWindow window = new ThroughputWindow();
        int admitted = 0;
        for (int i = 0; i < 15; i++) {
            admitted += window.tryAdmit(i * MS, 10) ? 1 : 0;
        }
        NumberView stats = window.stats("n");
        assertThat(admitted).isEqualTo(10);
        assertThat(stats.callsRejected()).isEqualTo(5);
        assertThat(stats.maxCallsInAnyOneSecondWindow()).isEqualTo(15);
        assertThat(stats.maxAdmittedInAnyOneSecondWindow()).isEqualTo(10);
    }

    @Test
    void aBurstStraddlingASecondBoundaryIsStillCapped() {
        ThroughputWindow window = new ThroughputWindow();
        for (int i = 0; i < 10; i++) {
            assertThat(window.tryAdmit(900 * MS + i * MS, 10)).isTrue();
        }
        // 1.05 s: a fixed per-second bucket would start afresh here; the sliding window does not.
        assertThat(window.tryAdmit(1_050 * MS, 10)).isFalse();
        assertThat(window.tryAdmit(1_900 * MS, 10)).isTrue();
        assertThat(window.stats("n").maxAdmittedInAnyOneSecondWindow()).isEqualTo(10);
    }

    @Test
    void aSteadyRateAtTheCapIsNeverRejected() {
        ThroughputWindow window = new ThroughputWindow();
        for (int i = 0; i < 5_000; i++) {
            assertThat(window.tryAdmit(i * MS, 1_000)).isTrue();
        }
        assertThat(window.stats("n").maxCallsInAnyOneSecondWindow()).isEqualTo(1_000);
    }

    @Test
    void loweringTheCapAtRuntimeOpensNoBurst() {
        ThroughputWindow window = new ThroughputWindow();
        for (int i = 0; i < 8; i++) {
            window.tryAdmit(i * MS, 100);
        }
        assertThat(window.tryAdmit(10 * MS, 5)).isFalse();
        assertThat(window.tryAdmit(1_008 * MS, 5)).isTrue();
    }

    @Test
    void measuringAFloodStaysBounded() {
        ThroughputWindow window = new ThroughputWindow();
        for (int i = 0; i < ThroughputWindow.MAX_TRACKED_ATTEMPTS + 10_000; i++) {
            window.tryAdmit(i, 80);
        }
        assertThat(window.stats("n").maxCallsInAnyOneSecondWindow()).isEqualTo(ThroughputWindow.MAX_TRACKED_ATTEMPTS);
        assertThat(window.stats("n").callsRejected()).isEqualTo(ThroughputWindow.MAX_TRACKED_ATTEMPTS + 10_000 - 80);
    }
}
