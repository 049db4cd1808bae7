package io.wacast.webhook.service;

/** A correctly signed body that is not JSON: 400, since a retry of the same bytes cannot succeed. */
public class MalformedWebhookException extends RuntimeException {

    public MalformedWebhookException(String message) {
        super(message);
    }
}
