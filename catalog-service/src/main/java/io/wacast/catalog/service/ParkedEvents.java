package io.wacast.catalog.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.panache.common.Sort;
import io.wacast.catalog.domain.CustomerOrder;
import io.wacast.catalog.domain.ParkedEvent;
import io.wacast.common.Topics;
import io.wacast.common.event.OrderAttribution;
import io.wacast.common.event.OrderEvent;
import io.wacast.common.text.FailureReason;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * The dead-letter table of the orders consumer. A record that failed every attempt is parked here
 * (with a metric and an ERROR line for alerting) so the records after it are applied; an admin
 * lists the parked records and replays one once its cause is fixed.
 */
@ApplicationScoped
public class ParkedEvents {

    private static final Logger LOG = Logger.getLogger(ParkedEvents.class);
    private static final int MAX_REASON = 1000;

    @Inject
    OrderAttributions attributions;

    @Inject
    OrderIntake intake;

    @Inject
    Paging paging;

    @Inject
    RowLock rowLock;

    @Inject
    Caller caller;

    @Inject
    ObjectMapper json;

    @Inject
    MeterRegistry registry;

    /** Parks a record once (a record redelivered after a crash finds its earlier row). */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public ParkedEvent park(String topic, int partition, long offset, String key, String payload, Throwable failure,
            int attempts) {
        Optional<ParkedEvent> earlier = ParkedEvent.at(topic, partition, offset);
        if (earlier.isPresent()) {
            return earlier.get();
        }
        ParkedEvent parked = new ParkedEvent();
        parked.topic = topic;
        parked.recordPartition = partition;
        parked.recordOffset = offset;
        parked.recordKey = key;
        parked.payload = payload;
        parked.reason = reason(failure);
        parked.parkedAt = Instant.now();
        parked.persist();
        Counter.builder("wacast.catalog.events.parked").description("Records parked after every attempt failed")
                .tag("topic", topic).register(registry).increment();
        LOG.errorf("Parked the record at %s-%d@%d (parked event %d) after %d attempts: %s", topic, partition, offset,
                parked.id, attempts, parked.reason);
        return parked;
    }

    @Transactional
    public Page<ParkedEvent> list(Integer page, Integer size) {
        return paging.page(ParkedEvent.findAll(Sort.descending("id")), page, size);
    }

    /**
     * Applies a parked order event again, in one transaction with marking it replayed: 200 and the
     * row marked when it was applied (or its order already exists); 422 with the reason, and
     * nothing changed, when it fails again; 409 when it was replayed before.
     */
    @Transactional
    public ParkedEvent replay(long id) {
        if (!rowLock.lock(RowLock.Table.PARKED_EVENT, id)) {
            throw CatalogProblem.notFound("parked event", id);
        }
        ParkedEvent parked = ParkedEvent.findById(id);
        if (parked.replayedAt != null) {
            throw CatalogProblem.conflict("already-replayed", "parked event " + id + " was replayed at " + parked.replayedAt
                    + " by " + parked.replayedBy);
        }
        if (Topics.ATTRIBUTIONS.equals(parked.topic)) {
            replayAttribution(id, parked);
            parked.replayedAt = Instant.now();
            parked.replayedBy = caller.name();
            return parked;
        }
        OrderEvent event;
        try {
            event = json.readValue(parked.payload == null ? "" : parked.payload, OrderEvent.class);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw CatalogProblem.unprocessable("replay-failed", "the parked record is not an order event", java.util.List.of());
        }
        Optional<String> malformed = OrderIntake.malformed(event);
        if (malformed.isPresent()) {
            throw CatalogProblem.unprocessable("replay-failed", "the parked event is malformed: " + malformed.get(),
                    java.util.List.of());
        }
        try {
            if (!CustomerOrder.existsForEventOrMessage(event.eventId(), event.messageId())) {
                intake.accept(event);
            }
        } catch (RuntimeException e) {
            String reason = reason(e);
            LOG.warnf("Replaying parked event %d failed again: %s", id, reason);
            throw CatalogProblem.unprocessable("replay-failed", "the event still cannot be applied: " + reason,
                    java.util.List.of());
        }
        parked.replayedAt = Instant.now();
        parked.replayedBy = caller.name();
        return parked;
    }

    private void replayAttribution(long id, ParkedEvent parked) {
        OrderAttribution attribution;
        try {
            attribution = json.readValue(parked.payload == null ? "" : parked.payload, OrderAttribution.class);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw CatalogProblem.unprocessable("replay-failed", "the parked record is not an order attribution",
                    java.util.List.of());
        }
        Optional<String> malformed = OrderAttributions.malformed(attribution);
        if (malformed.isPresent()) {
            throw CatalogProblem.unprocessable("replay-failed", "the parked attribution is malformed: " + malformed.get(),
                    java.util.List.of());
        }
        try {
            attributions.apply(attribution);
        } catch (RuntimeException e) {
            String reason = reason(e);
            LOG.warnf("Replaying parked event %d failed again: %s", id, reason);
            throw CatalogProblem.unprocessable("replay-failed", "the attribution still cannot be applied: " + reason,
                    java.util.List.of());
        }
    }

    /** The innermost message (a catalog problem's own), phone numbers masked, cut to the column. */
    public static String reason(Throwable failure) {
        return failure instanceof CatalogProblem && failure.getMessage() != null
                ? FailureReason.safe(failure.getMessage(), MAX_REASON)
                : FailureReason.of(failure, MAX_REASON);
    }
}
