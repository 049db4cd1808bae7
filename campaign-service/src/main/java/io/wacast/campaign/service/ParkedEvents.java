package io.wacast.campaign.service;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.wacast.campaign.repository.ParkedEventRepository;
import io.wacast.campaign.repository.ParkedEventRepository.Origin;
import io.wacast.campaign.repository.ParkedEventRepository.ParkedEvent;
import io.wacast.common.text.FailureReason;

/**
 * The applier's dead letters (docs/DESIGN.md §7): a record it could not read, or could not apply
 * while the database answered everything else, is parked here with the reason — with a metric and an
 * ERROR line to alert on — so that the records after it are applied. An admin lists them and replays
 * one once its cause is fixed; applying is idempotent, so a replay never counts anything twice.
 */
@ApplicationScoped
public class ParkedEvents {

    private static final Logger LOG = Logger.getLogger(ParkedEvents.class);
    private static final int MAX_REASON = 1000;

    /** One page of parked events, newest first. */
    public record ParkedPage(List<ParkedEvent> items, int page, int size, long total) {
    }

    private final ParkedEventRepository repository;
    private final EvidenceReader reader;
    private final EventApplier applier;
    private final Counter parked;

    ParkedEvents(ParkedEventRepository repository, EvidenceReader reader, EventApplier applier, MeterRegistry registry) {
        this.repository = repository;
        this.reader = reader;
        this.applier = applier;
        this.parked = Counter.builder("wacast.applier.parked")
                .description("Outcomes and webhook events parked after their retries failed or because they cannot be read")
                .register(registry);
    }

    /** Parks the record (once, however often it is redelivered); throws when the database does not answer. */
    public void park(Origin origin, String payload, Throwable failure, int attempts) {
        String reason = reason(failure);
        if (repository.park(origin, payload, reason, Instant.now())) {
            parked.increment();
            LOG.errorf("Parked the record at %s-%d@%d after %d attempt(s); the records after it flow on: %s",
                    origin.topic(), origin.partition(), origin.offset(), attempts, reason);
        }
    }

    /** Whether the database answers at all: a failure while it does is the event's, not the database's. */
    public boolean databaseAnswers() {
        try {
            repository.count();
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** Deletes parked events older than {@code cutoff}, in chunks. */
    public void purge(Instant cutoff) {
        int deleted;
        do {
            deleted = repository.purge(cutoff, 10_000);
        } while (deleted == 10_000);
    }

    public ParkedPage list(int page, int size) {
        return new ParkedPage(repository.page(page, size), page, size, repository.count());
    }

    /**
     * Applies a parked record again and marks it replayed by {@code caller}: 404 when there is none,
     * 409 when it was replayed before, 422 with the reason (and nothing changed) when it still fails.
     */
    public ParkedEvent replay(long id, String caller) {
        ParkedEvent event = repository.find(id).orElseThrow(() -> ProblemException.notFound("parked event", id));
        if (event.replayedAt() != null) {
            throw ProblemException.conflict("parked event " + id + " was replayed at " + event.replayedAt() + " by "
                    + event.replayedBy());
        }
        try {
            Optional<Evidence> evidence = reader.read(event.origin().topic(), event.origin().eventType(), event.payload());
            evidence.ifPresent(e -> applier.apply(List.of(e)));
        } catch (RuntimeException e) {
            String reason = reason(e);
            LOG.warnf("Replaying parked event %d failed again: %s", id, reason);
            throw ProblemException.unprocessable("the parked event still cannot be applied: " + reason, List.of());
        }
        if (!repository.markReplayed(id, caller, Instant.now())) {
            throw ProblemException.conflict("parked event " + id + " was replayed by another request meanwhile");
        }
        return repository.find(id).orElseThrow();
    }

    private static String reason(Throwable failure) {
        return failure instanceof EvidenceReader.UnreadableRecordException
                ? FailureReason.safe(failure.getMessage(), MAX_REASON)
                : FailureReason.of(failure, MAX_REASON);
    }
}
