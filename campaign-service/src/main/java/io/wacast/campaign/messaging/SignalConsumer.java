package io.wacast.campaign.messaging;

import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
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
 * Consumes {@code wacast.account-signals} on its own thread ({@link PollLoop}), one signal per transaction, so that a
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
    private final PollLoop loop;
    private final Map<Result, Counter> results = new EnumMap<>(Result.class);

    SignalConsumer(CampaignConfig config, AccountSignals signals, ObjectMapper json, MeterRegistry registry,
            @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers) {
        this.config = config;
        this.signals = signals;
        this.json = json;
        this.loop = new PollLoop(LOG, bootstrapServers);
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
        loop.start(new PollLoop.Settings("signal", "campaign-signals", "campaign-service-signals",
                config.signals().groupId(), config.applier().autoOffsetReset(), 100, POLL,
                List.of(Topics.ACCOUNT_SIGNALS)), this::handleAll);
    }

    void stop(@Observes ShutdownEvent event) throws InterruptedException {
        loop.stop();
    }

    /** True once partitions are assigned and their positions known. */
    public boolean isAssigned() {
        return loop.isAssigned();
    }

    private void handleAll(ConsumerRecords<String, String> records) {
        for (ConsumerRecord<String, String> record : records) {
            results.get(handle(record)).increment();
        }
        loop.commit(records, "the signals");
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
        for (int attempt = 1; loop.isRunning(); attempt++) {
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
                loop.backoff(config.applier().retryBackoff());
            }
        }
        return Result.FAILED;
    }
}
