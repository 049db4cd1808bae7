package io.wacast.campaign;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ExecutionException;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.ConfigProvider;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.wacast.common.Topics;
import io.wacast.common.event.InboundEvent;
import io.wacast.common.event.Outcome;
import io.wacast.common.event.StatusEvent;

/**
 * Publishes outcomes and webhook events to the real shared topics the way the sender and the webhook
 * service do (keys, the {@code wacast-event-type} header), waiting for each acknowledgement.
 */
public class EventPublisher implements AutoCloseable {

    private final KafkaProducer<String, String> producer;
    private final ObjectMapper json;

    public EventPublisher(ObjectMapper json) {
        this.json = json;
        this.producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class),
                ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new StringSerializer());
    }

    public void outcome(Outcome outcome) {
        send(Topics.OUTCOMES, Long.toString(outcome.campaignId()), write(outcome), null);
    }

    public void status(StatusEvent event) {
        String key = event.campaignId() != null ? event.campaignId().toString() : "+" + event.recipient();
        send(Topics.EVENTS, key, write(event), Topics.EVENT_TYPE_STATUS);
    }

    public void inbound(InboundEvent event) {
        inbound(event, "+" + event.from());
    }

    public void inbound(InboundEvent event, String key) {
        send(Topics.EVENTS, key, write(event), Topics.EVENT_TYPE_INBOUND);
    }

    /** Any record at all, as another module's test might publish it. */
    public void send(String topic, String key, String value, String type) {
        ProducerRecord<String, String> record = new ProducerRecord<>(topic, key, value);
        if (type != null) {
            record.headers().add(Topics.EVENT_TYPE_HEADER, type.getBytes(StandardCharsets.UTF_8));
        }
        try {
            producer.send(record).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("Kafka refused a test record", e);
        }
    }

    private String write(Object event) {
        try {
            return json.writeValueAsString(event);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        producer.close();
    }
}
