package io.wacast.console.view;

import java.text.NumberFormat;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

import io.quarkus.arc.Arc;
import io.quarkus.qute.TemplateExtension;
import io.wacast.console.session.CurrentOperator;

/**
 * How numbers and times read in every page: thousands separators, two-decimal percentages, times in
 * the operator's own zone. In templates: {@code {count.fmt}}, {@code {rate.pct}}, {@code {at.local}}.
 */
@TemplateExtension
public final class Formats {

    private static final DateTimeFormatter LOCAL = DateTimeFormatter.ofPattern("d MMM yyyy, HH:mm", Locale.ENGLISH);
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("EEE d MMM yyyy", Locale.ENGLISH);
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss", Locale.ENGLISH);
    private static final DateTimeFormatter LOCAL_SECONDS = DateTimeFormatter.ofPattern("d MMM yyyy, HH:mm:ss", Locale.ENGLISH);

    private static final java.util.regex.Pattern TIER = java.util.regex.Pattern.compile("(?:TIER_)?(\\d+)([KM]?)");

    public static String fmt(long n) {
        return NumberFormat.getIntegerInstance(Locale.US).format(n);
    }

    public static String fmt(int n) {
        return fmt((long) n);
    }

    /** A count read from a map (replies by kind, presses by payload): 1234 → "1,234", none → "0". */
    public static String grouped(Long n) {
        return fmt(n == null ? 0L : n);
    }

    /** A percentage given in percent: 96.8412 → "96.84%". */
    public static String pct(double percent) {
        return String.format(Locale.US, "%.2f%%", percent);
    }

    /** Money as the rate card gives it: "USD 0.0800" → "USD 0.08", at least two decimals. */
    public static String money(java.math.BigDecimal amount, String currency) {
        if (amount == null) {
            return "—";
        }
        java.math.BigDecimal shown = amount.stripTrailingZeros();
        if (shown.scale() < 2) {
            shown = shown.setScale(2);
        }
        return (currency == null ? "" : currency + " ") + shown.toPlainString();
    }

    /**
     * An amount in a currency's minor units as the operator reads it: (1234550, "INR") → "INR 12,345.50"
     * (ISO 4217 digits; two for a code Java does not know).
     */
    public static String minorUnits(Long amount, String currency) {
        if (amount == null) {
            return "—";
        }
        int digits;
        try {
            digits = Math.max(0, java.util.Currency.getInstance(currency).getDefaultFractionDigits());
        } catch (IllegalArgumentException | NullPointerException unknown) {
            digits = 2;
        }
        NumberFormat format = NumberFormat.getNumberInstance(Locale.US);
        format.setMinimumFractionDigits(digits);
        format.setMaximumFractionDigits(digits);
        return (currency == null ? "" : currency + " ") + format.format(java.math.BigDecimal.valueOf(amount, digits));
    }

    /** A date in a plan's breakdown: "5 Dec 2026". */
    public static String day(java.time.LocalDate date) {
        return date == null ? "—" : DAY.format(date);
    }

    /** A send rate: 12.25 → "12.3/s". */
    public static String perSecond(Double rate) {
        if (rate == null) {
            return "—";
        }
        if (rate > 0 && rate < 1) {
            return String.format(Locale.US, "%s per minute", new java.text.DecimalFormat("0.#").format(rate * 60));
        }
        return String.format(Locale.US, "%.1f/s", rate);
    }

    /** part of whole as a percentage for bars, 0–100, one decimal, "0" when whole is 0. */
    public static String share(long part, long whole) {
        return whole <= 0 ? "0" : String.format(Locale.US, "%.1f", Math.min(100.0, 100.0 * part / whole));
    }

    public static String local(Instant at) {
        return at == null ? "—" : LOCAL.format(at.atZone(zone()));
    }

    public static String localSeconds(Instant at) {
        return at == null ? "—" : LOCAL_SECONDS.format(at.atZone(zone()));
    }

    /** The time of day alone, for a table of recent events: "18:46:16". */
    public static String time(Instant at) {
        return at == null ? "—" : TIME.format(at.atZone(zone()));
    }

    /** ISO-8601 for machines ({@code <time datetime>}, charts). */
    public static String iso(Instant at) {
        return at == null ? "" : at.toString();
    }

    /** 3725 → "1 h 2 min", 59 → "59 s". */
    public static String duration(Long seconds) {
        if (seconds == null) {
            return "—";
        }
        Duration d = Duration.ofSeconds(Math.max(0, seconds));
        if (d.toDays() > 0) {
            return d.toDays() + " d " + d.toHoursPart() + " h";
        }
        if (d.toHours() > 0) {
            return d.toHours() + " h " + d.toMinutesPart() + " min";
        }
        if (d.toMinutes() > 0) {
            return d.toMinutes() + " min " + d.toSecondsPart() + " s";
        }
        return d.toSeconds() + " s";
    }

    public static String urlEncode(String s) {
        return s == null ? "" : java.net.URLEncoder.encode(s, java.nio.charset.StandardCharsets.UTF_8);
    }

    /** Wire names as people read them: "opted_out" → "Opted out". */
    public static String label(String wire) {
        if (wire == null || wire.isEmpty()) {
            return "";
        }
        String spaced = wire.replace('_', ' ');
        return Character.toUpperCase(spaced.charAt(0)) + spaced.substring(1);
    }

    /**
     * Meta's messaging-limit tier as an operator reads it: the unique users a portfolio may reach with
     * templates in a moving 24 h ({@code TIER_10K} → "10,000 users / 24 h"); an unknown value as it came.
     */
    public static String tier(String limit) {
        if (limit == null || limit.isBlank()) {
            return "";
        }
        String value = limit.strip().toUpperCase(Locale.ROOT);
        if (value.equals("TIER_UNLIMITED") || value.equals("UNLIMITED")) {
            return "Unlimited";
        }
        java.util.regex.Matcher m = TIER.matcher(value);
        if (!m.matches()) {
            return label(limit);
        }
        long users = Long.parseLong(m.group(1)) * switch (m.group(2)) {
            case "K" -> 1_000L;
            case "M" -> 1_000_000L;
            default -> 1L;
        };
        return fmt(users) + " users / 24 h";
    }

    private static ZoneId zone() {
        var operator = Arc.container().instance(CurrentOperator.class);
        try {
            return operator.isAvailable() ? operator.get().getZone() : ZoneId.of("UTC");
        } catch (RuntimeException noRequest) {
            return ZoneId.of("UTC");
        }
    }

    private Formats() {
    }
}
