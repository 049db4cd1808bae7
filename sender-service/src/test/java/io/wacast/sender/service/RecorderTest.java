package io.wacast.sender.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.wacast.common.event.SendJob;
import io.wacast.sender.client.MetaAnswer;
import io.wacast.sender.ledger.ClaimResult;
import io.wacast.sender.ledger.Ledger;
import io.wacast.sender.ledger.LedgerState;

/** The recorder stage against an in-memory ledger and outcome sink: no Kafka, no MySQL. */
class RecorderTest {

    private static final String NUMBER = "100000000000001";

    private final AtomicBoolean running = new AtomicBoolean(true);
    private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor();
    private final InMemoryLedger ledger = new InMemoryLedger();
    private final PublishedOutcomes published = new PublishedOutcomes();
    private final HeldClaims held = new HeldClaims();
    private final AtomicInteger finished = new AtomicInteger();
    private Recorder recorder;

    @BeforeEach
    void startRecorder() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        EventJson json = new EventJson(new ObjectMapper().findAndRegisterModules());
        AckedPublisher publisher = new AckedPublisher(published, json, timers, registry);
        recorder = new Recorder(running::get, ledger, held, publisher, json, timers, Clock.systemUTC(), registry);
        recorder.thread().create();
        recorder.thread().start();
    }

    @AfterEach
    void stop() {
        running.set(false);
        timers.shutdownNow();
    }

    /** A job claimed and marked departing by this replica, as the claimer and the marker leave it. */
    private Ticket departingTicket(String jobId) {
        SendJob job = SendJob.of(jobId, 7, 42, NUMBER, "+919978783238", "order_update", "en_US", Map.of("body.1", "x"), 1, null,
                Instant.now());
        ClaimResult.Claimed claimed = (ClaimResult.Claimed) ledger.claim(
                List.of(new Ledger.ClaimRequest(jobId, 7, 1, false)), ProcessIdentity.ID, 0, 0).get(0);
        assertThat(ledger.markDeparting(List.of(new Ledger.Departure(jobId, claimed.claimId())), 0)).isEmpty();
        Ticket ticket = new Ticket(job, "{}", finished::incrementAndGet, () -> false);
        ticket.claimId = claimed.claimId();
        held.hold(jobId, claimed.claimId());
        return ticket;
    }

    private static Verdict sent(Ticket ticket) {
        return OutcomeRules.judge(ticket.job, new MetaAnswer.Accepted("wamid.1", "accepted"), Instant.now(), 0.5);
    }

    @Test
    void anAnsweredJobIsRecordedPublishedAndFinishedExactlyOnce() {
        Ticket ticket = departingTicket("wc:7:42");

        recorder.settle(ticket, sent(ticket));

        await().atMost(Duration.ofSeconds(10)).until(() -> finished.get() == 1);
        await().during(Duration.ofMillis(200)).atMost(Duration.ofSeconds(2)).until(() -> finished.get() == 1);
        InMemoryLedger.Row row = ledger.rows.get("wc:7:42");
        assertThat(row.state).isEqualTo(LedgerState.ANSWERED);
        assertThat(row.answersRecorded).hasValue(1);
        assertThat(published.outcomeJson).containsExactly(row.outcomeJson);
        assertThat(held.isEmpty()).isTrue();
        assertThat(recorder.isIdle()).isTrue();
    }

    @Test
    void anAnswerTheLedgerCouldNotTakeIsNeitherPublishedNorFinishedBeforeItIsRecorded() {
        Ticket ticket = departingTicket("wc:7:43");
        ledger.failingRecords.set(1);

        recorder.settle(ticket, sent(ticket));

        await().atMost(Duration.ofSeconds(10)).until(() -> ledger.recordCalls.get() >= 1);
        assertThat(published.outcomeJson).isEmpty();
        assertThat(finished).hasValue(0);
        assertThat(held.isEmpty()).isFalse(); // shutdown still waits for it

        await().atMost(Duration.ofSeconds(10)).until(() -> finished.get() == 1);
        InMemoryLedger.Row row = ledger.rows.get("wc:7:43");
        assertThat(row.state).isEqualTo(LedgerState.ANSWERED);
        assertThat(row.answersRecorded).hasValue(1);
        assertThat(published.outcomeJson).containsExactly(row.outcomeJson);
    }
}
