package io.wacast.campaign.service;

import java.io.IOException;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.wacast.campaign.config.CampaignConfig;
import io.wacast.common.Topics;
import io.wacast.common.event.InboundEvent;
import io.wacast.common.event.OrderEvent;
import io.wacast.common.event.Outcome;
import io.wacast.common.event.StatusEvent;

/**
 * Reads a record of {@code wacast.outcomes}, {@code wacast.events} or {@code wacast.orders} into the {@link Evidence} the
 * applier works with: for the consumer, and for the replay of a parked record.
 */
@ApplicationScoped
public class EvidenceReader {

    /** A record that claims to be for the applier and cannot be read: parked, never retried. */
    public static final class UnreadableRecordException extends RuntimeException {

        UnreadableRecordException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private final ObjectMapper json;
    private final String defaultRegion;

    EvidenceReader(ObjectMapper json, CampaignConfig config) {
        this.json = json;
        this.defaultRegion = config.defaultRegion();
    }

    /**
     * The evidence in the record; empty when the record is another service's business on the shared
     * topic (an event type the applier does not apply).
     *
     * @throws UnreadableRecordException when it is ours and is empty, not JSON, or not the event's shape
     */
    public Optional<Evidence> read(String topic, String eventType, String payload) {
        try {
            if (Topics.OUTCOMES.equals(topic)) {
                return Optional.of(Evidence.of(json.readValue(required(payload), Outcome.class)));
            }
            if (Topics.ORDERS.equals(topic)) {
                OrderEvent order = json.readValue(required(payload), OrderEvent.class);
                if (order.eventId() == null) {
                    throw new IllegalArgumentException("order event without an eventId");
                }
                return Optional.of(Evidence.of(order, defaultRegion));
            }
            if (eventType == null) {
                throw new IllegalArgumentException("no " + Topics.EVENT_TYPE_HEADER + " header");
            }
            return switch (eventType) {
                case Topics.EVENT_TYPE_STATUS -> Optional.of(Evidence.of(json.readValue(required(payload), StatusEvent.class)));
                case Topics.EVENT_TYPE_INBOUND -> Optional.of(Evidence.of(json.readValue(required(payload),
                        InboundEvent.class), defaultRegion));
                default -> Optional.empty();
            };
        } catch (IOException | RuntimeException e) {
            throw new UnreadableRecordException("unreadable " + (eventType == null ? topic : eventType) + " record: "
                    + (e instanceof com.fasterxml.jackson.core.JsonProcessingException parse
                            ? parse.getOriginalMessage() : e.getMessage()), e);
        }
    }

    private static String required(String payload) {
        if (payload == null || payload.isBlank()) {
            throw new IllegalArgumentException("empty record");
        }
        return payload;
    }
}
