package io.wacast.common.event;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.time.Instant;
import java.util.Objects;

/**
 * The campaign an order is credited to, published by the campaign-service (through its outbox) to
 * {@code wacast.attributions}, keyed by the customer's phone, once it attributed the order's
 * {@link OrderEvent} (docs/DESIGN.md §3, §11 D18). The catalog-service sets the order's campaign from
 * it, whichever of the two records it reads first.
 *
 * @param eventId a name-based UUID of the order's message id: a republished attribution carries the same id
 * @param orderMessageId the wamid of the inbound order message ({@link OrderEvent#messageId()})
 * @param orderEventId the order's {@link OrderEvent#eventId()}
 * @param recipientId the campaign's recipient who ordered
 * @param attributedBy {@code context} (the order quoted the campaign's message) or {@code window} (the
 *     campaign was the latest to message the customer within the attribution window)
 * @param orderedAt the order's time (Meta's timestamp, else when it was received)
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record OrderAttribution(
        String eventId,
        int schemaVersion,
        String orderMessageId,
        String orderEventId,
        long campaignId,
        long recipientId,
        String attributedBy,
        Instant orderedAt) {

    public static final int SCHEMA_VERSION = 1;
    public static final String BY_CONTEXT = "context";
    public static final String BY_WINDOW = "window";

    public OrderAttribution {
        Objects.requireNonNull(eventId, "eventId");
    }
}
