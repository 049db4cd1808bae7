package io.wacast.common.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;

/**
 * The address a request really came from. A service sees the console's or the catalog's address when
 * they call it on an operator's behalf; those callers name the operator's address in
 * {@value #FORWARDED_FOR} and prove they are ours with the shared internal token in
 * {@value #INTERNAL_TOKEN}. The header is believed only with that proof: anyone else could name any
 * address to slip past the failed-authentication limit or forge the audit log.
 */
public final class ClientAddress {

    public static final String FORWARDED_FOR = "X-Wacast-Client-Address";
    public static final String INTERNAL_TOKEN = "X-Wacast-Internal-Token";
    private static final int MAX_LENGTH = 64;

    private final byte[] internalToken;

    /** @param internalToken the shared token, or empty when this deployment trusts no forwarder */
    public ClientAddress(Optional<String> internalToken) {
        this.internalToken = internalToken.filter(token -> !token.isBlank())
                .map(token -> token.getBytes(StandardCharsets.UTF_8))
                .orElse(null);
    }

    /**
     * @param peer the TCP peer's address
     * @param forwardedFor the {@value #FORWARDED_FOR} header, may be null
     * @param presentedToken the {@value #INTERNAL_TOKEN} header, may be null
     */
    public String resolve(String peer, String forwardedFor, String presentedToken) {
        if (internalToken != null && forwardedFor != null && presentedToken != null
                && MessageDigest.isEqual(internalToken, presentedToken.getBytes(StandardCharsets.UTF_8))) {
            String named = forwardedFor.strip();
            if (!named.isEmpty() && named.length() <= MAX_LENGTH && named.chars().allMatch(ClientAddress::addressChar)) {
                return named;
            }
        }
        return peer == null ? "unknown" : peer;
    }

    private static boolean addressChar(int c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F') || c == '.' || c == ':';
    }
}
