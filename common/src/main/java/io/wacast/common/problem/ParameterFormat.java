package io.wacast.common.problem;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The shapes of path and query parameters, checked before JAX-RS converts them: its rule for a value it
 * cannot convert is a bare 404 that names nothing ({@code /orders/abc}, {@code ?size=abc},
 * {@code ?page=1e3}), and an int that overflows is worse. A wrong one is a 400 naming it.
 */
public enum ParameterFormat {
    ID("a whole number of at most 18 digits", Pattern.compile("[0-9]{1,18}")),
    INT("a whole number of at most 9 digits", Pattern.compile("[0-9]{1,9}")),
    BOOLEAN("true or false", Pattern.compile("true|false"));

    /** The longest value of any query parameter (search terms, phone numbers, enum names). */
    public static final int MAX_VALUE_LENGTH = 200;
    /** Rows before a page (page × size) beyond which a list is not paged: filter it instead. */
    public static final long MAX_OFFSET = 10_000_000L;

    private final String description;
    private final Pattern pattern;

    ParameterFormat(String description, Pattern pattern) {
        this.description = description;
        this.pattern = pattern;
    }

    /**
     * What is wrong with {@code value} of parameter {@code name} in this format ({@code format} null:
     * any text), as the field error to answer; empty when it is fine or absent.
     */
    public static Optional<Problem.FieldError> check(String name, String value, ParameterFormat format) {
        if (value == null || value.isEmpty()) {
            return Optional.empty();
        }
        if (value.length() > MAX_VALUE_LENGTH) {
            return Optional.of(Problem.FieldError.of(name, "must have at most " + MAX_VALUE_LENGTH + " characters"));
        }
        if (format != null && !format.pattern.matcher(value).matches()) {
            return Optional.of(Problem.FieldError.of(name, "must be " + format.description));
        }
        return Optional.empty();
    }

    /** The error for a page that starts beyond {@link #MAX_OFFSET}; empty when it is within. */
    public static Optional<Problem.FieldError> checkPage(long page, long size) {
        if (page * size <= MAX_OFFSET) {
            return Optional.empty();
        }
        return Optional.of(Problem.FieldError.of("page", "page × size must be at most " + MAX_OFFSET
                + "; narrow the search instead"));
    }
}
