package io.wacast.webhook.service;

import io.smallrye.mutiny.Uni;
import io.wacast.webhook.config.WebhookConfig;
import io.wacast.webhook.domain.PublishableEvent;
import io.wacast.webhook.domain.WebhookBatch;
import io.wacast.webhook.messaging.EventPublisher;
import io.wacast.webhook.service.WebhookMetrics.RequestOutcome;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * One webhook delivery, in the order Meta's contract needs: size, then signature over the raw
 * bytes, then parsing, then dropping what this replica already published, then publishing and
 * waiting for Kafka's acknowledgement. The receipt is produced only after that acknowledgement.
 */
@ApplicationScoped
public class WebhookIngest {

    private static final Logger LOG = Logger.getLogger(WebhookIngest.class);

    private final WebhookSignature signature;
    private final WebhookPayloadReader reader;
    private final DedupeWindow dedupe;
    private final EventPublisher publisher;
    private final WebhookMetrics metrics;
    private final long maxBodyBytes;

    @Inject
    WebhookIngest(WebhookSignature signature, WebhookPayloadReader reader, DedupeWindow dedupe,
            EventPublisher publisher, WebhookMetrics metrics, WebhookConfig config) {
        this.signature = signature;
        this.reader = reader;
        this.dedupe = dedupe;
        this.publisher = publisher;
        this.metrics = metrics;
        this.maxBodyBytes = config.maxBodySize().asLongValue();
    }

    public long maxBodyBytes() {
        return maxBodyBytes;
    }

    public Uni<WebhookReceipt> ingest(byte[] body, String signatureHeader) {
        long start = System.nanoTime();
        if (body.length > maxBodyBytes) {
            metrics.request(RequestOutcome.TOO_LARGE);
            throw new WebhookTooLargeException(maxBodyBytes);
        }
        if (!signature.matches(body, signatureHeader)) {
            metrics.request(RequestOutcome.INVALID_SIGNATURE);
            LOG.debugf("Refused a webhook of %d bytes: %s", body.length,
                    signatureHeader == null ? "no signature header" : "signature does not match");
            throw new InvalidSignatureException(signatureHeader == null
                    ? "the X-Hub-Signature-256 header is missing"
                    : "X-Hub-Signature-256 does not match the body for any configured app secret");
        }
        WebhookBatch batch;
        try {
            batch = reader.read(body, Instant.now());
        } catch (MalformedWebhookException e) {
            metrics.request(RequestOutcome.MALFORMED);
            throw e;
        }
        batch.ignored().forEach(metrics::ignored);

        List<PublishableEvent> fresh = new ArrayList<>(batch.events().size());
        Set<UUID> ids = new HashSet<>();
        for (PublishableEvent event : batch.events()) {
            if (!dedupe.contains(event.eventId()) && ids.add(event.eventId())) {
                fresh.add(event);
            }
        }
        int duplicates = batch.events().size() - fresh.size();
        metrics.duplicates(duplicates);
        WebhookReceipt receipt = new WebhookReceipt(fresh.size(), duplicates, batch.ignored().size());
        if (fresh.isEmpty()) {
            metrics.request(batch.events().isEmpty() ? RequestOutcome.IGNORED : RequestOutcome.DUPLICATE);
            metrics.acknowledged(start);
            return Uni.createFrom().item(receipt);
        }
        return publisher.publish(fresh)
                .onItem().transform(done -> {
                    dedupe.rememberAll(ids);
                    fresh.forEach(metrics::published);
                    metrics.request(RequestOutcome.ACCEPTED);
                    metrics.acknowledged(start);
                    return receipt;
                })
                .onFailure().invoke(failure -> {
                    metrics.request(RequestOutcome.UNAVAILABLE);
                    LOG.warnf("Answering 503 to a webhook of %d events: %s", fresh.size(), failure.getMessage());
                });
    }

    /**
     * What the delivery turned into; Meta ignores the body, people reading logs or tests do not.
     *
     * @param published events acknowledged by Kafka
     * @param duplicates events this replica had already published
     * @param ignored entries acknowledged without an event (unknown fields, types, statuses)
     */
    public record WebhookReceipt(int published, int duplicates, int ignored) {
    }
}
