package io.wacast.campaign.domain;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The SHA-256 (lowercase hex) of an E.164 number, as MySQL's and MariaDB's {@code SHA2(phone, 256)}
 * computes it: how the suppression list still recognises a number after its contact was erased.
 * Pseudonymous, not anonymous: phone numbers are few enough to be hashed exhaustively.
 */
public final class PhoneHash {

    private PhoneHash() {
    }

    /** Looking the algorithm up costs more than hashing a number: one digest per thread, reused. */
    private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    });
    private static final HexFormat HEX = HexFormat.of();

    public static String of(String e164) {
        return HEX.formatHex(SHA256.get().digest(e164.getBytes(StandardCharsets.UTF_8)));
    }
}
