package io.wacast.sender.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.wacast.common.event.SendJob;
import io.wacast.sender.budget.Budget;
import io.wacast.sender.budget.SlotLease;
import io.wacast.sender.client.MetaAnswer;
import io.wacast.sender.client.MetaSender;
import io.wacast.sender.config.SenderConfig;
import io.wacast.sender.ledger.ClaimResult;
import io.wacast.sender.ledger.Ledger;
import io.wacast.sender.ledger.LedgerState;

/**
 * The firing thread hands each departing job over ahead of its slot (docs/DESIGN.md §5, D31), with the
 * real leaser, firer, calls and recorder around a Meta whose event loop misses some departures: every
 * slot is handed out once, a call that missed its slot goes back to its lane and leaves on a later slot
 * of its own, and every job ends answered exactly once.
 */
class SlotHandOverTest {

    private static final String NUMBER = "100000000000001";
    private static final int JOBS = 40;

    private final AtomicBoolean running = new AtomicBoolean(true);
    private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor();
    private final InMemoryLedger ledger = new InMemoryLedger();
    private final HeldClaims held = new HeldClaims();
    private final AtomicInteger finished = new AtomicInteger();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    /** One call handed to Meta: the job, its slot, and when it was handed over (epoch µs). */
    private record Handed(String jobId, long slotUs, long leaveByUs, long handedAtUs, boolean missed) {
    }

    @AfterEach
    void stop() {
        running.set(false);
        timers.shutdownNow();
    }

    @Test
    void everySlotIsHandedOutOnceAndACallThatMissedItsSlotLeavesOnALaterOneExactlyOnce() {
        SenderConfig config = config();
        Lanes lanes = new Lanes(config, registry);
        Lane lane = lanes.of(NUMBER);
        List<Handed> handed = new CopyOnWriteArrayList<>();
        // Meta's event loop is late for every fifth call handed over: it misses its slot and is not sent
        AtomicInteger calls = new AtomicInteger();
        MetaSender meta = (job, endpoint, slotUs, leaveByUs) -> {
            boolean missed = calls.incrementAndGet() % 5 == 0;
            handed.add(new Handed(job.jobId(), slotUs, leaveByUs, SlotLease.epochMicros(Instant.now()), missed));
            return CompletableFuture.completedFuture(missed ? new MetaAnswer.MissedSlot(leaveByUs - slotUs + 1)
                    : new MetaAnswer.Accepted("wamid." + job.jobId(), "accepted"));
        };
        start(config, lanes, meta);

        for (int i = 0; i < JOBS; i++) {
            lane.addDeparting(departingTicket("wc:7:" + i));
        }

        await().atMost(Duration.ofSeconds(30)).until(() -> finished.get() == JOBS);
        List<Handed> sent = handed.stream().filter(h -> !h.missed()).toList();
        List<Handed> missed = handed.stream().filter(Handed::missed).toList();
        assertThat(missed).isNotEmpty();
        // never two calls for one slot, missed or not
        assertThat(handed.stream().map(Handed::slotUs).distinct().count()).isEqualTo(handed.size());
        // every job sent exactly once, recorded answered once
        assertThat(sent.stream().map(Handed::jobId).distinct().count()).isEqualTo(JOBS).isEqualTo(sent.size());
        for (int i = 0; i < JOBS; i++) {
            InMemoryLedger.Row row = ledger.rows.get("wc:7:" + i);
            assertThat(row.state).isEqualTo(LedgerState.ANSWERED);
            assertThat(row.answersRecorded).hasValue(1);
        }
        // a missed call went back to its lane and left on a later slot, not lost
        Map<String, Long> missedAt = new HashMap<>();
        missed.forEach(h -> missedAt.put(h.jobId(), h.slotUs()));
        for (Handed h : sent) {
            if (missedAt.containsKey(h.jobId())) {
                assertThat(h.slotUs()).isGreaterThan(missedAt.get(h.jobId()));
            }
        }
        // each call was bound to its slot no more than the hand-over lead ahead, and may leave only within its lateness
        for (Handed h : handed) {
            assertThat(h.slotUs() - h.handedAtUs()).isLessThanOrEqualTo(lane.schedule.handOverAheadUs());
            assertThat(h.leaveByUs() - h.slotUs()).isEqualTo(lane.schedule.latenessUs);
        }
        // the slots are the schedule's: never closer than its spacing
        List<Long> slots = new ArrayList<>(handed.stream().map(Handed::slotUs).sorted().toList());
        long interval = SlotLease.intervalUs(1000, 0.985);
        for (int i = 1; i < slots.size(); i++) {
            assertThat(slots.get(i) - slots.get(i - 1)).isGreaterThanOrEqualTo(interval);
        }
        assertThat(registry.counter("wacast.sender.budget.slots.dropped", "where", "departure").count())
                .isEqualTo(missed.size());
    }

    private void start(SenderConfig config, Lanes lanes, MetaSender meta) {
        EventJson json = new EventJson(new ObjectMapper().findAndRegisterModules());
        AckedPublisher publisher = new AckedPublisher(new PublishedOutcomes(), json, timers, registry);
        Recorder recorder = new Recorder(running::get, ledger, held, publisher, json, timers, Clock.systemUTC(), registry);
        LatestControls controls = campaignId -> null;
        AccountStops accounts = new AccountStops(config, registry);
        Admission admission = new Admission(accounts, controls, lanes, publisher, () -> {
        }, Clock.systemUTC());
        CampaignGates gates = new CampaignGates(config, controls, admission, Clock.systemUTC());
        Budget budget = new OneSchedule();
        MetaCalls metaCalls = new MetaCalls(meta, 400, admission, recorder, lanes, budget, accounts,
                new MarketingRoutes(config.marketingMessages()), timers, Clock.systemUTC(), registry);
        SlotLeaser leaser = new SlotLeaser(running::get, lanes, gates, budget, Clock.systemUTC());
        SlotFirer firer = new SlotFirer(running::get, lanes, gates, metaCalls, leaser, () -> {
        }, Clock.systemUTC(), registry);
        for (StageThread thread : List.of(recorder.thread(), leaser.thread(), firer.thread())) {
            thread.create();
            thread.start();
        }
    }

    /** The shared schedule of {@code TokenBudget}, in memory: the same advance, the same horizon. */
    private static final class OneSchedule implements Budget {

        private final Map<String, Long> next = new ConcurrentHashMap<>();

        @Override
        public synchronized SlotLease lease(String key, int count, long intervalUs, long latenessUs, long nowUs, long horizonUs) {
            long booked = next.getOrDefault(key, 0L);
            if (booked > nowUs + horizonUs) {
                return SlotLease.none(booked);
            }
            long start = Math.max(booked, nowUs);
            next.put(key, start + count * intervalUs);
            return new SlotLease(start, intervalUs, count, latenessUs);
        }

        @Override
        public synchronized void holdUntil(String key, long untilUs) {
            next.merge(key, untilUs, Math::max);
        }
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
        ticket.readyAtNanos = System.nanoTime();
        held.hold(jobId, claimed.claimId());
        return ticket;
    }

    private static SenderConfig config() {
        SmallRyeConfig config = new SmallRyeConfigBuilder().withMapping(SenderConfig.class)
                .withDefaultValues(Map.of("wacast.sender.phone-number-ids", NUMBER, "wacast.sender.default-throughput", "1000"))
                .build();
        return config.getConfigMapping(SenderConfig.class);
    }
}
