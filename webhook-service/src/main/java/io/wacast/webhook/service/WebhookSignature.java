package io.wacast.webhook.service;

import io.wacast.webhook.config.WebhookConfig;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Checks Meta's {@code X-Hub-Signature-256} ({@code sha256=} + hex HMAC-SHA256 of the raw body, keyed
 * with the app secret) against every configured secret, so deliveries signed with the previous secret
 * still pass during a rotation. The comparison is constant-time and every secret is always tried, so
 * timing tells neither how much of a signature matched nor which secret did.
 */
@Singleton
public class WebhookSignature {

    private static final String ALGORITHM = "HmacSHA256";
    private static final String PREFIX = "sha256=";
    private static final int DIGEST_BYTES = 32;

    private final List<SecretKeySpec> keys;

    @Inject
    WebhookSignature(WebhookConfig config) {
        this(config.appSecrets());
    }

    public WebhookSignature(List<String> secrets) {
        if (secrets == null || secrets.isEmpty() || secrets.stream().anyMatch(s -> s == null || s.isBlank())) {
            throw new IllegalArgumentException("wacast.webhook.app-secrets needs at least one non-blank secret");
        }
        this.keys = secrets.stream()
                .map(secret -> new SecretKeySpec(secret.strip().getBytes(StandardCharsets.UTF_8), ALGORITHM))
                .toList();
    }

    /** The header value Meta would send for {@code body} signed with {@code secret}. */
    public static String sign(byte[] body, String secret) {
        return PREFIX + HexFormat.of().formatHex(
                hmac(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), ALGORITHM), body));
    }

    public boolean matches(byte[] body, String header) {
        byte[] claimed = decode(header);
        if (claimed == null) {
            return false;
        }
        boolean matched = false;
        for (SecretKeySpec key : keys) {
            matched |= MessageDigest.isEqual(hmac(key, body), claimed);
        }
        return matched;
    }

    private static byte[] decode(String header) {
        if (header == null || header.length() != PREFIX.length() + 2 * DIGEST_BYTES
                || !header.regionMatches(true, 0, PREFIX, 0, PREFIX.length())) {
            return null;
        }
        try {
            return HexFormat.of().parseHex(header, PREFIX.length(), header.length());
        } catch (IllegalArgumentException notHex) {
            return null;
        }
    }

    private static byte[] hmac(SecretKeySpec key, byte[] body) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(key);
            return mac.doFinal(body);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is missing from this JVM", e);
        }
    }
}
