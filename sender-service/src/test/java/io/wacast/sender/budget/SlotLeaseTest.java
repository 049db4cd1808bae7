package io.wacast.sender.budget;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SlotLeaseTest {

    @ParameterizedTest(name = "{0}/s at {1} → slots {2} µs apart")
    @CsvSource({ "80, 0.985, 12691", "1000, 0.985, 1016", "1000, 1.0, 1000", "250, 0.5, 8000" })
    void slotsAreSpacedForTheCapTimesTheUtilisation(int perSecond, double utilisation, long interval) {
        assertThat(SlotLease.intervalUs(perSecond, utilisation)).isEqualTo(interval);
    }

    @ParameterizedTest(name = "cap {0}/s: any one-second window sees at most the cap")
    @CsvSource({ "80", "250", "500", "1000" })
    void withTheDefaultUtilisationAndLatenessNoSecondExceedsTheCap(int cap) {
        long interval = SlotLease.intervalUs(cap, 0.985);
        assertThat(SlotLease.maxCallsPerSecond(interval, 8_000)).isLessThanOrEqualTo(cap);
        assertThat(1_000_000.0 / interval).isGreaterThanOrEqualTo(cap * 0.98);
    }

    @ParameterizedTest(name = "cap {0}/s at {1}, arrival spread {2} µs")
    @CsvSource({ "80, 0.985, 8000", "100, 0.975, 10000", "250, 0.95, 8000", "1000, 0.985, 8000", "1000, 0.975, 8000" })
    void theDerivedLatenessIsAllTheMarginLeftBesideTheArrivalSpreadAndNotOneMicrosecondMore(int cap, double utilisation,
            long spreadUs) {
        long interval = SlotLease.intervalUs(cap, utilisation);
        long lateness = SlotLease.maxLatenessUs(cap, interval, spreadUs);
        assertThat(lateness).isPositive();
        assertThat(SlotLease.maxCallsPerSecond(interval, lateness + spreadUs)).isLessThanOrEqualTo(cap);
        assertThat(SlotLease.maxCallsPerSecond(interval, lateness + spreadUs + 1)).isEqualTo(cap + 1);
    }

    @Test
    void aUtilisationThatLeavesNoRoomForTheSpreadLeavesNoLateness() {
        assertThat(SlotLease.maxLatenessUs(80, SlotLease.intervalUs(80, 1.0), 8_000)).isNegative();
    }

    @Test
    void aSlotCanBeTakenOnlyFromItsTimeOn() {
        SlotLease lease = new SlotLease(1_000, 100, 3, 50);
        assertThat(lease.take(999)).isFalse();
        assertThat(lease.take(1_000)).isTrue();
        assertThat(lease.take(1_050)).isFalse();
        assertThat(lease.take(1_100)).isTrue();
        assertThat(lease.remaining()).isEqualTo(1);
    }

    @Test
    void aSlotHandedOnAheadIsTakenWithinTheLeadAndNoUsableSlotIsDroppedForIt() {
        SlotLease lease = new SlotLease(1_000, 100, 3, 50);
        assertThat(lease.take(960, 30)).as("due 40 after now, 30 ahead").isFalse();
        assertThat(lease.take(970, 30)).isTrue();
        // slot 1,100 is still usable at 1,140 (lateness 50): looking 30 ahead must not drop it
        assertThat(lease.take(1_140, 30)).isTrue();
        assertThat(lease.dropped()).isZero();
        assertThat(lease.take(1_251, 30)).as("slot 1,200 missed by more than its lateness").isFalse();
        assertThat(lease.dropped()).isEqualTo(1);
    }

    @Test
    void slotsMissedByMoreThanTheLatenessAreDroppedSoLateCallsNeverBunch() {
        SlotLease lease = new SlotLease(1_000, 100, 5, 50);
        assertThat(lease.nextSlot(1_260)).isEqualTo(1_300);
        assertThat(lease.dropped()).isEqualTo(3);
        assertThat(lease.take(1_300)).isTrue();
        assertThat(lease.take(1_500)).isFalse();
        assertThat(lease.nextSlot(1_500)).isEqualTo(-1);
        assertThat(lease.dropped()).isEqualTo(4);
    }

    @Test
    void abandoningALeaseDropsEverySlotLeft() {
        SlotLease lease = new SlotLease(0, 10, 4, 0);
        lease.take(0);
        lease.abandon();
        assertThat(lease.remaining()).isZero();
        assertThat(lease.nextSlot(0)).isEqualTo(-1);
    }

    @ParameterizedTest(name = "{0}/min → slots {1} µs apart")
    @CsvSource({ "60, 1000000", "600, 100000", "7, 8571429", "60000, 1000" })
    void aCampaignsLimitPerMinuteSpacesItsSlotsAtExactlyThatRate(int perMinute, long interval) {
        assertThat(SlotLease.intervalUsPerMinute(perMinute)).isEqualTo(interval);
    }

    @Test
    void nonsenseThroughputIsRefused() {
        assertThatThrownBy(() -> SlotLease.intervalUsPerMinute(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SlotLease.intervalUs(0, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SlotLease.intervalUs(80, 1.5)).isInstanceOf(IllegalArgumentException.class);
    }
}
