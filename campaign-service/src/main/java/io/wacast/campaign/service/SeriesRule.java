package io.wacast.campaign.service;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.BitSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * When a series repeats: a five-field cron rule ({@code minute hour day-of-month month day-of-week}, as
 * crontab(5): {@code *}, lists, ranges, steps, month and day names, 0 or 7 for Sunday; when both day
 * fields are restricted either may match) read in a named time zone with java.time.
 *
 * <p>Occurrences are local times: each calendar day that matches yields its local times once, whatever
 * the offset does that day. A local time that does not exist (spring forward) happens shifted forward
 * by the gap ({@link ZonedDateTime#ofLocal}: 02:30 becomes 03:30); a local time that exists twice (fall
 * back) happens once, at its earlier offset. So a change of offset neither skips nor doubles an
 * occurrence.
 */
public final class SeriesRule {

    /** How far ahead a rule is searched before it is declared never to fire (covers Feb 29 on a weekday). */
    static final int SEARCH_YEARS = 30;

    private static final String[] MONTHS = {"JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"};
    private static final String[] DAYS = {"SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"};

    private final String expression;
    private final BitSet minutes;
    private final BitSet hours;
    private final BitSet daysOfMonth;
    private final BitSet months;
    private final BitSet daysOfWeek;
    private final boolean anyDayOfMonth;
    private final boolean anyDayOfWeek;

    private SeriesRule(String expression, BitSet minutes, BitSet hours, BitSet daysOfMonth, BitSet months, BitSet daysOfWeek,
            boolean anyDayOfMonth, boolean anyDayOfWeek) {
        this.expression = expression;
        this.minutes = minutes;
        this.hours = hours;
        this.daysOfMonth = daysOfMonth;
        this.months = months;
        this.daysOfWeek = daysOfWeek;
        this.anyDayOfMonth = anyDayOfMonth;
        this.anyDayOfWeek = anyDayOfWeek;
    }

    /** Parses a cron rule; {@link IllegalArgumentException} with a message fit for an operator when it is wrong. */
    public static SeriesRule cron(String expression) {
        if (expression == null || expression.isBlank()) {
            throw new IllegalArgumentException("a cron rule is required, e.g. \"0 10 * * MON,THU\"");
        }
        if (expression.length() > 200) {
            throw new IllegalArgumentException("at most 200 characters");
        }
        String[] fields = expression.strip().split("\\s+");
        if (fields.length != 5) {
            throw new IllegalArgumentException("expected 5 fields (minute hour day-of-month month day-of-week), found "
                    + fields.length);
        }
        BitSet minutes = field("minute", fields[0], 0, 59, null);
        BitSet hours = field("hour", fields[1], 0, 23, null);
        BitSet daysOfMonth = field("day-of-month", fields[2], 1, 31, null);
        BitSet months = field("month", fields[3], 1, 12, MONTHS);
        BitSet daysOfWeek = field("day-of-week", fields[4], 0, 7, DAYS);
        if (daysOfWeek.get(7)) {
            daysOfWeek.set(0);
            daysOfWeek.clear(7);
        }
        return new SeriesRule(String.join(" ", fields), minutes, hours, daysOfMonth, months, daysOfWeek,
                fields[2].equals("*") || fields[2].equals("?"), fields[4].equals("*") || fields[4].equals("?"));
    }

    /** "Every Monday and Thursday at 10:00": the same rule as {@code 0 10 * * MON,THU}, for each time given. */
    public static SeriesRule weekly(List<DayOfWeek> days, List<LocalTime> times) {
        if (days.isEmpty() || times.isEmpty()) {
            throw new IllegalArgumentException("at least one day and one time");
        }
        BitSet minutes = new BitSet();
        BitSet hours = new BitSet();
        for (LocalTime time : times) {
            minutes.set(time.getMinute());
            hours.set(time.getHour());
        }
        if (minutes.cardinality() > 1 && hours.cardinality() > 1) {
            throw new IllegalArgumentException("times with different hours must share their minute (e.g. 09:30 and 17:30);"
                    + " use a cron rule for anything else");
        }
        BitSet daysOfWeek = new BitSet();
        StringBuilder names = new StringBuilder();
        for (DayOfWeek day : days) {
            daysOfWeek.set(day.getValue() % 7);
        }
        for (int d = daysOfWeek.nextSetBit(0); d >= 0; d = daysOfWeek.nextSetBit(d + 1)) {
            names.append(names.length() == 0 ? "" : ",").append(DAYS[d]);
        }
        BitSet everyDay = new BitSet();
        everyDay.set(1, 32);
        BitSet everyMonth = new BitSet();
        everyMonth.set(1, 13);
        return new SeriesRule(list(minutes) + " " + list(hours) + " * * " + names, minutes, hours, everyDay, everyMonth,
                daysOfWeek, true, false);
    }

    /** The rule as cron text (how it is stored). */
    public String expression() {
        return expression;
    }

    /** The first occurrence strictly after {@code after}, in {@code zone}; empty when none within {@link #SEARCH_YEARS}. */
    public Optional<Instant> next(Instant after, ZoneId zone) {
        // a day earlier: a local time shifted forward by a gap may land after the start of the next day in UTC terms
        LocalDate day = after.atZone(zone).toLocalDate().minusDays(1);
        LocalDate last = day.plusYears(SEARCH_YEARS);
        for (; !day.isAfter(last); day = day.plusDays(1)) {
            if (!matches(day)) {
                continue;
            }
            Instant best = null;
            for (int h = hours.nextSetBit(0); h >= 0; h = hours.nextSetBit(h + 1)) {
                for (int m = minutes.nextSetBit(0); m >= 0; m = minutes.nextSetBit(m + 1)) {
                    Instant candidate = ZonedDateTime.ofLocal(day.atTime(h, m), zone, null).toInstant();
                    if (candidate.isAfter(after) && (best == null || candidate.isBefore(best))) {
                        best = candidate;
                    }
                }
            }
            if (best != null) {
                return Optional.of(best);
            }
        }
        return Optional.empty();
    }

    private boolean matches(LocalDate day) {
        if (!months.get(day.getMonthValue())) {
            return false;
        }
        boolean dom = daysOfMonth.get(day.getDayOfMonth());
        boolean dow = daysOfWeek.get(day.getDayOfWeek().getValue() % 7);
        if (anyDayOfMonth && anyDayOfWeek) {
            return true;
        }
        if (anyDayOfMonth) {
            return dow;
        }
        if (anyDayOfWeek) {
            return dom;
        }
        return dom || dow;
    }

    private static BitSet field(String name, String text, int min, int max, String[] names) {
        BitSet values = new BitSet();
        for (String part : text.split(",", -1)) {
            String range = part;
            int step = 1;
            int slash = part.indexOf('/');
            if (slash >= 0) {
                range = part.substring(0, slash);
                step = number(name, part.substring(slash + 1), 1, max - min + 1, null);
            }
            int from;
            int to;
            if (range.equals("*") || range.equals("?")) {
                from = min;
                to = max;
            } else if (range.indexOf('-') > 0) {
                from = number(name, range.substring(0, range.indexOf('-')), min, max, names);
                to = number(name, range.substring(range.indexOf('-') + 1), min, max, names);
                if (to < from) {
                    throw new IllegalArgumentException(name + ": range '" + range + "' ends before it starts");
                }
            } else {
                from = number(name, range, min, max, names);
                to = slash >= 0 ? max : from;
            }
            for (int v = from; v <= to; v += step) {
                values.set(v);
            }
        }
        return values;
    }

    private static int number(String field, String text, int min, int max, String[] names) {
        if (names != null) {
            String upper = text.toUpperCase(Locale.ROOT);
            for (int i = 0; i < names.length; i++) {
                if (names[i].equals(upper)) {
                    return names == MONTHS ? i + 1 : i;
                }
            }
        }
        try {
            int value = Integer.parseInt(text);
            if (value < min || value > max) {
                throw new IllegalArgumentException(field + ": " + value + " is outside " + min + "-" + max);
            }
            return value;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(field + ": '" + text + "' is not a number" + (names == null ? ""
                    : " or a name (" + String.join(", ", names) + ")"));
        }
    }

    private static String list(BitSet values) {
        StringBuilder text = new StringBuilder();
        for (int v = values.nextSetBit(0); v >= 0; v = values.nextSetBit(v + 1)) {
            text.append(text.length() == 0 ? "" : ",").append(v);
        }
        return text.toString();
    }

    @Override
    public String toString() {
        return expression;
    }
}
