package io.wacast.webhook.messaging;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * Reads what is published to a real topic from the moment it is opened, without joining a group:
 * other tests and services write to the same topics, so callers filter by their own unique ids.
 */
public final class TopicTail implements AutoCloseable {

    private final KafkaConsumer<String, String> consumer;
    private final List<Received> received = new ArrayList<>();

    public TopicTail(String topic) {
        String bootstrap = ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class);
        consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.GROUP_ID_CONFIG, "webhook-test-" + UUID.randomUUID(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"),
                new StringDeserializer(), new StringDeserializer());
        List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                .map(info -> new TopicPartition(topic, info.partition()))
                .toList();
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        partitions.forEach(consumer::position);
    }

    /** Everything received so far whose value matches, after one more poll. */
    public List<Received> matching(Predicate<String> value) {
        for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
            Header type = record.headers().lastHeader(io.wacast.common.Topics.EVENT_TYPE_HEADER);
            received.add(new Received(record.key(), record.value(),
                    type == null ? null : new String(type.value(), StandardCharsets.UTF_8)));
        }
        return received.stream().filter(r -> value.test(r.value())).toList();
    }

    @Override
    public void close() {
        consumer.close();
    }

    public record Received(String key, String value, String type) {
    }
}
