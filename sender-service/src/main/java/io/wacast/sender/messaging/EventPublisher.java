package io.wacast.sender.messaging;

import java.util.concurrent.CompletableFuture;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.wacast.common.Topics;
import io.wacast.common.event.Outcome;
import io.wacast.common.event.SendJob;

/**
 * Publishes outcomes (keyed by campaign id) and re-published jobs (keyed by recipient phone) with
 * acks=all and idempotence. Every send returns a future completed on the broker's ack: a job's
 * offset is committed only after that.
 */
@ApplicationScoped
public class EventPublisher {

    private final KafkaProducer<String, String> producer;
    private final ObjectMapper json;

    public EventPublisher(KafkaSettings settings, ObjectMapper json) {
        this.producer = new KafkaProducer<>(settings.producer("wacast-sender-" + ProcessIdentity.ID));
        this.json = json;
    }

    public String toJson(Object event) {
        try {
            return json.writeValueAsString(event);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise " + event.getClass().getSimpleName(), e);
        }
    }

    public CompletableFuture<Void> outcome(Outcome outcome) {
        return outcomeJson(outcome.campaignId(), toJson(outcome));
    }

    /** Republishes an outcome exactly as recorded in the ledger (same eventId, so consumers dedupe it). */
    public CompletableFuture<Void> outcomeJson(long campaignId, String outcomeJson) {
        return send(Topics.OUTCOMES, Long.toString(campaignId), outcomeJson);
    }

    public CompletableFuture<Void> job(SendJob job) {
        return send(Topics.SEND_JOBS, job.to(), toJson(job));
    }

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
