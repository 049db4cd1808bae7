package io.wacast.campaign.messaging;

import java.time.temporal.ChronoUnit;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.reactive.messaging.annotations.Blocking;
import io.wacast.campaign.repository.AuditRepository;
import io.wacast.campaign.repository.AuditRepository.AuditEntry;
import io.wacast.common.auth.AuditedPath;
import io.wacast.common.event.AuditEvent;

/**
 * Writes the audit events of other services ({@code wacast.audit}) into the one audit log. A redelivered
 * event is written once (its event id is unique); a record that is not an AuditEvent is counted, logged
 * and skipped; a database failure is retried with backoff, and an entry that still cannot be written is
 * logged at ERROR and skipped so the log of everything after it flows (docs/DESIGN.md D21).
 */
@ApplicationScoped
public class AuditConsumer {

    private static final Logger LOG = Logger.getLogger(AuditConsumer.class);

    private final AuditRepository audit;
    private final ObjectMapper json;
    private final Counter unreadable;

    AuditConsumer(AuditRepository audit, ObjectMapper json, MeterRegistry registry) {
        this.audit = audit;
        this.json = json;
        this.unreadable = Counter.builder("wacast_audit_events_skipped_total").tag("reason", "unreadable")
                .description("wacast.audit records that were not audit events").register(registry);
    }

    @Incoming("audit")
    @Blocking
    @Retry(maxRetries = 8, delay = 500, maxDuration = 60, durationUnit = ChronoUnit.SECONDS, jitter = 200)
    public void write(String record) {
        AuditEvent event;
        try {
            event = json.readValue(record, AuditEvent.class);
        } catch (JsonProcessingException | RuntimeException e) {
            unreadable.increment();
            LOG.warnf("skipped a wacast.audit record that is not an audit event: %s", e.getMessage());
            return;
        }
        audit.record(new AuditEntry(0, cut(event.service(), 32), event.at(), cut(event.actor(), 100), event.actorKeyId(),
                cut(event.actorRole(), 16), cut(event.clientAddress() == null ? "unknown" : event.clientAddress(), 64),
                cut(event.method(), 8), AuditedPath.of(event.path(), null), event.status()), event.eventId());
    }

    private static String cut(String value, int max) {
        return value == null || value.length() <= max ? value : value.substring(0, max);
    }
}
