package io.wacast.campaign.messaging;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.wacast.campaign.config.CampaignConfig;
import io.wacast.campaign.repository.OutboxRepository;
import io.wacast.campaign.repository.OutboxRepository.Message;

/**
 * Publishes outbox rows to Kafka (acks=all, idempotent producer) and deletes them only after the
 * broker acknowledged every one, in the transaction that claimed them. A crash before the delete
 * commits publishes the same messages again: consumers dedupe by jobId and control version, so
 * nothing is lost and nothing is sent twice. Runs on a thread of its own, so the dispatcher writes
 * the next round while Kafka acknowledges this one; the claim takes no gap lock
 * ({@link OutboxRepository#claim}), so the two never wait for each other.
 */
@ApplicationScoped
public class OutboxRelay {

    private static final Logger LOG = Logger.getLogger(OutboxRelay.class);
    private static final Duration IDLE = Duration.ofSeconds(1);
    private static final Duration FAILURE_BACKOFF = Duration.ofSeconds(1);

    private final OutboxRepository outbox;
    private final CampaignConfig config;
    private final KafkaProducer<String, String> producer;
    private final Counter published;
    private final Object signal = new Object();
    private boolean woken;
    private volatile boolean running;
    private volatile Thread thread;

    OutboxRelay(OutboxRepository outbox, CampaignConfig config, MeterRegistry registry,
            @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers) {
        this.outbox = outbox;
        this.config = config;
        this.producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.LINGER_MS_CONFIG, 5,
                ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024,
                ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4",
                ProducerConfig.CLIENT_ID_CONFIG, "campaign-service-outbox"),
                new StringSerializer(), new StringSerializer());
        this.published = Counter.builder("wacast.outbox.published").description("Outbox messages acknowledged by Kafka")
                .register(registry);
    }

    void start(@Observes StartupEvent event) {
        if (!config.dispatch().enabled()) {
            return;
        }
        running = true;
        thread = new Thread(this::run, "outbox-relay");
        thread.setDaemon(true);
        thread.start();
    }

    void stop(@Observes ShutdownEvent event) throws InterruptedException {
        running = false;
        wake();
        Thread relay = thread;
        if (relay != null) {
            relay.join(TimeUnit.SECONDS.toMillis(15));
        }
    }

    /** Tells the relay thread the outbox has new rows (a dispatch round or a control message committed). */
    public void wake() {
        synchronized (signal) {
            woken = true;
            signal.notifyAll();
        }
    }

    /**
     * Drains the outbox, then waits to be woken, or for {@link #IDLE} at most (control messages of
     * operator actions); after a failure it waits out the backoff whatever wakes it.
     */
    private void run() {
        while (running) {
            boolean failed = false;
            try {
                drain();
            } catch (RuntimeException e) {
                LOG.warnf("outbox relay round failed; retrying in %s: %s", FAILURE_BACKOFF, e.getMessage());
                failed = true;
            }
            synchronized (signal) {
                long until = System.nanoTime() + (failed ? FAILURE_BACKOFF : IDLE).toNanos();
                while ((failed || !woken) && running && System.nanoTime() < until) {
                    try {
                        TimeUnit.NANOSECONDS.timedWait(signal, until - System.nanoTime());
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
                woken = false;
            }
        }
    }

    /** Publishes until the outbox is empty or a round fails; returns how many messages went out. */
    public int drain() {
        int total = 0;
        int sent;
        do {
            sent = QuarkusTransaction.requiringNew().timeout(120).call(this::publishOneRound);
            total += sent;
        } while (sent > 0);
        return total;
    }

    /**
     * Claims, publishes, and deletes after the acks, in the caller's transaction. Package-private so
     * the crash test can run a round in a transaction it rolls back: the state a crash between the
     * broker's acks and the commit of the delete leaves behind.
     */
    int publishOneRound() throws Exception {
        List<Message> messages = outbox.claimRows(config.relay().batchSize());
        if (messages.isEmpty()) {
            return 0;
        }
        List<Future<RecordMetadata>> acks = new ArrayList<>(messages.size());
        for (Message message : messages) {
            acks.add(producer.send(new ProducerRecord<>(message.topic(), message.key(), message.payload())));
        }
        producer.flush();
        long deadline = System.nanoTime() + config.relay().ackTimeout().toNanos();
        try {
            for (Future<RecordMetadata> ack : acks) {
                ack.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            }
        } catch (ExecutionException | TimeoutException e) {
            LOG.warnf("Kafka did not acknowledge %d outbox messages, they stay for the next round: %s",
                    messages.size(), e.getMessage());
            throw e;
        }
        outbox.delete(messages);
        published.increment(messages.size());
        return messages.size();
    }

    @PreDestroy
    void close() {
        producer.close(Duration.ofSeconds(5));
    }
}
