package io.wacast.campaign.service;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.quarkus.scheduler.Scheduled;
import io.wacast.campaign.repository.ContactCounts;

/**
 * Folds the delta rows of {@code contact_counts} (§11 D28) so that a count sums about one row per cell.
 * Every replica runs it; when two fold the same rows, one round rolls back and the next one retries.
 */
@ApplicationScoped
public class ContactCountCompactor {

    private static final Logger LOG = Logger.getLogger(ContactCountCompactor.class);
    private static final int ROWS_PER_ROUND = 50_000;

    private final ContactCounts counts;

    ContactCountCompactor(ContactCounts counts) {
        this.counts = counts;
    }

    @Scheduled(every = "${wacast.campaign.contacts.count-fold-interval:30s}", delayed = "20s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void fold() {
        try {
            counts.compact(ROWS_PER_ROUND);
        } catch (ContactCounts.CompactionRace e) {
            LOG.debug(e.getMessage());
        } catch (RuntimeException e) {
            LOG.warnf("folding contact counts failed, the next round retries: %s", e.getMessage());
        }
    }
}
