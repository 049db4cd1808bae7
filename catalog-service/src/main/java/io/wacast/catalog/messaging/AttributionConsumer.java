package io.wacast.catalog.messaging;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.smallrye.common.annotation.Blocking;
import io.wacast.catalog.service.CatalogMetrics;
import io.wacast.catalog.service.OrderAttributions;
import io.wacast.common.Topics;
import io.wacast.common.event.OrderAttribution;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.control.ActivateRequestContext;
import jakarta.inject.Inject;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Consumes {@code wacast.attributions} (channel {@code attributions}): the campaign an order is credited
 * to, published by the campaign-service (docs/DESIGN.md §11 D18). Like the orders consumer: each record
 * in its own transaction, a malformed one logged and acknowledged, one that fails
 * {@code order-event-attempts} times parked ({@link AttemptsThenPark}), and the channel stopped only when
 * even parking fails.
 */
@ApplicationScoped
public class AttributionConsumer {

    public static final String CHANNEL = "attributions";
    private static final Logger LOG = Logger.getLogger(AttributionConsumer.class);

    @Inject
    ObjectMapper json;

    @Inject
    OrderAttributions attributions;

    @Inject
    CatalogMetrics metrics;

    @Inject
    AttemptsThenPark attempts;

    @Incoming(CHANNEL)
    @Blocking
    @ActivateRequestContext
    public void consume(ConsumerRecord<String, String> record) {
        Optional<OrderAttribution> parsed = parse(record.value());
        if (parsed.isEmpty()) {
            metrics.orderEventSkipped("malformed");
            return;
        }
        OrderAttribution attribution = parsed.get();
        Optional<String> malformed = OrderAttributions.malformed(attribution);
        if (malformed.isPresent()) {
            LOG.warnf("Skipped malformed attribution %s on %s: %s", attribution.eventId(), Topics.ATTRIBUTIONS,
                    malformed.get());
            metrics.orderEventSkipped("malformed");
            return;
        }
        attempts.run(record, () -> {
            boolean credited = attributions.apply(attribution);
            LOG.debugf("Attribution %s: order message %s credited to campaign %d%s", attribution.eventId(),
                    attribution.orderMessageId(), attribution.campaignId(), credited ? "" : " (order not here yet, or credited before)");
        }, (attempt, of, reason) -> LOG.warnf("Attribution %s failed (attempt %d of %d): %s", attribution.eventId(), attempt,
                of, reason));
    }

    private Optional<OrderAttribution> parse(String payload) {
        if (payload == null || payload.isBlank()) {
            LOG.warnf("Skipped an empty record on %s", Topics.ATTRIBUTIONS);
            return Optional.empty();
        }
        try {
            return Optional.of(json.readValue(payload, OrderAttribution.class));
        } catch (JsonProcessingException | IllegalArgumentException e) {
            LOG.warnf("Skipped a record on %s that is not an OrderAttribution (%s)", Topics.ATTRIBUTIONS,
                    e.getClass().getSimpleName());
            return Optional.empty();
        }
    }
}
