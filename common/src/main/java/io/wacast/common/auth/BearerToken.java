package io.wacast.common.auth;

/** The key of an {@code Authorization: Bearer <key>} header. */
public final class BearerToken {

    private static final String BEARER = "Bearer ";

    /** The presented key, or null when the header is missing, not Bearer, or blank. */
    public static String from(String authorizationHeader) {
        if (authorizationHeader == null || !authorizationHeader.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return null;
        }
        String key = authorizationHeader.substring(BEARER.length()).strip();
        return key.isEmpty() ? null : key;
    }

    private BearerToken() {
    }
}
