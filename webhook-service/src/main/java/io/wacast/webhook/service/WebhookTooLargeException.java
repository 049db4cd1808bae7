package io.wacast.webhook.service;

/** A body above {@code wacast.webhook.max-body-size}: 413, refused before it is verified or parsed. */
public class WebhookTooLargeException extends RuntimeException {

    private final long limitBytes;

    public WebhookTooLargeException(long limitBytes) {
        super("the body is larger than " + limitBytes + " bytes");
        this.limitBytes = limitBytes;
    }

    public long limitBytes() {
        return limitBytes;
    }
}
