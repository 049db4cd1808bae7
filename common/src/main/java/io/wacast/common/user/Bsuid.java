package io.wacast.common.user;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Meta's business-scoped user id (docs/META.md, "Business-scoped user IDs"): an ISO 3166 alpha-2
 * country code, a period, and up to 128 letters and digits ({@code US.13491208655302741918}); a parent
 * BSUID has {@code ENT.} after the country ({@code US.ENT.11815799212886844830}). Stored and compared
 * exactly as Meta sends it. Pure functions, thread-safe.
 */
public final class Bsuid {

    /** The longest identifier this accepts: country, period, {@code ENT.}, 128 characters. */
    public static final int MAX_LENGTH = 2 + 1 + 4 + 128;
    private static final Pattern FORMAT = Pattern.compile("[A-Z]{2}\\.(?:ENT\\.)?[A-Za-z0-9]{1,128}");

    private Bsuid() {
    }

    /** Whether the value has Meta's format; null and blank are not BSUIDs. */
    public static boolean isValid(String value) {
        return value != null && value.length() <= MAX_LENGTH && FORMAT.matcher(value).matches();
    }

    /** The country code the BSUID starts with, when it is one. */
    public static Optional<String> country(String value) {
        return isValid(value) ? Optional.of(value.substring(0, 2)) : Optional.empty();
    }

    /**
     * For logs: the country and the last four characters of a BSUID ({@code US.…1918}); anything else
     * is reduced to its length, so a malformed value never reaches a log whole.
     */
    public static String mask(String value) {
        if (value == null) {
            return "null";
        }
        if (isValid(value)) {
            return value.substring(0, 3) + "…" + value.substring(Math.max(3, value.length() - 4));
        }
        return String.format(Locale.ROOT, "<%d characters>", value.length());
    }
}
