package io.wacast.campaign.domain;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Meta's per-message prices by recipient country and template category, as a CSV
 * ({@code country,category,price,currency,valid_from}; lines starting with {@code #} are comments,
 * country {@code *} is the rate of every country without a row of its own). The price of a pair is
 * the row with the latest {@code valid_from} on or before the day asked about.
 */
public final class RateCard {

    public static final String HEADER = "country,category,price,currency,valid_from";

    private static final Pattern COUNTRY = Pattern.compile("\\*|[A-Z]{2}");
    private static final Pattern CURRENCY = Pattern.compile("[A-Z]{3}");

    /** One row of the card. */
    public record Rate(String country, TemplateCategory category, BigDecimal price, String currency, LocalDate validFrom) {
    }

    /** The price found for a country, and whether it is that country's own or the rest-of-world rate. */
    public record Price(BigDecimal unit, String currency, LocalDate validFrom, boolean restOfWorld) {
    }

    private final String source;
    private final List<Rate> rates;

    private RateCard(String source, List<Rate> rates) {
        this.source = source;
        this.rates = List.copyOf(rates);
    }

    /** Reads a card; a malformed one fails with the source, the line number and what is wrong. */
    public static RateCard parse(String source, Reader reader) throws IOException {
        List<Rate> rates = new ArrayList<>();
        BufferedReader lines = new BufferedReader(reader);
        String line;
        int number = 0;
        boolean header = false;
        while ((line = lines.readLine()) != null) {
            number++;
            String trimmed = line.strip();
            if (number == 1 && trimmed.startsWith("\uFEFF")) {
                trimmed = trimmed.substring(1);
            }
            if (trimmed.isEmpty() || trimmed.startsWith("#")) {
                continue;
            }
            if (!header) {
                if (!trimmed.equalsIgnoreCase(HEADER)) {
                    throw invalid(source, number, "the header must be '" + HEADER + "', found '" + trimmed + "'");
                }
                header = true;
                continue;
            }
            rates.add(row(source, number, trimmed));
        }
        if (rates.isEmpty()) {
            throw invalid(source, number, "no rates (expected a '" + HEADER + "' header and rows)");
        }
        return new RateCard(source, rates);
    }

    private static Rate row(String source, int number, String line) {
        String[] cells = line.split(",", -1);
        if (cells.length != 5) {
            throw invalid(source, number, "expected 5 cells (" + HEADER + "), found " + cells.length);
        }
        String country = cells[0].strip().toUpperCase(Locale.ROOT);
        if (!COUNTRY.matcher(country).matches()) {
            throw invalid(source, number, "country must be an ISO 3166 alpha-2 code or *, found '" + cells[0] + "'");
        }
        TemplateCategory category;
        try {
            category = TemplateCategory.fromString(cells[1].strip().toLowerCase(Locale.ROOT));
        } catch (RuntimeException e) {
            throw invalid(source, number, "category must be marketing, utility or authentication, found '" + cells[1] + "'");
        }
        BigDecimal price;
        try {
            price = new BigDecimal(cells[2].strip());
        } catch (NumberFormatException e) {
            throw invalid(source, number, "price is not a number: '" + cells[2] + "'");
        }
        if (price.signum() < 0) {
            throw invalid(source, number, "price must not be negative: " + price);
        }
        String currency = cells[3].strip().toUpperCase(Locale.ROOT);
        if (!CURRENCY.matcher(currency).matches()) {
            throw invalid(source, number, "currency must be an ISO 4217 code, found '" + cells[3] + "'");
        }
        LocalDate validFrom;
        try {
            validFrom = LocalDate.parse(cells[4].strip());
        } catch (DateTimeParseException e) {
            throw invalid(source, number, "valid_from must be a date like 2026-01-01, found '" + cells[4] + "'");
        }
        return new Rate(country, category, price, currency, validFrom);
    }

    private static IllegalArgumentException invalid(String source, int line, String problem) {
        return new IllegalArgumentException("rate card " + source + ", line " + line + ": " + problem);
    }

    public String source() {
        return source;
    }

    /** The price of one delivered message of {@code category} to {@code country} on {@code day}, if any. */
    public Optional<Price> price(String country, TemplateCategory category, LocalDate day) {
        Optional<Rate> own = latest(country, category, day);
        if (own.isPresent()) {
            return own.map(rate -> new Price(rate.price(), rate.currency(), rate.validFrom(), false));
        }
        return latest("*", category, day).map(rate -> new Price(rate.price(), rate.currency(), rate.validFrom(), true));
    }

    private Optional<Rate> latest(String country, TemplateCategory category, LocalDate day) {
        return rates.stream()
                .filter(rate -> rate.country().equals(country) && rate.category() == category && !rate.validFrom().isAfter(day))
                .max(Comparator.comparing(Rate::validFrom));
    }
}
