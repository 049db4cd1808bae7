package io.wacast.campaign.messaging;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.header.Header;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.wacast.campaign.config.CampaignConfig;
import io.wacast.campaign.repository.ParkedEventRepository.Origin;
import io.wacast.campaign.service.EventApplier;
import io.wacast.campaign.service.Evidence;
import io.wacast.campaign.service.EvidenceReader;
import io.wacast.campaign.service.ParkedEvents;
import io.wacast.common.Topics;

/**
 * Consumes {@code wacast.outcomes}, {@code wacast.events} and {@code wacast.orders} (orders are credited to
 * campaigns: docs/DESIGN.md §11 D18) with one plain Kafka consumer on its own thread ({@link PollLoop})
 * and hands every poll to the {@link EventApplier} as one batch. Offsets are committed only
 * after the batch's transaction committed; a failed batch is rewound and applied again after a
 * backoff (it is idempotent), with the partitions paused meanwhile so the group membership survives.
 * A poison record must not stop the stats: one that cannot be read is parked at once, and after
 * {@code batch-attempts} failures the batch is halved until the event that fails alone (while the
 * database answers) is found and parked ({@link ParkedEvents}); the rest of the batch is applied.
 * Records of event types the applier does not apply are counted and skipped.
 */
@ApplicationScoped
public class EventConsumer {

    private static final Logger LOG = Logger.getLogger(EventConsumer.class);
    private static final Duration POLL = Duration.ofMillis(500);

    private final CampaignConfig config;
    private final EventApplier applier;
    private final EvidenceReader reader;
    private final ParkedEvents parked;
    private final PollLoop loop;
    private final Counter malformed;
    private final Counter foreign;
    private final Timer batches;
    private final Timer freshness;
    /** Failed tries of the batch at the head of the assigned partitions; only the consumer thread uses it. */
    private int failedTries;

    /** A record and what the applier reads in it. */
    private record Item(ConsumerRecord<String, String> record, Evidence evidence) {
    }

    EventConsumer(CampaignConfig config, EventApplier applier, EvidenceReader reader, ParkedEvents parked,
            MeterRegistry registry,
            @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers) {
        this.config = config;
        this.applier = applier;
        this.reader = reader;
        this.parked = parked;
        this.loop = new PollLoop(LOG, bootstrapServers);
        String name = "wacast.applier.events";
        String description = "Outcomes and webhook events consumed by the applier";
        this.malformed = Counter.builder(name).description(description).tag("result", "malformed").register(registry);
        this.foreign = Counter.builder(name).description(description).tag("result", "foreign").register(registry);
        this.batches = Timer.builder("wacast.applier.batch").description("Time to apply one polled batch").register(registry);
        this.freshness = Timer.builder("wacast.applier.freshness")
                .description("Time from an outcome or webhook event being published to its batch's commit: how far"
                        + " the counters are behind the events (DESIGN §8: ≤ 2 s at p99)")
                // finite buckets up to 10 min, so a tail of minutes is read as such, not as +Inf
                .publishPercentileHistogram().minimumExpectedValue(Duration.ofMillis(5))
                .maximumExpectedValue(Duration.ofMinutes(10)).register(registry);
    }

    void start(@Observes StartupEvent event) {
        if (!config.applier().enabled()) {
            LOG.info("applier disabled (wacast.campaign.applier.enabled=false)");
            return;
        }
        loop.start(new PollLoop.Settings("applier", "campaign-applier", "campaign-service-applier",
                config.applier().groupId(), config.applier().autoOffsetReset(), config.applier().batchSize(), POLL,
                List.of(Topics.OUTCOMES, Topics.EVENTS, Topics.ORDERS)), this::applyOrRewind);
    }

    void stop(@Observes ShutdownEvent event) throws InterruptedException {
        loop.stop();
    }

    /** True once partitions are assigned and their positions known: records published from now on are applied. */
    public boolean isAssigned() {
        return loop.isAssigned();
    }

    private void applyOrRewind(ConsumerRecords<String, String> records) {
        List<Item> items;
        try {
            items = read(records);
        } catch (RuntimeException e) {
            LOG.warnf("parking an unreadable record failed, retrying the batch after %s: %s",
                    config.applier().retryBackoff(), e.getMessage());
            rewind(records);
            return;
        }
        try {
            if (!items.isEmpty()) {
                batches.record(() -> applier.apply(evidence(items)));
            }
            failedTries = 0;
        } catch (RuntimeException e) {
            failedTries++;
            if (failedTries < config.applier().batchAttempts()) {
                LOG.warnf("applying %d events failed (try %d of %d), retrying after %s: %s", items.size(), failedTries,
                        config.applier().batchAttempts(), config.applier().retryBackoff(), e.getMessage());
                rewind(records);
                return;
            }
            LOG.warnf("applying %d events failed %d times, looking for the event that fails them: %s", items.size(),
                    failedTries, e.getMessage());
            int half = items.size() / 2;
            if (!isolate(items.subList(0, half)) || !isolate(items.subList(half, items.size()))) {
                LOG.warnf("the database stopped answering, retrying the batch after %s", config.applier().retryBackoff());
                rewind(records);
                return;
            }
            failedTries = 0;
        }
        long appliedAt = System.currentTimeMillis();
        for (ConsumerRecord<String, String> record : records) {
            freshness.record(Math.max(0, appliedAt - record.timestamp()), TimeUnit.MILLISECONDS);
        }
        loop.commit(records, "the batch");
    }

    /**
     * Applies the items, halving a part that fails until the event that fails alone is found and
     * parked. False when a failure was the database's (it stopped answering): nothing is parked for it.
     */
    private boolean isolate(List<Item> items) {
        if (items.isEmpty()) {
            return true;
        }
        try {
            applier.apply(evidence(items));
            return true;
        } catch (RuntimeException e) {
            if (!parked.databaseAnswers()) {
                return false;
            }
            if (items.size() == 1) {
                park(items.get(0).record(), e, failedTries + 1);
                return true;
            }
            int half = items.size() / 2;
            return isolate(items.subList(0, half)) && isolate(items.subList(half, items.size()));
        }
    }

    private static List<Evidence> evidence(List<Item> items) {
        return items.stream().map(Item::evidence).toList();
    }

    /** Seeks back to the batch's first offsets and waits out the backoff without leaving the group. */
    private void rewind(ConsumerRecords<String, String> records) {
        loop.rewind(records, config.applier().retryBackoff());
    }

    /**
     * The records' evidence. One that cannot be read is parked (it would fail every time); one of an
     * event type the applier does not apply is another service's business on the shared topic.
     */
    private List<Item> read(ConsumerRecords<String, String> records) {
        List<Item> items = new ArrayList<>(records.count());
        for (ConsumerRecord<String, String> record : records) {
            try {
                reader.read(record.topic(), eventType(record), record.value()).ifPresentOrElse(
                        evidence -> items.add(new Item(record, evidence)), foreign::increment);
            } catch (EvidenceReader.UnreadableRecordException e) {
                malformed.increment();
                park(record, e, 1);
            }
        }
        return items;
    }

    private void park(ConsumerRecord<String, String> record, RuntimeException failure, int attempts) {
        parked.park(new Origin(record.topic(), record.partition(), record.offset(), record.key(), eventType(record)),
                record.value(), failure, attempts);
    }

    private static String eventType(ConsumerRecord<String, String> record) {
        Header type = record.headers().lastHeader(Topics.EVENT_TYPE_HEADER);
        return type == null ? null : new String(type.value(), StandardCharsets.UTF_8);
    }
}
