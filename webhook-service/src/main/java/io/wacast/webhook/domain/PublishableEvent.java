package io.wacast.webhook.domain;

import java.util.Objects;
import java.util.UUID;

/**
 * An event derived from a webhook, ready for Kafka: where it goes, its key, and its id. The id is
 * derived from Meta's identity of the thing (wamid and status, inbound wamid, …), so every
 * redelivery of it, to any replica and at any time, carries the same id.
 *
 * @param type the value of the {@code wacast-event-type} header: status, inbound, order or account-signal
 * @param payload a {@link io.wacast.common.event.StatusEvent}, {@link io.wacast.common.event.InboundEvent}
 *     {@link io.wacast.common.event.OrderEvent} or {@link io.wacast.common.event.AccountSignal}
 */
public record PublishableEvent(Destination destination, String key, UUID eventId, String type, Object payload) {

    public PublishableEvent {
        Objects.requireNonNull(destination, "destination");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(payload, "payload");
    }

    public enum Destination {
        /** {@code wacast.events}: statuses, replies, opt-outs. */
        EVENTS,
        /** {@code wacast.orders}: carts sent from a catalog. */
        ORDERS,
        /** {@code wacast.account-signals}: template, number, portfolio and account changes. */
        ACCOUNT_SIGNALS
    }
}
