package io.wacast.campaign.service;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;

import io.wacast.common.event.CampaignControl;

/**
 * When the messages of a campaign leave, at a steady rate from a start instant, only while its send
 * window is open: the pre-flight plan's duration. A pure function, so a window that spans several days
 * can be tested without a clock. Message {@code k} of a stretch leaves {@code k / rate} seconds after
 * the stretch starts; a stretch ends where the window closes, and the next starts where it opens again.
 */
public final class SendSchedule {

    /**
     * One opening of the window: the local date it opened on (in the window's zone), the messages that
     * leave in it, and the first and last of their send times.
     */
    public record Day(LocalDate date, long messages, Instant firstSend, Instant lastSend) {
    }

    /** The whole schedule: the last message's send time, and one entry per window opening (empty without a window). */
    public record Result(Instant start, Instant end, List<Day> days) {
    }

    private SendSchedule() {
    }

    /**
     * @param messages how many messages leave (0: the schedule ends where it starts)
     * @param perSecond the steady rate, > 0
     * @param start when sending may begin
     * @param window the campaign's send window, or null for around the clock
     */
    public static Result of(long messages, double perSecond, Instant start, CampaignControl.SendWindow window) {
        if (perSecond <= 0) {
            throw new IllegalArgumentException("rate must be positive: " + perSecond);
        }
        if (messages <= 0) {
            return new Result(start, start, List.of());
        }
        if (window == null) {
            return new Result(start, offset(start, messages - 1, perSecond), List.of());
        }
        ZoneId zone = ZoneId.of(window.timeZone());
        int length = Math.floorMod(window.endHour() - window.startHour(), 24);
        long hours = length == 0 ? 24 : length;
        // a window that wraps midnight may have opened the day before the start
        LocalDate date = start.atZone(zone).toLocalDate().minusDays(1);
        long remaining = messages;
        List<Day> days = new ArrayList<>();
        Instant end = start;
        while (remaining > 0) {
            ZonedDateTime opens = date.atTime(window.startHour(), 0).atZone(zone);
            Instant close = date.atTime(window.startHour(), 0).plusHours(hours).atZone(zone).toInstant();
            Instant from = opens.toInstant().isAfter(start) ? opens.toInstant() : start;
            if (from.isBefore(close)) {
                long capacity = capacity(from, close, perSecond);
                long sent = Math.min(remaining, capacity);
                if (sent > 0) {
                    Instant last = offset(from, sent - 1, perSecond);
                    days.add(new Day(date, sent, from, last));
                    remaining -= sent;
                    end = last;
                }
            }
            date = date.plusDays(1);
        }
        return new Result(start, end, List.copyOf(days));
    }

    /** The send time of message number {@code index} (0-based) of {@code schedule}, for {@code perSecond}. */
    public static Instant sendTimeOf(long index, double perSecond, Result schedule) {
        if (schedule.days().isEmpty()) {
            return offset(schedule.start(), index, perSecond);
        }
        long before = 0;
        for (Day day : schedule.days()) {
            if (index < before + day.messages()) {
                return offset(day.firstSend(), index - before, perSecond);
            }
            before += day.messages();
        }
        return schedule.end();
    }

    /** How many messages, spaced 1/rate apart from {@code from}, leave before {@code close}. */
    private static long capacity(Instant from, Instant close, double perSecond) {
        double seconds = Duration.between(from, close).toNanos() / 1e9;
        return (long) Math.ceil(seconds * perSecond - 1e-9);
    }

    private static Instant offset(Instant from, long index, double perSecond) {
        return from.plusNanos(Math.round(index / perSecond * 1e9));
    }
}
