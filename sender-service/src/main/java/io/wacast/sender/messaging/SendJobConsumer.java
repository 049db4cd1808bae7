package io.wacast.sender.messaging;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.jboss.logging.Logger;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.wacast.common.Topics;
import io.wacast.sender.config.SenderConfig;
import io.wacast.sender.service.SendEngine;
import io.wacast.sender.service.ProcessIdentity;

/**
 * Reads {@code wacast.send-jobs} and hands every record to the {@link SendEngine} without ever
 * waiting on it: the poll loop only tracks offsets, commits those whose jobs are finished, and
 * pauses the partitions while the replica holds {@code max-pending-jobs}. On a rebalance it commits
 * what is finished and lets the new owner read the rest again; the send ledger makes that re-read
 * harmless.
 */
@ApplicationScoped
public class SendJobConsumer {

    private static final Logger LOG = Logger.getLogger(SendJobConsumer.class);
    private static final Duration COMMIT_EVERY = Duration.ofMillis(200);
    private static final Duration CONTROL_CATCH_UP = Duration.ofSeconds(30);

    private final KafkaSettings settings;
    private final SenderConfig config;
    private final SendEngine engine;
    private final CampaignControls controls;
    private final ThroughputSignals throughputSignals;
    private final Map<TopicPartition, PartitionOffsets> partitions = new ConcurrentHashMap<>();
    private volatile boolean running;
    private volatile KafkaConsumer<String, String> consumer;
    private Thread thread;

    public SendJobConsumer(KafkaSettings settings, SenderConfig config, SendEngine engine, CampaignControls controls,
            ThroughputSignals throughputSignals) {
        this.throughputSignals = throughputSignals;
        this.settings = settings;
        this.config = config;
        this.engine = engine;
        this.controls = controls;
    }

    void onStart(@Observes StartupEvent event) {
        controls.start();
        engine.start();
        throughputSignals.start();
        running = true;
        thread = new Thread(this::run, "send-jobs-consumer");
        thread.start();
    }

    /** Partitions of {@code wacast.send-jobs} this replica owns now. */
    public int assignedPartitions() {
        return partitions.size();
    }

    /** The poll loop runs (it restarts its Kafka client by itself after any failure). */
    public boolean isHealthy() {
        Thread loop = thread;
        return loop != null && loop.isAlive();
    }

    private void run() {
        // Read the pause/cancel state of every campaign first, so no job of a paused campaign slips out.
        long deadline = System.nanoTime() + CONTROL_CATCH_UP.toNanos();
        while (running && !controls.caughtUp() && System.nanoTime() < deadline) {
            java.util.concurrent.locks.LockSupport.parkNanos(Duration.ofMillis(50).toNanos());
        }
        while (running) {
            try (KafkaConsumer<String, String> c = new KafkaConsumer<>(groupSettings())) {
                consumer = c;
                poll(c);
                commit(c, true);
            } catch (WakeupException e) {
                // shutdown
            } catch (RuntimeException e) {
                LOG.errorf(e, "send-jobs consumer restarts");
                partitions.values().forEach(p -> p.revoked = true);
                partitions.clear();
            }
        }
    }

    /**
     * Cooperative rebalancing: a replica joining or leaving moves only the partitions that change
     * owner, while every other partition keeps flowing (an eager rebalance would stop the whole group
     * and drop every replica's unclaimed jobs). A short session lets the partitions of a replica that
     * died without leaving (kill -9, a lost node) move on within seconds instead of Kafka's 45.
     */
    private Map<String, Object> groupSettings() {
        Map<String, Object> group = settings.consumer("wacast-sender-jobs-" + ProcessIdentity.ID, config.consumerGroup(),
                config.autoOffsetReset());
        group.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, CooperativeStickyAssignor.class.getName());
        group.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, (int) config.sessionTimeout().toMillis());
        group.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, (int) Math.max(500, config.sessionTimeout().toMillis() / 4));
        return group;
    }

    private void poll(KafkaConsumer<String, String> c) {
        c.subscribe(List.of(Topics.SEND_JOBS), new Rebalance(c));
        long nextCommit = System.nanoTime() + COMMIT_EVERY.toNanos();
        boolean paused = false;
        while (running) {
            ConsumerRecords<String, String> records = c.poll(Duration.ofMillis(100));
            for (ConsumerRecord<String, String> record : records) {
                TopicPartition partition = new TopicPartition(record.topic(), record.partition());
                PartitionOffsets offsets = partitions.computeIfAbsent(partition, p -> new PartitionOffsets());
                PartitionOffsets.Entry entry = offsets.track(record.offset());
                if (record.value() == null) {
                    entry.finished();
                    continue;
                }
                engine.accept(record.value(), entry);
            }
            int pending = engine.pending();
            if (!paused && pending >= config.maxPendingJobs()) {
                c.pause(c.assignment());
                paused = true;
            } else if (paused && pending < config.maxPendingJobs() / 2) {
                c.resume(c.paused());
                paused = false;
            }
            if (System.nanoTime() >= nextCommit) {
                commit(c, false);
                nextCommit = System.nanoTime() + COMMIT_EVERY.toNanos();
            }
        }
    }

    private void commit(KafkaConsumer<String, String> c, boolean sync) {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        partitions.forEach((partition, tracked) -> {
            long next = tracked.toCommit();
            if (next >= 0) {
                offsets.put(partition, new OffsetAndMetadata(next));
            }
        });
        if (offsets.isEmpty()) {
            return;
        }
        if (sync) {
            c.commitSync(offsets);
            offsets.forEach((p, o) -> markCommitted(p, o.offset()));
        } else {
            c.commitAsync(offsets, (done, failure) -> {
                if (failure == null) {
                    done.forEach((p, o) -> markCommitted(p, o.offset()));
                } else {
                    LOG.debugf("offset commit failed, the next one covers it: %s%s", failure.getClass().getSimpleName(),
                            failure.getMessage() == null ? "" : " (" + failure.getMessage() + ")");
                }
            });
        }
    }

    private void markCommitted(TopicPartition partition, long offset) {
        PartitionOffsets tracked = partitions.get(partition);
        if (tracked != null) {
            tracked.committed(offset);
        }
    }

    /** Runs inside poll on the consumer thread. */
    private final class Rebalance implements ConsumerRebalanceListener {
        private final KafkaConsumer<String, String> c;

        Rebalance(KafkaConsumer<String, String> c) {
            this.c = c;
        }

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> revoked) {
            Map<TopicPartition, OffsetAndMetadata> finished = new HashMap<>();
            for (TopicPartition partition : revoked) {
                PartitionOffsets tracked = partitions.remove(partition);
                if (tracked != null) {
                    tracked.revoked = true;
                    long next = tracked.toCommit();
                    if (next >= 0) {
                        finished.put(partition, new OffsetAndMetadata(next));
                    }
                }
            }
            if (!finished.isEmpty()) {
                try {
                    c.commitSync(finished);
                } catch (RuntimeException e) {
                    LOG.warnf("commit on revocation failed; the new owner re-reads a little more: %s", e.getMessage());
                }
            }
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> assigned) {
            assigned.forEach(p -> partitions.put(p, new PartitionOffsets()));
            if (!c.paused().isEmpty()) {
                c.pause(assigned);
            }
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> lost) {
            lost.forEach(p -> {
                PartitionOffsets tracked = partitions.remove(p);
                if (tracked != null) {
                    tracked.revoked = true;
                }
            });
        }
    }

    void onStop(@Observes ShutdownEvent event) {
        running = false;
        KafkaConsumer<String, String> c = consumer;
        if (c != null) {
            c.wakeup();
        }
        engine.drain(Duration.ofSeconds(10));
        try {
            if (thread != null) {
                thread.join(5_000);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
