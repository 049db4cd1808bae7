package io.wacast.common.event;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * A cart the user sent from a catalog (an inbound message of type {@code order}), published by the
 * webhook service to {@code wacast.orders} (keyed by phone) for the catalog service.
 *
 * @param messageId the inbound message's wamid
 * @param from the user's number as Meta sends it (no '+')
 * @param items the products as the user saw them, prices included
 * @param contextWamid the wamid of our message the order answers, if any
 * @param fromUserId the user's business-scoped user id (schema version 2); {@code from} may be null
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record OrderEvent(
        String eventId,
        int schemaVersion,
        String messageId,
        String phoneNumberId,
        String from,
        String catalogId,
        List<Item> items,
        String text,
        String contextWamid,
        Long campaignId,
        Instant metaTimestamp,
        Instant receivedAt,
        String fromUserId) {

    /** Version 2 adds {@code fromUserId}; {@code from} may be null. */
    public static final int SCHEMA_VERSION = 2;

    /** An order event without a business-scoped user id (the shape of schema version 1). */
    public OrderEvent(String eventId, int schemaVersion, String messageId, String phoneNumberId, String from,
            String catalogId, List<Item> items, String text, String contextWamid, Long campaignId,
            Instant metaTimestamp, Instant receivedAt) {
        this(eventId, schemaVersion, messageId, phoneNumberId, from, catalogId, items, text, contextWamid, campaignId,
                metaTimestamp, receivedAt, null);
    }

    @JsonCreator
    public OrderEvent {
        Objects.requireNonNull(eventId, "eventId");
        items = items == null ? List.of() : List.copyOf(items);
    }

    public static OrderEvent of(String messageId, String phoneNumberId, String from, String catalogId,
            List<Item> items, String text, String contextWamid, Long campaignId, Instant metaTimestamp,
            Instant receivedAt) {
        return new OrderEvent(UUID.randomUUID().toString(), SCHEMA_VERSION, messageId, phoneNumberId, from, catalogId,
                items, text, contextWamid, campaignId, metaTimestamp, receivedAt, null);
    }

    /** One line of Meta's {@code product_items}. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Item(String productRetailerId, int quantity, BigDecimal itemPrice, String currency) {
    }
}
