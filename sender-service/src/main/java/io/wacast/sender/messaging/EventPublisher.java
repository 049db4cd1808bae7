package io.wacast.sender.messaging;

import java.util.concurrent.CompletableFuture;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

import io.wacast.common.Topics;
import io.wacast.sender.service.OutcomeSink;
import io.wacast.sender.service.ProcessIdentity;
import io.wacast.sender.service.SendJobSink;

/**
 * Publishes outcomes (keyed by campaign id) and re-published jobs (keyed by recipient phone) with
 * acks=all and idempotence. Every send returns a future completed on the broker's ack: a job's
 * offset is committed only after that.
 */
@ApplicationScoped
public class EventPublisher implements OutcomeSink, SendJobSink {

    private final KafkaProducer<String, String> producer;

    public EventPublisher(KafkaSettings settings) {
        this.producer = new KafkaProducer<>(settings.producer("wacast-sender-" + ProcessIdentity.ID));
    }

    /** Publishes an outcome exactly as serialised (a republished one keeps its eventId, so consumers dedupe it). */
    @Override
    public CompletableFuture<Void> outcomeJson(long campaignId, String outcomeJson) {
        return send(Topics.OUTCOMES, Long.toString(campaignId), outcomeJson);
    }

    @Override
    public CompletableFuture<Void> jobJson(String key, String jobJson) {
        return send(Topics.SEND_JOBS, key, jobJson);
    }

    private CompletableFuture<Void> send(String topic, String key, String value) {
        CompletableFuture<Void> acked = new CompletableFuture<>();
        try {
            producer.send(new ProducerRecord<>(topic, key, value), (metadata, failure) -> {
                if (failure == null) {
                    acked.complete(null);
                } else {
                    acked.completeExceptionally(failure);
                }
            });
        } catch (RuntimeException e) {
            acked.completeExceptionally(e);
        }
        return acked;
    }

    @PreDestroy
    void close() {
        producer.close(java.time.Duration.ofSeconds(5));
    }
}
