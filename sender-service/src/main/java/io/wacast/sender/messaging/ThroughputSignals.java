package io.wacast.sender.messaging;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.wacast.common.Topics;
import io.wacast.common.event.AccountSignal;
import io.wacast.sender.config.SenderConfig;
import io.wacast.sender.service.ProcessIdentity;
import io.wacast.sender.service.SendEngine;

/**
 * Meta's throughput upgrades of this deployment's numbers, read by every replica from the whole
 * {@code wacast.account-signals} (no consumer group: every replica keeps every number's schedule, and
 * a restarted one reads the upgrades again from the start of the topic). A {@code phone_number_quality_update}
 * THROUGHPUT_UPGRADE of a number in {@code display-numbers} raises its cap to {@code upgraded-throughput}
 * in the shared schedule without a restart. Other signals are the campaign service's business.
 */
@ApplicationScoped
public class ThroughputSignals {

    private static final Logger LOG = Logger.getLogger(ThroughputSignals.class);
    static final String THROUGHPUT_UPGRADE = "THROUGHPUT_UPGRADE";

    private final KafkaSettings settings;
    private final ObjectMapper json;
    private final SendEngine engine;
    private final SenderConfig config;
    private final Map<String, String> idByDisplay = new HashMap<>();
    private volatile boolean running;
    private volatile KafkaConsumer<String, String> consumer;

    public ThroughputSignals(KafkaSettings settings, ObjectMapper json, SendEngine engine, SenderConfig config) {
        this.settings = settings;
        this.json = json;
        this.engine = engine;
        this.config = config;
        Set<String> sending = Set.copyOf(config.phoneNumberIds());
        config.displayNumbers().forEach((id, display) -> {
            if (sending.contains(id)) {
                idByDisplay.put(display.replaceAll("\\D", ""), id);
            }
        });
    }

    public synchronized void start() {
        if (running || !config.throughputSignals() || idByDisplay.isEmpty()) {
            return;
        }
        running = true;
        Thread thread = new Thread(this::run, "throughput-signal-reader");
        thread.setDaemon(true);
        thread.start();
    }

    /** Applies one signal; true if it raised a number's cap. */
    public boolean apply(AccountSignal signal) {
        if (!AccountSignal.NUMBER_QUALITY.equals(signal.field()) || !THROUGHPUT_UPGRADE.equals(signal.event())
                || signal.displayPhoneNumber() == null) {
            return false;
        }
        String id = idByDisplay.get(signal.displayPhoneNumber().replaceAll("\\D", ""));
        if (id == null) {
            return false;
        }
        boolean raised = engine.raiseThroughput(id, config.upgradedThroughput());
        if (raised) {
            LOG.infof("Meta upgraded the throughput of number %s (%s): its schedule now allows %d msg/s", id,
                    signal.displayPhoneNumber(), config.upgradedThroughput());
        }
        return raised;
    }

    private void run() {
        while (running) {
            try (KafkaConsumer<String, String> c = new KafkaConsumer<>(
                    settings.consumer("wacast-sender-signals-" + ProcessIdentity.ID, null, "earliest"))) {
                consumer = c;
                List<TopicPartition> partitions = c.partitionsFor(Topics.ACCOUNT_SIGNALS, Duration.ofSeconds(30)).stream()
                        .map(info -> new TopicPartition(info.topic(), info.partition()))
                        .toList();
                c.assign(partitions);
                c.seekToBeginning(partitions);
                while (running) {
                    for (ConsumerRecord<String, String> record : c.poll(Duration.ofMillis(500))) {
                        read(record);
                    }
                }
            } catch (WakeupException e) {
                return;
            } catch (RuntimeException e) {
                LOG.warnf("throughput signal reader restarts after: %s", e.toString());
            }
        }
    }

    private void read(ConsumerRecord<String, String> record) {
        if (record.value() == null) {
            return;
        }
        try {
            apply(json.readValue(record.value(), AccountSignal.class));
        } catch (Exception e) {
            LOG.warnf("ignored an unreadable account signal at %s-%d@%d: %s", record.topic(), record.partition(),
                    record.offset(), e.getMessage());
        }
    }

    @PreDestroy
    void stop() {
        running = false;
        KafkaConsumer<String, String> c = consumer;
        if (c != null) {
            c.wakeup();
        }
    }
}
