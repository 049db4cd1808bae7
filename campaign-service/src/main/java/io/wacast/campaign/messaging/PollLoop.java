package io.wacast.campaign.messaging;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.jboss.logging.Logger;

/**
 * One plain Kafka consumer on a thread of its own, shared by the {@link EventConsumer} and the
 * {@link SignalConsumer}: subscribes in a group with auto-commit off, knows whether partitions are
 * assigned, hands every non-empty poll to its owner on that thread, commits a poll's offsets when the
 * owner is done with it, and waits out a backoff without leaving the group (partitions paused, the
 * consumer still polling; no sleep on the poll thread).
 */
final class PollLoop {

    /** Where and how to poll. {@code name} names the loop in log lines ("applier", "signal"). */
    record Settings(String name, String thread, String clientId, String groupId, String autoOffsetReset,
            int maxPollRecords, Duration poll, List<String> topics) {
    }

    /** What the owner does with a non-empty poll, on the loop's thread. */
    interface Handler {
        void handle(ConsumerRecords<String, String> records);
    }

    private final Logger log;
    private final String bootstrapServers;
    private volatile Settings settings;
    private volatile boolean running;
    private volatile boolean assigned;
    private volatile Thread thread;
    private volatile KafkaConsumer<String, String> consumer;

    /** {@code log} is the owner's, so that its log lines keep their category. */
    PollLoop(Logger log, String bootstrapServers) {
        this.log = log;
        this.bootstrapServers = bootstrapServers;
    }

    void start(Settings settings, Handler handler) {
        this.settings = settings;
        running = true;
        thread = new Thread(() -> run(handler), settings.thread());
        thread.setDaemon(true);
        thread.start();
    }

    void stop() throws InterruptedException {
        running = false;
        KafkaConsumer<String, String> current = consumer;
        if (current != null) {
            current.wakeup();
        }
        Thread loop = thread;
        if (loop != null) {
            loop.join(TimeUnit.SECONDS.toMillis(15));
        }
    }

    /** True once partitions are assigned and their positions known: records published from now on are read. */
    boolean isAssigned() {
        return assigned;
    }

    /** False once the service is stopping: a handler retrying something gives up. */
    boolean isRunning() {
        return running;
    }

    private void run(Handler handler) {
        Map<String, Object> config = new HashMap<>();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ConsumerConfig.GROUP_ID_CONFIG, settings.groupId());
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, settings.clientId());
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, settings.autoOffsetReset());
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, settings.maxPollRecords());
        config.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 100);
        try (KafkaConsumer<String, String> kafka = new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer())) {
            consumer = kafka;
            kafka.subscribe(settings.topics(), new ConsumerRebalanceListener() {
                @Override
                public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                    assigned = false;
                }

                @Override
                public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                    partitions.forEach(kafka::position);
                    assigned = !kafka.assignment().isEmpty();
                }
            });
            while (running) {
                ConsumerRecords<String, String> records = kafka.poll(settings.poll());
                if (!records.isEmpty()) {
                    handler.handle(records);
                }
            }
        } catch (WakeupException e) {
            if (running) {
                log.errorf(e, "%s consumer woken up unexpectedly", settings.name());
            }
        } catch (RuntimeException e) {
            log.errorf(e, "%s consumer stopped", settings.name());
        } finally {
            assigned = false;
            consumer = null;
        }
    }

    /**
     * Commits the offsets after these records. A failed commit is logged, not thrown: a rebalance took
     * the partitions, and their new owner reads {@code what} again and deduplicates it.
     */
    void commit(ConsumerRecords<String, String> records, String what) {
        Map<TopicPartition, OffsetAndMetadata> next = new HashMap<>();
        for (TopicPartition partition : records.partitions()) {
            List<ConsumerRecord<String, String>> ofPartition = records.records(partition);
            next.put(partition, new OffsetAndMetadata(ofPartition.get(ofPartition.size() - 1).offset() + 1));
        }
        try {
            consumer.commitSync(next);
        } catch (KafkaException e) {
            log.infof("offset commit failed, %s will be redelivered and deduplicated: %s%s", what, e.getClass().getSimpleName(),
                    e.getMessage() == null ? "" : " (" + e.getMessage() + ")");
        }
    }

    /** Seeks back to the records' first offsets (of the partitions still assigned), then waits out the backoff. */
    void rewind(ConsumerRecords<String, String> records, Duration backoff) {
        KafkaConsumer<String, String> kafka = consumer;
        for (TopicPartition partition : records.partitions()) {
            if (kafka.assignment().contains(partition)) {
                kafka.seek(partition, records.records(partition).get(0).offset());
            }
        }
        backoff(backoff);
    }

    /**
     * Waits out the backoff while keeping the consumer in its group: the assigned partitions are paused
     * and polled until then; afterwards the partitions assigned by then are resumed, which are other
     * ones if a rebalance happened meanwhile.
     */
    void backoff(Duration backoff) {
        KafkaConsumer<String, String> kafka = consumer;
        kafka.pause(kafka.assignment());
        long until = System.nanoTime() + backoff.toNanos();
        while (running && System.nanoTime() < until) {
            kafka.poll(Duration.ofNanos(Math.max(1, Math.min(settings.poll().toNanos(), until - System.nanoTime()))));
        }
        kafka.resume(kafka.assignment());
    }
}
