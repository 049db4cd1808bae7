package io.wacast.common;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Enums travel as lowercase snake_case names ("opted_out"), the style of Meta's own payloads and of
 * the REST API. Each wire enum delegates its {@code @JsonValue}/{@code @JsonCreator} pair here.
 */
public final class WireNames {

    public static String of(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT);
    }

    /** Case-insensitive, so "OPTED_OUT" in a query parameter is accepted as well as "opted_out". */
    public static <E extends Enum<E>> E parse(Class<E> type, String value) {
        if (value != null) {
            String name = value.trim().toUpperCase(Locale.ROOT);
            for (E constant : type.getEnumConstants()) {
                if (constant.name().equals(name)) {
                    return constant;
                }
            }
        }
        String expected = Arrays.stream(type.getEnumConstants())
                .map(WireNames::of)
                .collect(Collectors.joining(", "));
        throw new IllegalArgumentException(
                "unknown " + type.getSimpleName() + " '" + value + "', expected one of: " + expected);
    }

    private WireNames() {
    }
}
