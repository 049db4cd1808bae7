package io.wacast.console.rest;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/** Small helpers for the console's own links. */
final class Links {

    static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    /**
     * Where to go back to after an action: a path of this console only (never another site, never a
     * scheme-relative {@code //host}), else the fallback.
     */
    static String back(String requested, String fallback) {
        if (requested == null || !requested.startsWith("/") || requested.startsWith("//") || requested.contains("\\")
                || requested.contains("notice=")) {
            return fallback;
        }
        return requested;
    }

    /** {@code path} with one more query parameter. */
    static String with(String path, String param) {
        return path + (path.contains("?") ? "&" : "?") + param;
    }

    private Links() {
    }
}
