package io.wacast.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.wacast.catalog.domain.ParkedEvent;
import io.wacast.catalog.service.ParkedRetention;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;

/** Parked order events are kept for their retention, then purged (docs/DESIGN.md §7, Retention). */
@QuarkusTest
class ParkedRetentionTest {

    @Inject
    ParkedRetention retention;

    private static long park(Instant at) {
        return QuarkusTransaction.requiringNew().call(() -> {
            ParkedEvent event = new ParkedEvent();
            event.topic = "wacast.orders";
            event.recordPartition = 0;
            event.recordOffset = ThreadLocalRandom.current().nextLong(1L << 40, 1L << 50);
            event.payload = "{}";
            event.reason = "ParkedRetentionTest";
            event.parkedAt = at;
            event.persist();
            return event.id;
        });
    }

    @Test
    void eventsParkedBeforeTheRetentionArePurgedAndYoungerOnesKept() {
        Instant now = Instant.now();
        long old = park(now.minus(Duration.ofDays(100)));
        long young = park(now.minus(Duration.ofDays(10)));

        assertThat(retention.purge(now.minus(Duration.ofDays(90)))).isGreaterThanOrEqualTo(1);

        QuarkusTransaction.requiringNew().run(() -> {
            assertThat(ParkedEvent.<ParkedEvent>findByIdOptional(old)).isEmpty();
            assertThat(ParkedEvent.<ParkedEvent>findByIdOptional(young)).isPresent();
        });
    }
}
