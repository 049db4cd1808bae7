package io.wacast.sender.messaging;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.wacast.sender.service.ProcessIdentity;

/**
 * Reads a whole topic from its start on a thread of its own, without a consumer group (every replica
 * needs every record), and hands each readable record to {@code apply}; an unreadable one is logged and
 * skipped, a failure of the client restarts the read from the start.
 */
final class WholeTopicReader<T> {

    private static final Logger LOG = Logger.getLogger(WholeTopicReader.class);

    /** Where to read, how often to poll, and the words its log lines use for it and its records. */
    record Source(String topic, String clientPrefix, String threadName, Duration poll, String readerName,
            String recordName) {
    }

    private final Source source;
    private final KafkaSettings settings;
    private final ObjectMapper json;
    private final Class<T> type;
    private final Consumer<T> apply;
    private final Runnable caughtUp;
    private volatile boolean running;
    private volatile KafkaConsumer<String, String> consumer;

    /** {@code caughtUp}, when not null, runs once the read reached where the topic ended when it began. */
    WholeTopicReader(Source source, KafkaSettings settings, ObjectMapper json, Class<T> type, Consumer<T> apply,
            Runnable caughtUp) {
        this.source = source;
        this.settings = settings;
        this.json = json;
        this.type = type;
        this.apply = apply;
        this.caughtUp = caughtUp;
    }

    synchronized void start() {
        if (running) {
            return;
        }
        running = true;
        Thread thread = new Thread(this::run, source.threadName());
        thread.setDaemon(true);
        thread.start();
    }

    private void run() {
        boolean reported = caughtUp == null;
        while (running) {
            try (KafkaConsumer<String, String> c = new KafkaConsumer<>(
                    settings.consumer(source.clientPrefix() + ProcessIdentity.ID, null, "earliest"))) {
                consumer = c;
                List<TopicPartition> partitions = c.partitionsFor(source.topic(), Duration.ofSeconds(30)).stream()
                        .map(info -> new TopicPartition(info.topic(), info.partition()))
                        .toList();
                c.assign(partitions);
                c.seekToBeginning(partitions);
                Map<TopicPartition, Long> end = reported ? Map.of() : c.endOffsets(partitions);
                while (running) {
                    for (ConsumerRecord<String, String> record : c.poll(source.poll())) {
                        read(record);
                    }
                    if (!reported && end.entrySet().stream().allMatch(e -> c.position(e.getKey()) >= e.getValue())) {
                        reported = true;
                        caughtUp.run();
                    }
                }
            } catch (WakeupException e) {
                return;
            } catch (RuntimeException e) {
                LOG.warnf("%s restarts after: %s", source.readerName(), e.toString());
            }
        }
    }

    private void read(ConsumerRecord<String, String> record) {
        if (record.value() == null) {
            return;
        }
        try {
            apply.accept(json.readValue(record.value(), type));
        } catch (Exception e) {
            LOG.warnf("ignored an unreadable %s at %s-%d@%d: %s", source.recordName(), record.topic(),
                    record.partition(), record.offset(), e.getMessage());
        }
    }

    void stop() {
        running = false;
        KafkaConsumer<String, String> c = consumer;
        if (c != null) {
            c.wakeup();
        }
    }
}
