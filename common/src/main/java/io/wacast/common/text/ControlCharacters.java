package io.wacast.common.text;

import java.util.Locale;
import java.util.Optional;

/**
 * Finds the characters that must not be stored in names and free text: C0 and C1 controls (NUL,
 * escape, a newline that forges a log line), DEL, Unicode line and paragraph separators, and the
 * bidirectional embeddings, overrides and isolates that make text read differently from what it is
 * ("Trojan Source"). Free text may keep tab, carriage return and line feed; names may not.
 */
public final class ControlCharacters {

    /** What is wrong with {@code value}, e.g. "must not contain control characters (U+0000 at position 5)". */
    public static Optional<String> problem(String value, boolean lineBreaksAllowed) {
        if (value == null) {
            return Optional.empty();
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (lineBreaksAllowed && (c == '\n' || c == '\r' || c == '\t')) {
                continue;
            }
            if (c < 0x20 || (c >= 0x7F && c <= 0x9F) || c == '\u2028' || c == '\u2029') {
                return Optional.of("must not contain control characters or line breaks (" + codePoint(c)
                        + " at position " + (i + 1) + ")");
            }
            if ((c >= '\u202A' && c <= '\u202E') || (c >= '\u2066' && c <= '\u2069')) {
                return Optional.of("must not contain bidirectional override or isolate characters (" + codePoint(c)
                        + " at position " + (i + 1) + ")");
            }
        }
        return Optional.empty();
    }

    private static String codePoint(char c) {
        return String.format(Locale.ROOT, "U+%04X", (int) c);
    }

    private ControlCharacters() {
    }
}
