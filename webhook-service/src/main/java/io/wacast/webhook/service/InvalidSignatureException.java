package io.wacast.webhook.service;

/** The body is not signed with any configured app secret: 401, and nothing of it is published. */
public class InvalidSignatureException extends RuntimeException {

    public InvalidSignatureException(String message) {
        super(message);
    }
}
