package io.wacast.sender.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.wacast.common.event.SendJob;
import io.wacast.sender.config.SenderConfig;
import io.wacast.sender.ledger.LedgerState;

/** The claimer and the departing marker against an in-memory ledger and outcome sink: no Kafka, no MySQL. */
class ClaimAndMarkTest {

    private static final String NUMBER = "100000000000001";

    private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final InMemoryLedger ledger = new InMemoryLedger();
    private final PublishedOutcomes published = new PublishedOutcomes();
    private final HeldClaims held = new HeldClaims();
    private final AtomicInteger finished = new AtomicInteger();
    private final Lanes lanes = new Lanes(new SmallRyeConfigBuilder().withMapping(SenderConfig.class).build()
            .getConfigMapping(SenderConfig.class), registry);
    private final EventJson json = new EventJson(new ObjectMapper().findAndRegisterModules());
    private final Claimer claimer = new Claimer(() -> true, lanes, ledger, held,
            new AckedPublisher(published, json, timers, registry), json, timers, Clock.systemUTC(), Duration.ofSeconds(5),
            Duration.ofSeconds(10), registry, () -> { });
    private final DepartureMarker marker = new DepartureMarker(() -> true, lanes, ledger, held, Clock.systemUTC(), registry,
            () -> { }, () -> { });

    @AfterEach
    void stop() {
        timers.shutdownNow();
    }

    private Lane lane() {
        return lanes.of(NUMBER);
    }

    private Ticket waiting(String jobId) {
        SendJob job = SendJob.of(jobId, 7, 42, NUMBER, "+919978783238", "order_update", "en_US", Map.of("body.1", "x"), 1, null,
                Instant.now());
        Ticket ticket = new Ticket(job, "{}", finished::incrementAndGet, () -> false);
        lane().addWaiting(ticket);
        return ticket;
    }

    @Test
    void aClaimedJobIsMarkedDepartingAndHandedOnOnce() {
        Ticket ticket = waiting("wc:7:42");

        assertThat(claimer.claimOnce()).isTrue();
        assertThat(ledger.rows.get("wc:7:42").state).isEqualTo(LedgerState.CLAIMED);
        assertThat(marker.markOnce()).isTrue();

        assertThat(ledger.rows.get("wc:7:42").state).isEqualTo(LedgerState.IN_FLIGHT);
        assertThat(lane().pollDeparting()).isSameAs(ticket);
        assertThat(lane().pollDeparting()).isNull();
        assertThat(lane().held()).isZero();
        assertThat(finished).hasValue(0); // finished only once its answer is recorded and published
    }

    @Test
    void aClaimTakenOverBeforeItsDepartingMarkIsNeverHandedToACall() {
        waiting("wc:7:43");
        assertThat(claimer.claimOnce()).isTrue();
        ledger.takeOver("wc:7:43", "another-replica");

        assertThat(marker.markOnce()).isTrue();

        assertThat(lane().departingCount()).isZero();
        assertThat(lane().pollDeparting()).isNull();
        assertThat(lane().held()).isZero();
        assertThat(ledger.rows.get("wc:7:43").owner).isEqualTo("another-replica");
        assertThat(ledger.rows.get("wc:7:43").state).isEqualTo(LedgerState.CLAIMED);
        assertThat(held.isEmpty()).isTrue();
        assertThat(finished).hasValue(1); // its offset may go: the other replica sends it
        assertThat(registry.get("wacast.sender.claims.taken.over").counter().count()).isEqualTo(1.0);
        assertThat(published.outcomeJson).isEmpty();
    }

    @Test
    void aJobAnsweredBeforeIsRepublishedAsRecordedAndNotClaimedAgain() {
        ledger.answered("wc:7:44", "{\"recorded\":true}");
        waiting("wc:7:44");

        assertThat(claimer.claimOnce()).isTrue();

        assertThat(published.outcomeJson).containsExactly("{\"recorded\":true}");
        assertThat(finished).hasValue(1);
        assertThat(lane().held()).isZero();
        assertThat(held.isEmpty()).isTrue();
        assertThat(marker.markOnce()).isFalse();
    }
}
