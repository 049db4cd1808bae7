package io.wacast.campaign.messaging;

import java.time.Duration;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.wacast.campaign.config.CampaignConfig;
import io.wacast.campaign.service.AccountSignals;
import io.wacast.common.Topics;
import io.wacast.common.event.AccountSignal;

/**
 * Consumes {@code wacast.account-signals} on its own thread, one signal per transaction, so that a
 * paused template pauses its campaigns as soon as the webhook arrives, whatever the applier is busy
 * with. A record that cannot be read is counted and skipped; a signal whose application keeps failing
 * is retried {@code signals.attempts} times, then logged at ERROR with its payload and skipped, so one
 * bad signal never stalls the others (metric {@code wacast_campaign_signals_total{result}}).
 */
@ApplicationScoped
public class SignalConsumer {

    private static final Logger LOG = Logger.getLogger(SignalConsumer.class);
    private static final Duration POLL = Duration.ofMillis(250);

    /** How a record ended. */
    enum Result {
        APPLIED, DUPLICATE, STALE, UNMATCHED, MALFORMED, FAILED
    }

    private final CampaignConfig config;
    private final AccountSignals signals;
    private final ObjectMapper json;
    private final String bootstrapServers;
    private final Map<Result, Counter> results = new EnumMap<>(Result.class);
    private volatile boolean running;
    private volatile boolean assigned;
    private volatile Thread thread;
    private volatile KafkaConsumer<String, String> consumer;

    SignalConsumer(CampaignConfig config, AccountSignals signals, ObjectMapper json, MeterRegistry registry,
            @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers) {
        this.config = config;
        this.signals = signals;
        this.json = json;
        this.bootstrapServers = bootstrapServers;
        for (Result result : Result.values()) {
            results.put(result, Counter.builder("wacast.campaign.signals")
                    .description("Account signals (templates, numbers, portfolio, account) by what they did")
                    .tag("result", result.name().toLowerCase(Locale.ROOT)).register(registry));
        }
    }

    void start(@Observes StartupEvent event) {
        if (!config.signals().enabled()) {
            LOG.info("account signals disabled (wacast.campaign.signals.enabled=false)");
            return;
        }
        running = true;
        thread = new Thread(this::run, "campaign-signals");
        thread.setDaemon(true);
        thread.start();
    }

    void stop(@Observes ShutdownEvent event) throws InterruptedException {
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

    /** True once partitions are assigned and their positions known. */
    public boolean isAssigned() {
        return assigned;
    }

    private void run() {
        Map<String, Object> settings = new HashMap<>();
        settings.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        settings.put(ConsumerConfig.GROUP_ID_CONFIG, config.signals().groupId());
        settings.put(ConsumerConfig.CLIENT_ID_CONFIG, "campaign-service-signals");
        settings.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, config.applier().autoOffsetReset());
        settings.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        settings.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 100);
        settings.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 100);
        try (KafkaConsumer<String, String> kafka = new KafkaConsumer<>(settings, new StringDeserializer(), new StringDeserializer())) {
            consumer = kafka;
            kafka.subscribe(List.of(Topics.ACCOUNT_SIGNALS), new ConsumerRebalanceListener() {
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
                ConsumerRecords<String, String> records = kafka.poll(POLL);
                if (records.isEmpty()) {
                    continue;
                }
                Map<TopicPartition, OffsetAndMetadata> next = new HashMap<>();
                for (ConsumerRecord<String, String> record : records) {
                    results.get(handle(record)).increment();
                    next.put(new TopicPartition(record.topic(), record.partition()), new OffsetAndMetadata(record.offset() + 1));
                }
                try {
                    kafka.commitSync(next);
                } catch (org.apache.kafka.common.KafkaException e) {
                    LOG.infof("offset commit failed, the signals will be redelivered and deduplicated: %s", e.getMessage());
                }
            }
        } catch (WakeupException e) {
            if (running) {
                LOG.error("signal consumer woken up unexpectedly", e);
            }
        } catch (RuntimeException e) {
            LOG.error("signal consumer stopped", e);
        } finally {
            assigned = false;
            consumer = null;
        }
    }

    private Result handle(ConsumerRecord<String, String> record) {
        AccountSignal signal;
        try {
            if (record.value() == null) {
                throw new IllegalArgumentException("empty record");
            }
            signal = json.readValue(record.value(), AccountSignal.class);
            if (signal.field() == null || signal.event() == null) {
                throw new IllegalArgumentException("no field or event");
            }
        } catch (java.io.IOException | RuntimeException e) {
            LOG.warnf("skipping unreadable account signal %s-%d@%d: %s", record.topic(), record.partition(),
                    record.offset(), e.getMessage());
            return Result.MALFORMED;
        }
        int attempts = Math.max(1, config.signals().attempts());
        for (int attempt = 1; running; attempt++) {
            try {
                return Result.valueOf(signals.apply(signal).name());
            } catch (RuntimeException e) {
                if (attempt >= attempts) {
                    LOG.errorf(e, "skipping account signal %s-%d@%d after %d attempts: %s", record.topic(),
                            record.partition(), record.offset(), attempts, record.value());
                    return Result.FAILED;
                }
                LOG.warnf("applying account signal %s failed (attempt %d of %d), retrying after %s: %s",
                        signal.eventId(), attempt, attempts, config.applier().retryBackoff(), e.getMessage());
                backoff();
            }
        }
        return Result.FAILED;
    }

    /** Waits out the backoff while keeping the consumer in its group (no sleep on the poll thread). */
    private void backoff() {
        KafkaConsumer<String, String> kafka = consumer;
        var paused = kafka.assignment();
        kafka.pause(paused);
        long until = System.nanoTime() + config.applier().retryBackoff().toNanos();
        while (running && System.nanoTime() < until) {
            kafka.poll(Duration.ofNanos(Math.max(1, Math.min(POLL.toNanos(), until - System.nanoTime()))));
        }
        kafka.resume(paused);
    }
}
