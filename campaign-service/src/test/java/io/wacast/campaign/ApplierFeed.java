package io.wacast.campaign;

import static org.awaitility.Awaitility.await;

import java.time.Duration;

import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.wacast.campaign.messaging.EventConsumer;

/**
 * The applier tests' way in: an {@link EventPublisher} that publishes each record once the applier's
 * consumer is assigned (in tests it reads from the latest offset, so a record published before would be
 * missed). One producer for the application, closed when it stops.
 */
@Singleton
public class ApplierFeed extends EventPublisher {

    private static final Duration PATIENCE = Duration.ofSeconds(30);

    private final EventConsumer consumer;

    ApplierFeed(EventConsumer consumer, ObjectMapper json) {
        super(json);
        this.consumer = consumer;
    }

    @Override
    public void send(String topic, String key, String value, String type) {
        if (!consumer.isAssigned()) {
            await().atMost(PATIENCE).until(consumer::isAssigned);
        }
        super.send(topic, key, value, type);
    }

    @PreDestroy
    void stop() {
        close();
    }
}
