package io.wacast.common.auth;

import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.wacast.common.phone.PhoneNumbers;

/**
 * A request's path and query as the audit log keeps them, at most {@value #MAX_LENGTH} characters,
 * with phone numbers masked: the path segment after one of {@link #PHONE_SEGMENTS} (a contact's or an
 * opt-out's path names a number), the value of a {@code phone} query parameter, and any digit run
 * written with a leading '+' (E.164). Ids stay readable: {@code /campaigns/12345678} is not a phone.
 */
public final class AuditedPath {

    public static final int MAX_LENGTH = 1000;
    private static final Set<String> PHONE_SEGMENTS = Set.of("contacts", "opt-outs");
    private static final Pattern PLUS_NUMBER = Pattern.compile("(\\+|%2[Bb])[\\d%20 ()-]{6,}\\d");

    public static String of(String path, String query) {
        StringBuilder out = new StringBuilder(maskSegments(path));
        if (query != null && !query.isEmpty()) {
            out.append('?').append(maskPhoneParameter(query));
        }
        String masked = maskPlusNumbers(out.toString());
        return masked.length() <= MAX_LENGTH ? masked : masked.substring(0, MAX_LENGTH - 1) + "…";
    }

    private static String maskSegments(String path) {
        String[] segments = path.split("/", -1);
        for (int i = 1; i < segments.length; i++) {
            if (PHONE_SEGMENTS.contains(segments[i - 1]) && looksLikeNumber(segments[i])) {
                segments[i] = mask(segments[i]);
            }
        }
        return String.join("/", segments);
    }

    private static String maskPhoneParameter(String query) {
        String[] pairs = query.split("&", -1);
        for (int i = 0; i < pairs.length; i++) {
            int eq = pairs[i].indexOf('=');
            if (eq > 0 && pairs[i].substring(0, eq).equalsIgnoreCase("phone")) {
                pairs[i] = pairs[i].substring(0, eq + 1) + mask(pairs[i].substring(eq + 1));
            }
        }
        return String.join("&", pairs);
    }

    private static String maskPlusNumbers(String text) {
        Matcher numbers = PLUS_NUMBER.matcher(text);
        StringBuilder masked = new StringBuilder();
        while (numbers.find()) {
            numbers.appendReplacement(masked, Matcher.quoteReplacement(mask(numbers.group())));
        }
        return numbers.appendTail(masked).toString();
    }

    /** A segment with digits in it (a word such as {@code import} or {@code export} stays). */
    private static boolean looksLikeNumber(String segment) {
        return segment.chars().anyMatch(Character::isDigit);
    }

    private static String mask(String raw) {
        String decoded = raw.replace("%2B", "+").replace("%2b", "+");
        return PhoneNumbers.mask(decoded);
    }

    private AuditedPath() {
    }
}
