package io.wacast.sender.messaging;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.wacast.common.Topics;
import io.wacast.common.event.AccountSignal;
import io.wacast.sender.config.SenderConfig;
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

    private final SendEngine engine;
    private final SenderConfig config;
    private final Map<String, String> idByDisplay = new HashMap<>();
    private final WholeTopicReader<AccountSignal> reader;

    public ThroughputSignals(KafkaSettings settings, ObjectMapper json, SendEngine engine, SenderConfig config) {
        this.engine = engine;
        this.config = config;
        Set<String> sending = Set.copyOf(config.phoneNumberIds());
        config.displayNumbers().forEach((id, display) -> {
            if (sending.contains(id)) {
                idByDisplay.put(display.replaceAll("\\D", ""), id);
            }
        });
        this.reader = new WholeTopicReader<>(new WholeTopicReader.Source(Topics.ACCOUNT_SIGNALS,
                "wacast-sender-signals-", "throughput-signal-reader", Duration.ofMillis(500), "throughput signal reader",
                "account signal"), settings, json, AccountSignal.class, this::apply, null);
    }

    public void start() {
        if (!config.throughputSignals() || idByDisplay.isEmpty()) {
            return;
        }
        reader.start();
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

    @PreDestroy
    void stop() {
        reader.stop();
    }
}
