package io.wacast.campaign.service;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.wacast.campaign.repository.PauseRequestRepository;
import io.wacast.campaign.repository.ProcessedEventRepository;
import io.wacast.campaign.repository.RecipientRepository;
import io.wacast.campaign.repository.RecipientRepository.Applicable;

/**
 * Applies a batch of outcomes and webhook events (docs/DESIGN.md §2 step 5, §4) in one transaction,
 * then hands the result to {@link CampaignReactions}. Idempotent on eventId (processed event ids);
 * recipient statuses only move forward ({@link RecipientSteps}); answers are credited by
 * {@link EngagementCredits}; the status counters, timeline buckets and error breakdown change in the
 * same transaction as the recipient rows ({@link BatchWriter}), so they change exactly once per
 * transition and always equal the rows. Recipient rows are locked before counter rows, as everywhere.
 * Campaign rows change afterwards, in transactions of their own (auto-pause, account stop,
 * completion), so the applier never holds a recipient lock while waiting for a campaign row the
 * dispatcher holds. The pauses a batch calls for are recorded in the batch's transaction
 * ({@link PauseRequestRepository}) and performed from there: once the batch committed, its events are
 * duplicates, and a redelivery would never call for the pause again.
 */
@ApplicationScoped
public class EventApplier {

    /** What one batch did, and what it asks of campaign rows once committed. */
    public record Result(int applied, int duplicates, int skipped, int mismatched, Set<Long> failuresIn,
            Set<Long> touched) {
    }

    private final ProcessedEventRepository processed;
    private final RecipientRepository recipients;
    private final UserIdentities identities;
    private final CampaignCharges charges;
    private final EventTargets targets;
    private final EngagementCredits credits;
    private final BatchWriter writer;
    private final CampaignReactions reactions;
    private final Counter applied;
    private final Counter duplicates;
    private final Counter skipped;
    private final Counter mismatched;

    EventApplier(ProcessedEventRepository processed, RecipientRepository recipients, UserIdentities identities,
            CampaignCharges charges, EventTargets targets, EngagementCredits credits, BatchWriter writer,
            CampaignReactions reactions, MeterRegistry registry) {
        this.processed = processed;
        this.recipients = recipients;
        this.identities = identities;
        this.charges = charges;
        this.targets = targets;
        this.credits = credits;
        this.writer = writer;
        this.reactions = reactions;
        String name = "wacast.applier.events";
        String description = "Outcomes and webhook events consumed by the applier";
        this.applied = Counter.builder(name).description(description).tag("result", "applied").register(registry);
        this.duplicates = Counter.builder(name).description(description).tag("result", "duplicate").register(registry);
        this.skipped = Counter.builder(name).description(description).tag("result", "skipped").register(registry);
        this.mismatched = Counter.builder(name).description(description).tag("result", "mismatched").register(registry);
    }

    /** Applies the batch, then the campaign changes it calls for; safe to call again with the same batch. */
    public Result apply(List<Evidence> batch) {
        Result result = commit(batch);
        reactions.react(result);
        return result;
    }

    /**
     * The batch's own transaction, without the campaign changes that follow it. Package-private so a
     * test can stop right after it, where a crash or a failed pause transaction would leave things.
     */
    Result commit(List<Evidence> batch) {
        Result result = QuarkusTransaction.requiringNew().timeout(120).call(() -> applyInTransaction(batch));
        applied.increment(result.applied());
        duplicates.increment(result.duplicates());
        skipped.increment(result.skipped());
        mismatched.increment(result.mismatched());
        return result;
    }

    private Result applyInTransaction(List<Evidence> batch) {
        Instant now = Instant.now();
        Map<String, Evidence> unique = new LinkedHashMap<>();
        for (Evidence evidence : batch) {
            unique.putIfAbsent(evidence.eventId(), evidence);
        }
        int duplicateCount = batch.size() - unique.size();
        Set<String> seen = processed.alreadyProcessed(unique.keySet());
        duplicateCount += seen.size();
        UserIdentities.Resolution users = identities.resolve(
                unique.values().stream().filter(e -> !seen.contains(e.eventId())).toList());
        List<Evidence> fresh = users.evidence();

        EventTargets.Targets found = targets.of(fresh);
        Map<Long, Applicable> initial = recipients.lockForApply(found.recipientIds(fresh));
        processed.record(fresh.stream().map(Evidence::eventId).toList(), now);
        BatchChanges changes = new BatchChanges(initial, credits.creditedBefore(fresh, Engagement.Type.REPLY),
                credits.creditedBefore(fresh, Engagement.Type.ORDER));
        int skippedCount = 0;
        int mismatchedCount = 0;
        for (Evidence e : fresh) {
            RecipientSteps.Fate fate = RecipientSteps.accept(changes, e, found.recipientOf(e));
            if (e.engagement() != null) {
                credits.credit(changes, e, found);
                fate = fate == RecipientSteps.Fate.SKIPPED ? RecipientSteps.Fate.APPLIED : fate;
            }
            switch (fate) {
                case SKIPPED -> skippedCount++;
                case MISMATCHED -> mismatchedCount++;
                case APPLIED -> {
                }
            }
        }
        credits.creditAwaiting(changes, found);
        writer.write(changes, now, () -> {
            users.write(now); // after the recipient rows, like every other write of the batch
            charges.record(fresh);
        });
        return new Result(fresh.size() - skippedCount - mismatchedCount, duplicateCount, skippedCount, mismatchedCount,
                changes.failuresIn, changes.touched);
    }
}
