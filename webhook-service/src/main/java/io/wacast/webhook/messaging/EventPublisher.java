package io.wacast.webhook.messaging;

import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import io.wacast.common.Topics;
import io.wacast.webhook.config.WebhookConfig;
import io.wacast.webhook.domain.PublishableEvent;
import io.wacast.webhook.service.EventsUnavailableException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.Metadata;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;

/**
 * Publishes a delivery's events and completes only when Kafka has acknowledged every one of them
 * ({@code acks=all}, idempotent producer), or fails within the publish timeout: the caller answers
 * Meta from that, so a 200 never precedes durability.
 */
@ApplicationScoped
public class EventPublisher {

    static final String EVENTS_CHANNEL = "events-out";
    static final String ORDERS_CHANNEL = "orders-out";
    static final String SIGNALS_CHANNEL = "signals-out";
    private static final int IN_FLIGHT_BUFFER = 16_384;

    private final MutinyEmitter<Object> events;
    private final MutinyEmitter<Object> orders;
    private final MutinyEmitter<Object> signals;
    private final Duration timeout;

    @Inject
    EventPublisher(
            @Channel(EVENTS_CHANNEL) @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = IN_FLIGHT_BUFFER)
            MutinyEmitter<Object> events,
            @Channel(ORDERS_CHANNEL) @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = IN_FLIGHT_BUFFER)
            MutinyEmitter<Object> orders,
            @Channel(SIGNALS_CHANNEL) @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = 1_024)
            MutinyEmitter<Object> signals,
            WebhookConfig config) {
        this.events = events;
        this.orders = orders;
        this.signals = signals;
        this.timeout = config.publishTimeout();
    }

    public Uni<Void> publish(List<PublishableEvent> batch) {
        List<Uni<Void>> sends = batch.stream().map(this::send).toList();
        return Uni.join().all(sends).andFailFast()
                .replaceWithVoid()
                .ifNoItem().after(timeout).failWith(() -> new EventsUnavailableException(
                        "Kafka did not acknowledge the events within " + timeout.toMillis() + " ms", null))
                .onFailure(failure -> !(failure instanceof EventsUnavailableException))
                .transform(failure -> new EventsUnavailableException("Kafka refused the events", failure));
    }

    private Uni<Void> send(PublishableEvent event) {
        OutgoingKafkaRecordMetadata<String> kafka = OutgoingKafkaRecordMetadata.<String>builder()
                .withKey(event.key())
                .withHeaders(new RecordHeaders().add(Topics.EVENT_TYPE_HEADER, event.type().getBytes(StandardCharsets.UTF_8)))
                .build();
        MutinyEmitter<Object> emitter = switch (event.destination()) {
            case ORDERS -> orders;
            case ACCOUNT_SIGNALS -> signals;
            case EVENTS -> events;
        };
        return Uni.createFrom().deferred(() -> emitter.sendMessage(Message.of(event.payload(), Metadata.of(kafka))));
    }
}
