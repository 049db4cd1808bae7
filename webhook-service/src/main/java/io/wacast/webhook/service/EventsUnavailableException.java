package io.wacast.webhook.service;

/**
 * Kafka did not acknowledge every event of a delivery in time: 503, so Meta delivers it again
 * rather than losing it. Events that did reach Kafka are harmless when repeated (stable event ids).
 */
public class EventsUnavailableException extends RuntimeException {

    public EventsUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
