package io.wacast.webhook.service;

import io.wacast.webhook.config.WebhookConfig;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/** Meta's subscription handshake: it proves it knows our verify token before sending anything. */
@Singleton
public class SubscriptionVerification {

    private final byte[] verifyToken;

    @Inject
    SubscriptionVerification(WebhookConfig config) {
        this(config.verifyToken());
    }

    public SubscriptionVerification(String verifyToken) {
        if (verifyToken == null || verifyToken.isBlank()) {
            throw new IllegalArgumentException("wacast.webhook.verify-token must not be blank");
        }
        this.verifyToken = verifyToken.getBytes(StandardCharsets.UTF_8);
    }

    public boolean accepts(String mode, String token) {
        return "subscribe".equals(mode) && token != null
                && MessageDigest.isEqual(verifyToken, token.getBytes(StandardCharsets.UTF_8));
    }
}
