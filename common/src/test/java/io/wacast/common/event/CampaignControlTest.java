package io.wacast.common.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wacast.common.event.CampaignControl.SendWindow;
import io.wacast.common.status.CampaignStatus;
import io.wacast.common.testing.Generated;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class CampaignControlTest {

    private static final ZoneId KOLKATA = ZoneId.of("Asia/Kolkata");

    private static Instant kolkata(String localDateTime) {
        return ZonedDateTime.of(LocalDateTime.parse(localDateTime), KOLKATA).toInstant();
    }

    @ParameterizedTest(name = "{0}-{1} at {2}: {3}")
    @CsvSource({
        "9,  21, 2025-06-01T08:59, false",
        "9,  21, 2025-06-01T09:00, true",
        "9,  21, 2025-06-01T20:59, true",
        "9,  21, 2025-06-01T21:00, false",
        "22, 6,  2025-06-01T23:30, true",
        "22, 6,  2025-06-01T05:59, true",
        "22, 6,  2025-06-01T06:00, false",
        "22, 6,  2025-06-01T12:00, false",
        "18, 0,  2025-06-01T23:59, true",
        "18, 24, 2025-06-01T23:59, true",
        "18, 24, 2025-06-01T00:30, false",
        "0,  0,  2025-06-01T03:00, true",
        "7,  7,  2025-06-01T03:00, true",
    })
    void isOpenDuringItsHoursInTheCampaignTimeZone(int start, int end, String local, boolean open) {
        assertThat(new SendWindow(start, end, "Asia/Kolkata").isOpenAt(kolkata(local))).isEqualTo(open);
    }

    @Test
    void hoursAreReadInTheCampaignTimeZoneNotUtc() {
        SendWindow window = new SendWindow(9, 21, "Asia/Kolkata");

        assertThat(window.isOpenAt(Instant.parse("2025-06-01T04:00:00Z"))).isTrue();
        assertThat(window.isOpenAt(Instant.parse("2025-06-01T16:00:00Z"))).isFalse();
    }

    @Test
    void nextOpeningIsTheNextStartHour() {
        SendWindow window = new SendWindow(9, 21, "Asia/Kolkata");

        assertThat(window.nextOpening(kolkata("2025-06-01T07:10"))).isEqualTo(kolkata("2025-06-01T09:00"));
        assertThat(window.nextOpening(kolkata("2025-06-01T22:10"))).isEqualTo(kolkata("2025-06-02T09:00"));
        assertThat(window.nextOpening(kolkata("2025-06-01T10:10"))).isEqualTo(kolkata("2025-06-01T10:10"));
    }

    @Test
    void nextOpeningSurvivesADaylightSavingGap() {
        SendWindow window = new SendWindow(2, 5, "Europe/Berlin");
        Instant beforeSpringForward = Instant.parse("2025-03-29T23:00:00Z");

        Instant opening = window.nextOpening(beforeSpringForward);

        assertThat(window.isOpenAt(opening)).isTrue();
        assertThat(opening).isEqualTo(Instant.parse("2025-03-30T01:00:00Z"));
    }

    @ParameterizedTest
    @MethodSource("windowsAndInstants")
    void nextOpeningIsOpenAndNotInThePast(int start, int end, long epochSecond) {
        SendWindow window = new SendWindow(start, end, "America/New_York");
        Instant from = Instant.ofEpochSecond(epochSecond);

        Instant opening = window.nextOpening(from);

        assertThat(opening).isAfterOrEqualTo(from);
        assertThat(window.isOpenAt(opening)).isTrue();
        assertThat(opening).isBefore(from.plusSeconds(26 * 3600));
    }

    static Stream<Arguments> windowsAndInstants() {
        return Generated.cases(20_201, g -> Arguments.of(g.between(0, 23), g.between(0, 24),
                g.between(1_700_000_000L, 1_900_000_000L)));
    }

    @Test
    void rejectsImpossibleWindows() {
        assertThatThrownBy(() -> new SendWindow(24, 6, "UTC")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new SendWindow(-1, 6, "UTC")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new SendWindow(9, 25, "UTC")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new SendWindow(9, 21, "Mars/Olympus")).isInstanceOf(DateTimeException.class);
        assertThatThrownBy(() -> new SendWindow(9, 21, null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void allowsSendingOnlyWhileSendingAndInsideTheWindow() {
        SendWindow window = new SendWindow(9, 21, "Asia/Kolkata");
        Instant inside = kolkata("2025-06-01T10:00");
        Instant outside = kolkata("2025-06-01T22:00");

        assertThat(control(CampaignStatus.SENDING, window, 1).allowsSendingAt(inside)).isTrue();
        assertThat(control(CampaignStatus.SENDING, window, 1).allowsSendingAt(outside)).isFalse();
        assertThat(control(CampaignStatus.SENDING, null, 1).allowsSendingAt(outside)).isTrue();
        assertThat(control(CampaignStatus.PAUSED, window, 1).allowsSendingAt(inside)).isFalse();
        assertThat(control(CampaignStatus.CANCELLED, null, 1).allowsSendingAt(inside)).isFalse();
    }

    @Test
    void onlyAHigherVersionSupersedes() {
        CampaignControl current = control(CampaignStatus.SENDING, null, 5);

        assertThat(control(CampaignStatus.PAUSED, null, 6).supersedes(current)).isTrue();
        assertThat(control(CampaignStatus.PAUSED, null, 5).supersedes(current)).isFalse();
        assertThat(control(CampaignStatus.PAUSED, null, 4).supersedes(current)).isFalse();
        assertThat(control(CampaignStatus.PAUSED, null, 1).supersedes(null)).isTrue();
    }

    private static CampaignControl control(CampaignStatus status, SendWindow window, long version) {
        return CampaignControl.of(42, "106540352242922", status, 600, window, version, Instant.EPOCH);
    }
}
