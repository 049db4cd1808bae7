package io.wacast.catalog.messaging;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.smallrye.common.annotation.Blocking;
import io.wacast.catalog.service.CatalogMetrics;
import io.wacast.catalog.service.Caller;
import io.wacast.catalog.service.OrderIntake;
import io.wacast.catalog.service.ParkedEvents;
import io.wacast.common.Topics;
import io.wacast.common.event.OrderEvent;
import io.wacast.common.phone.PhoneNumbers;
import io.wacast.common.user.Bsuid;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.control.ActivateRequestContext;
import jakarta.inject.Inject;
import jakarta.persistence.PersistenceException;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Consumes {@code wacast.orders} (channel {@code orders}, keyed by phone, so one customer's orders
 * arrive in order). Each event is handled in its own transaction and its offset committed after it.
 * A malformed event is logged (phone masked) and acknowledged, never retried for ever. An event that
 * fails {@code order-event-attempts} times in a row is parked ({@link ParkedEvents}) so that one bad
 * event cannot hold back every order after it ({@link AttemptsThenPark}). If even parking fails (the database is down) the
 * channel fails (failure-strategy=fail), which takes readiness down and resumes from the last
 * committed offset after a restart, so no order is lost.
 */
@ApplicationScoped
public class OrderEventConsumer {

    public static final String CHANNEL = "orders";
    private static final Logger LOG = Logger.getLogger(OrderEventConsumer.class);

    @Inject
    ObjectMapper json;

    @Inject
    OrderIntake intake;

    @Inject
    CatalogMetrics metrics;

    @Inject
    Caller caller;

    @Inject
    AttemptsThenPark attempts;

    @Incoming(CHANNEL)
    @Blocking
    @ActivateRequestContext
    public void consume(ConsumerRecord<String, String> record) {
        caller.actAs(OrderIntake.ACTOR, null, null);
        String payload = record.value();
        Optional<OrderEvent> parsed = parse(payload);
        if (parsed.isEmpty()) {
            return;
        }
        OrderEvent event = parsed.get();
        String customer = customer(event);
        Optional<String> malformed = OrderIntake.malformed(event);
        if (malformed.isPresent()) {
            LOG.warnf("Skipped malformed order event %s from %s on %s: %s", event.eventId(), customer, Topics.ORDERS,
                    malformed.get());
            metrics.orderEventSkipped("malformed");
            return;
        }
        attempts.run(record, () -> apply(event, customer), (attempt, of, reason) -> LOG.warnf(
                "Order event %s from %s failed (attempt %d of %d): %s", event.eventId(), customer, attempt, of, reason));
    }

    private void apply(OrderEvent event, String customer) {
        try {
            intake.accept(event).ifPresentOrElse(
                    order -> LOG.infof("Order %d from %s (event %s, campaign %s)%s", order.id, customer, event.eventId(),
                            event.campaignId(), order.flagged ? " flagged " + order.flags : ""),
                    () -> duplicate(event, customer));
        } catch (PersistenceException e) {
            if (!intake.alreadyTaken(event)) {
                throw e;
            }
            duplicate(event, customer);
        }
    }

    /** The customer for logs: the masked number, else the masked BSUID of a user known only by it. */
    static String customer(OrderEvent event) {
        if ((event.from() == null || event.from().isBlank()) && event.fromUserId() != null) {
            return Bsuid.mask(event.fromUserId());
        }
        return PhoneNumbers.mask(event.from() == null ? null : "+" + event.from());
    }

    private void duplicate(OrderEvent event, String customer) {
        LOG.debugf("Order event %s from %s was already taken; nothing changed", event.eventId(), customer);
        metrics.orderEventSkipped("duplicate");
    }

    private Optional<OrderEvent> parse(String payload) {
        if (payload == null || payload.isBlank()) {
            metrics.orderEventSkipped("malformed");
            LOG.warnf("Skipped an empty record on %s", Topics.ORDERS);
            return Optional.empty();
        }
        try {
            return Optional.of(json.readValue(payload, OrderEvent.class));
        } catch (JsonProcessingException e) {
            // Jackson's message can quote the payload (and its phone number): log only where it broke.
            metrics.orderEventSkipped("malformed");
            LOG.warnf("Skipped a record on %s that is not an OrderEvent (%s at line %d, column %d)", Topics.ORDERS,
                    e.getClass().getSimpleName(), e.getLocation() == null ? 0 : e.getLocation().getLineNr(),
                    e.getLocation() == null ? 0 : e.getLocation().getColumnNr());
            return Optional.empty();
        }
    }
}
