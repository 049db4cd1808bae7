package io.wacast.sender;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.ConfigProvider;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

import io.wacast.common.Topics;
import io.wacast.common.event.Outcome;

/**
 * Publishes test events to the shared broker and collects the outcomes of this test's own
 * campaigns (other modules' tests use the same topics at the same time).
 */
public final class KafkaTestClient implements AutoCloseable {

    public static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

    private final KafkaProducer<String, String> producer;
    private final KafkaConsumer<String, String> consumer;
    private final Set<Long> campaigns = ConcurrentHashMap.newKeySet();
    private final List<Outcome> outcomes = new CopyOnWriteArrayList<>();
    private final Thread poller;
    private volatile boolean running = true;
    private volatile boolean assigned;

    public KafkaTestClient() {
        this(ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class));
    }

    public KafkaTestClient(String bootstrap) {
        producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class));
        consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.GROUP_ID_CONFIG, "sender-test-outcomes-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class));
        poller = new Thread(this::poll, "test-outcomes");
        poller.start();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!assigned && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        if (!assigned) {
            throw new IllegalStateException("outcome consumer got no partitions");
        }
    }

    private void poll() {
        consumer.subscribe(List.of(Topics.OUTCOMES));
        while (running) {
            for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(100))) {
                try {
                    Outcome outcome = JSON.readValue(record.value(), Outcome.class);
                    if (campaigns.contains(outcome.campaignId())) {
                        outcomes.add(outcome);
                    }
                } catch (Exception e) {
                    // someone else's malformed event: not ours
                }
            }
            if (!consumer.assignment().isEmpty() && !assigned) {
                consumer.assignment().forEach(p -> consumer.position(p));
                assigned = true;
            }
        }
        consumer.close();
    }

    /** A campaign id no other test (of any module) uses. */
    public long newCampaign() {
        long id = 7_000_000_000L + (System.nanoTime() & 0x3fff_ffffL) + campaigns.size();
        campaigns.add(id);
        return id;
    }

    public void publish(String topic, String key, Object event) {
        try {
            producer.send(new ProducerRecord<>(topic, key, event instanceof String s ? s : JSON.writeValueAsString(event))).get();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Publishes many events without waiting for each; returns once the broker acked them all. */
    public void publishAll(String topic, Map<String, ?> eventsByKey) {
        List<java.util.concurrent.Future<?>> acks = new java.util.ArrayList<>(eventsByKey.size());
        try {
            for (Map.Entry<String, ?> event : eventsByKey.entrySet()) {
                acks.add(producer.send(new ProducerRecord<>(topic, event.getKey(), JSON.writeValueAsString(event.getValue()))));
            }
            for (java.util.concurrent.Future<?> ack : acks) {
                ack.get();
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public List<Outcome> outcomesOf(long campaignId) {
        return outcomes.stream().filter(o -> o.campaignId() == campaignId).toList();
    }

    public List<Outcome> outcomesOfJob(String jobId) {
        return outcomes.stream().filter(o -> o.jobId().equals(jobId)).toList();
    }

    @Override
    public void close() {
        running = false;
        try {
            poller.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        producer.close();
    }
}
