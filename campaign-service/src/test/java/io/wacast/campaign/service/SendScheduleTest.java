package io.wacast.campaign.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.wacast.common.event.CampaignControl.SendWindow;

class SendScheduleTest {

    private static final ZoneId KOLKATA = ZoneId.of("Asia/Kolkata");

    @Test
    void withoutAWindowTheLastMessageLeavesCountMinusOneIntervalsAfterTheStart() {
        Instant start = Instant.parse("2026-03-01T10:00:00Z");
        SendSchedule.Result schedule = SendSchedule.of(801, 80, start, null);
        assertThat(schedule.end()).isEqualTo(start.plusSeconds(10));
        assertThat(schedule.days()).isEmpty();
        assertThat(SendSchedule.of(0, 80, start, null).end()).isEqualTo(start);
    }

    @Test
    void aWindowSpanningSeveralDaysIsSplitPerDayInTheWindowsZone() {
        // 9:00–11:00 in Kolkata (UTC+5:30) = 7200 s a day; 1 message/s; 20,000 messages; start 10:00 local
        Instant start = ZonedDateTime.of(2026, 3, 1, 10, 0, 0, 0, KOLKATA).toInstant();
        SendSchedule.Result schedule = SendSchedule.of(20_000, 1.0, start, new SendWindow(9, 11, "Asia/Kolkata"));

        assertThat(schedule.days()).extracting(SendSchedule.Day::date).containsExactly(
                LocalDate.of(2026, 3, 1), LocalDate.of(2026, 3, 2), LocalDate.of(2026, 3, 3), LocalDate.of(2026, 3, 4));
        assertThat(schedule.days()).extracting(SendSchedule.Day::messages).containsExactly(3600L, 7200L, 7200L, 2000L);
        SendSchedule.Day second = schedule.days().get(1);
        assertThat(second.firstSend()).isEqualTo(ZonedDateTime.of(2026, 3, 2, 9, 0, 0, 0, KOLKATA).toInstant());
        assertThat(second.lastSend()).isEqualTo(ZonedDateTime.of(2026, 3, 2, 10, 59, 59, 0, KOLKATA).toInstant());
        assertThat(schedule.end()).isEqualTo(ZonedDateTime.of(2026, 3, 4, 9, 33, 19, 0, KOLKATA).toInstant());
        assertThat(SendSchedule.sendTimeOf(3600, 1.0, schedule)).isEqualTo(second.firstSend());
    }

    @Test
    void aStartBeforeTheWindowWaitsForItAndAStartAfterItMovesToTheNextDay() {
        SendWindow window = new SendWindow(9, 21, "America/Sao_Paulo");
        ZoneId saoPaulo = ZoneId.of(window.timeZone());
        Instant early = ZonedDateTime.of(2026, 5, 10, 6, 0, 0, 0, saoPaulo).toInstant();
        assertThat(SendSchedule.of(10, 2, early, window).days().get(0).firstSend())
                .isEqualTo(ZonedDateTime.of(2026, 5, 10, 9, 0, 0, 0, saoPaulo).toInstant());
        Instant late = ZonedDateTime.of(2026, 5, 10, 22, 0, 0, 0, saoPaulo).toInstant();
        SendSchedule.Day day = SendSchedule.of(10, 2, late, window).days().get(0);
        assertThat(day.date()).isEqualTo(LocalDate.of(2026, 5, 11));
        assertThat(day.lastSend()).isEqualTo(ZonedDateTime.of(2026, 5, 11, 9, 0, 4, 500_000_000, saoPaulo).toInstant());
    }

    @Test
    void aWindowAcrossMidnightBelongsToTheDayItOpened() {
        // 22:00–02:00 UTC; start at 01:00 on the 2nd is inside the window opened on the 1st
        SendWindow window = new SendWindow(22, 2, "UTC");
        Instant start = Instant.parse("2026-01-02T01:00:00Z");
        SendSchedule.Result schedule = SendSchedule.of(5000, 1, start, window);
        assertThat(schedule.days().get(0).date()).isEqualTo(LocalDate.of(2026, 1, 1));
        assertThat(schedule.days().get(0).messages()).isEqualTo(3600);
        assertThat(schedule.days().get(1).date()).isEqualTo(LocalDate.of(2026, 1, 2));
        assertThat(schedule.days().get(1).firstSend()).isEqualTo(Instant.parse("2026-01-02T22:00:00Z"));
        assertThat(schedule.days().get(1).messages()).isEqualTo(1400);
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 7, 42, 2026})
    void everyMessageIsScheduledOnceAndOnlyWhileTheWindowIsOpen(long seed) {
        Random random = new Random(seed);
        for (int run = 0; run < 200; run++) {
            int startHour = random.nextInt(24);
            int endHour = random.nextInt(25);
            SendWindow window = new SendWindow(startHour, endHour, random.nextBoolean() ? "Asia/Kolkata" : "Europe/Berlin");
            long messages = 1 + random.nextInt(50_000);
            double rate = 0.5 + random.nextInt(80);
            Instant start = Instant.parse("2026-01-01T00:00:00Z").plusSeconds(random.nextInt(400 * 86_400));
            SendSchedule.Result schedule = SendSchedule.of(messages, rate, start, window);
            assertThat(schedule.days().stream().mapToLong(SendSchedule.Day::messages).sum()).isEqualTo(messages);
            for (SendSchedule.Day day : schedule.days()) {
                assertThat(day.firstSend()).isAfterOrEqualTo(start);
                assertThat(window.isOpenAt(day.firstSend())).isTrue();
                assertThat(window.isOpenAt(day.lastSend())).isTrue();
            }
            assertThat(schedule.end()).isEqualTo(schedule.days().get(schedule.days().size() - 1).lastSend());
        }
    }
}
