package io.wacast.catalog.service;

import io.quarkus.scheduler.Scheduled;
import io.wacast.catalog.config.CatalogConfig;
import io.wacast.catalog.domain.ParkedEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Instant;
import org.jboss.logging.Logger;

/** Forgets parked order events older than {@code wacast.catalog.parked-retention}, so the table stays bounded. */
@ApplicationScoped
public class ParkedRetention {

    private static final Logger LOG = Logger.getLogger(ParkedRetention.class);

    private final CatalogConfig config;

    ParkedRetention(CatalogConfig config) {
        this.config = config;
    }

    @Scheduled(every = "1h", delayed = "2m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduled() {
        purge(Instant.now().minus(config.parkedRetention()));
    }

    /** Deletes the events parked before {@code cutoff}; returns how many. */
    @Transactional
    public long purge(Instant cutoff) {
        long deleted = ParkedEvent.delete("parkedAt < ?1", cutoff);
        if (deleted > 0) {
            LOG.infof("purged %d parked order events older than %s", deleted, cutoff);
        }
        return deleted;
    }
}
