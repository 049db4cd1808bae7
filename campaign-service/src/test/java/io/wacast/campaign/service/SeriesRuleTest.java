package io.wacast.campaign.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** The rule of a series, evaluated with java.time: DST changes neither skip nor double an occurrence. */
class SeriesRuleTest {

    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

    private static List<ZonedDateTime> occurrences(SeriesRule rule, ZoneId zone, Instant from, Instant until) {
        List<ZonedDateTime> found = new ArrayList<>();
        Instant at = from;
        while (true) {
            at = rule.next(at, zone).orElseThrow();
            if (at.isAfter(until)) {
                return found;
            }
            found.add(at.atZone(zone));
        }
    }

    @Test
    void aDailyRuleInsideTheSpringForwardGapRunsOnceShiftedByTheGap() {
        // Europe/Berlin 2027-03-28: 02:00 CET becomes 03:00 CEST; 02:30 does not exist that day
        List<ZonedDateTime> runs = occurrences(SeriesRule.cron("30 2 * * *"), BERLIN,
                ZonedDateTime.of(2027, 3, 26, 12, 0, 0, 0, BERLIN).toInstant(), ZonedDateTime.of(2027, 3, 30, 12, 0, 0, 0, BERLIN).toInstant());
        assertThat(runs).extracting(ZonedDateTime::toLocalDateTime).containsExactly(
                LocalDateTime.of(2027, 3, 27, 2, 30), LocalDateTime.of(2027, 3, 28, 3, 30),
                LocalDateTime.of(2027, 3, 29, 2, 30), LocalDateTime.of(2027, 3, 30, 2, 30));
    }

    @Test
    void aDailyRuleInsideTheFallBackOverlapRunsOnceAtTheEarlierOffset() {
        // Europe/Berlin 2027-10-31: 03:00 CEST becomes 02:00 CET; 02:30 exists twice that day
        List<ZonedDateTime> runs = occurrences(SeriesRule.cron("30 2 * * *"), BERLIN,
                ZonedDateTime.of(2027, 10, 29, 12, 0, 0, 0, BERLIN).toInstant(), ZonedDateTime.of(2027, 11, 2, 12, 0, 0, 0, BERLIN).toInstant());
        assertThat(runs).extracting(ZonedDateTime::toLocalDateTime).containsExactly(
                LocalDateTime.of(2027, 10, 30, 2, 30), LocalDateTime.of(2027, 10, 31, 2, 30),
                LocalDateTime.of(2027, 11, 1, 2, 30), LocalDateTime.of(2027, 11, 2, 2, 30));
        assertThat(runs.get(1).getOffset().getTotalSeconds()).isEqualTo(2 * 3600); // CEST, the earlier of the two
        // asked again from between the two 02:30s, the rule goes on to the next day: no second run
        Instant between = runs.get(1).toInstant().plusSeconds(1800);
        assertThat(SeriesRule.cron("30 2 * * *").next(between, BERLIN).orElseThrow().atZone(BERLIN).toLocalDate())
                .isEqualTo(LocalDate.of(2027, 11, 1));
    }

    @Test
    void everyHalfHourAcrossBothChangesGivesEveryLocalSlotOnceAndInOrder() {
        SeriesRule rule = SeriesRule.cron("*/30 * * * *");
        for (LocalDate day : List.of(LocalDate.of(2027, 3, 28), LocalDate.of(2027, 10, 31))) {
            List<ZonedDateTime> runs = occurrences(rule, BERLIN, day.atStartOfDay(BERLIN).toInstant().minusSeconds(1),
                    day.plusDays(1).atStartOfDay(BERLIN).toInstant().minusSeconds(1));
            List<Instant> instants = runs.stream().map(ZonedDateTime::toInstant).toList();
            assertThat(instants).doesNotHaveDuplicates().isSorted();
            // spring: 02:00 and 02:30 do not exist and fold into 03:00/03:30, which exist: 46 distinct runs;
            // autumn: each local slot once (the repeated hour's slots at their first offset): 48 runs
            assertThat(runs).hasSize(day.getMonthValue() == 3 ? 46 : 48);
        }
    }

    @Test
    void weeklyDaysAndTimesAreTheSameAsTheirCronRule() {
        SeriesRule weekly = SeriesRule.weekly(List.of(DayOfWeek.THURSDAY, DayOfWeek.MONDAY), List.of(LocalTime.of(10, 0)));
        assertThat(weekly.expression()).isEqualTo("0 10 * * MON,THU");
        SeriesRule cron = SeriesRule.cron("0 10 * * mon,thu");
        Random random = new Random(15);
        for (int i = 0; i < 500; i++) {
            Instant at = Instant.parse("2027-01-01T00:00:00Z").plusSeconds(random.nextInt(400 * 86400));
            ZoneId zone = ZoneId.of(List.of("Europe/Berlin", "America/New_York", "Asia/Kolkata", "Australia/Lord_Howe").get(i % 4));
            Instant next = weekly.next(at, zone).orElseThrow();
            assertThat(next).isEqualTo(cron.next(at, zone).orElseThrow()).isAfter(at);
            ZonedDateTime local = next.atZone(zone);
            assertThat(local.getDayOfWeek()).isIn(DayOfWeek.MONDAY, DayOfWeek.THURSDAY);
            assertThat(local.toLocalTime()).isEqualTo(LocalTime.of(10, 0));
        }
    }

    @Test
    void bothDayFieldsRestrictedMatchEitherAsCronDoes() {
        // the 13th of the month or a Friday
        List<ZonedDateTime> runs = occurrences(SeriesRule.cron("0 9 13 * FRI"), BERLIN,
                Instant.parse("2027-08-01T00:00:00Z"), Instant.parse("2027-08-31T00:00:00Z"));
        assertThat(runs).extracting(z -> z.getDayOfMonth()).containsExactly(6, 13, 20, 27);
    }

    @Test
    void aRuleThatNeverFiresHasNoNextOccurrence() {
        assertThat(SeriesRule.cron("0 10 31 2 *").next(Instant.parse("2027-01-01T00:00:00Z"), BERLIN)).isEmpty();
        assertThat(SeriesRule.cron("0 10 30 FEB *").next(Instant.parse("2027-01-01T00:00:00Z"), BERLIN)).isEmpty();
        // February 29th fires, in a leap year
        assertThat(SeriesRule.cron("0 10 29 2 *").next(Instant.parse("2027-01-01T00:00:00Z"), BERLIN).orElseThrow()
                .atZone(BERLIN).getYear()).isEqualTo(2028);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "0 10 * *", "60 10 * * *", "0 24 * * *", "0 10 0 * *", "0 10 * 13 *", "0 10 * * 8",
        "0 10 * * MONDAY", "0 10-8 * * *", "a b c d e", "0 10 * * * *", "*/0 * * * *"})
    void malformedRulesAreRefusedWithAReason(String rule) {
        assertThatThrownBy(() -> SeriesRule.cron(rule)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageNotContaining("Exception");
    }
}
