package io.wacast.common.text;

import java.util.regex.Pattern;

/**
 * Why something failed, as a line an operator may read in a log, a table or an API answer: the
 * innermost cause's message (a driver's or a parser's wrapper says less), control characters
 * replaced so it cannot forge a log line, phone numbers elided, cut to {@code max} characters.
 */
public final class FailureReason {

    /** E.164 numbers and Meta's wa_ids (digits without '+'): reasons are shown, phone numbers never. */
    private static final Pattern NUMBER_LIKE = Pattern.compile("(?<![0-9A-Za-z.])\\+?[0-9]{8,15}(?![0-9])");
    private static final Pattern CONTROL = Pattern.compile("[\\p{Cntrl}\\u2028\\u2029\\u202A-\\u202E\\u2066-\\u2069]");

    /** The root cause's message, made safe to show. */
    public static String of(Throwable failure, int max) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage();
        if (message == null || message.isBlank()) {
            message = "failed without a message (" + root.getClass().getSimpleName() + ")";
        }
        return safe(message, max);
    }

    /** {@code message} with control characters replaced, numbers elided and cut to {@code max} characters. */
    public static String safe(String message, int max) {
        String line = NUMBER_LIKE.matcher(CONTROL.matcher(message).replaceAll(" ")).replaceAll("…");
        return line.length() <= max ? line : line.substring(0, max - 1) + "…";
    }

    private FailureReason() {
    }
}
