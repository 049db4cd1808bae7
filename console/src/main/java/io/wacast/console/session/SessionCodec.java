package io.wacast.console.session;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import jakarta.enterprise.context.ApplicationScoped;

import io.wacast.console.config.ConsoleConfig;

/**
 * Seals an {@link Operator} into a cookie value and opens it again: AES-256-GCM under a key derived
 * from the configured session secret, so the API key inside is neither readable nor forgeable by the
 * browser, and any console replica holding the same secret can open it. A cookie that does not open
 * (tampered, another secret, expired) is simply no session.
 */
@ApplicationScoped
public class SessionCodec {

    private static final int IV_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final byte VERSION = 1;
    private static final char SEP = '\n';

    private final SecretKeySpec key;
    private final SecureRandom random = new SecureRandom();

    SessionCodec(ConsoleConfig config) {
        String secret = config.sessionSecret();
        if (secret.length() < 32) {
            throw new IllegalStateException("wacast.console.session-secret must be at least 32 characters");
        }
        this.key = new SecretKeySpec(sha256("wacast-console-session\0" + secret), "AES");
    }

    public String seal(Operator operator) {
        String plain = operator.expiresAt().getEpochSecond() + "" + SEP + operator.role() + SEP + operator.apiKey() + SEP
                + operator.name(); // the name last: it is the only part that may hold a separator
        byte[] iv = new byte[IV_BYTES];
        random.nextBytes(iv);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, iv));
            cipher.updateAAD(new byte[] { VERSION });
            byte[] sealed = cipher.doFinal(plain.getBytes(StandardCharsets.UTF_8));
            ByteBuffer out = ByteBuffer.allocate(1 + IV_BYTES + sealed.length).put(VERSION).put(iv).put(sealed);
            return Base64.getUrlEncoder().withoutPadding().encodeToString(out.array());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available", e);
        }
    }

    public Optional<Operator> open(String cookie, Instant now) {
        if (cookie == null || cookie.isEmpty() || cookie.length() > 4096) {
            return Optional.empty();
        }
        try {
            byte[] all = Base64.getUrlDecoder().decode(cookie);
            if (all.length < 1 + IV_BYTES + TAG_BITS / 8 || all[0] != VERSION) {
                return Optional.empty();
            }
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, all, 1, IV_BYTES));
            cipher.updateAAD(new byte[] { VERSION });
            String plain = new String(cipher.doFinal(all, 1 + IV_BYTES, all.length - 1 - IV_BYTES), StandardCharsets.UTF_8);
            String[] parts = plain.split(String.valueOf(SEP), 4);
            if (parts.length != 4) {
                return Optional.empty();
            }
            Instant expires = Instant.ofEpochSecond(Long.parseLong(parts[0]));
            return expires.isAfter(now) ? Optional.of(new Operator(parts[2], parts[3], parts[1], expires)) : Optional.empty();
        } catch (IllegalArgumentException | GeneralSecurityException e) {
            return Optional.empty();
        }
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
