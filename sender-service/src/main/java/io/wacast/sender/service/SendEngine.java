package io.wacast.sender.service;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.micrometer.core.instrument.MeterRegistry;
import io.wacast.sender.budget.Budget;
import io.wacast.sender.client.MetaSender;
import io.wacast.sender.config.MetaConfig;
import io.wacast.sender.config.SenderConfig;
import io.wacast.sender.ledger.Ledger;

/**
 * The path of one job through a sender replica, as a pipeline of stages that never wait on each
 * other: {@link Intake} (consumer thread: check, queue) → {@link CampaignGates} (a campaign with its
 * own rate limit: wait, unclaimed, for its slot) → {@link Claimer} (ledger claim, committed) →
 * {@link DepartureMarker} (departing mark shortly before the slot, committed) → {@link SlotFirer}
 * (a slot of the number's shared schedule, kept fetched by the {@link SlotLeaser}) → {@link MetaCalls}
 * (the non-blocking call, at most {@code max-in-flight}) → {@link Recorder} (the answer, committed;
 * then the outcome, acked) → the offset may be committed. {@link RetryRepublisher} puts due retries
 * back onto the topic. This bean builds the stages, starts and stops them in order, and drains them.
 */
@ApplicationScoped
public class SendEngine implements SendJobIntake {

    /** How long a stage waits before it tries the database (or the broker) again. */
    static final Duration STORE_RETRY = Duration.ofSeconds(1);
    /** Idle claimer and marker wait at most this long; the stages that give them work wake them at once. */
    static final long IDLE_STAGE_NANOS = TimeUnit.MILLISECONDS.toNanos(20);

    private final SenderConfig config;
    private final Clock clock = Clock.systemUTC();
    private final ScheduledExecutorService timers;
    private final Lanes lanes;
    private final HeldClaims held = new HeldClaims();
    private final Heartbeat heartbeat;
    private final Intake intake;
    private final Claimer claimer;
    private final DepartureMarker marker;
    private final SlotLeaser leaser;
    private final SlotFirer firer;
    private final MetaCalls calls;
    private final Recorder recorder;
    private final RetryRepublisher retries;
    private volatile boolean running;

    public SendEngine(SenderConfig config, MetaConfig meta, Ledger ledger, Budget budget, MetaSender metaSender,
            OutcomeSink outcomes, SendJobSink jobs, LatestControls controls, AccountStops accounts, ObjectMapper json,
            MeterRegistry registry) {
        this.config = config;
        this.timers = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "sender-timers");
            thread.setDaemon(true);
            return thread;
        });
        EventJson eventJson = new EventJson(json);
        this.lanes = new Lanes(config, registry);
        this.heartbeat = new Heartbeat(ledger, clock);
        AckedPublisher publisher = new AckedPublisher(outcomes, eventJson, timers, registry);
        Admission admission = new Admission(accounts, controls, lanes, publisher, this::wakeClaimer, clock);
        CampaignGates gates = new CampaignGates(config, controls, admission, clock);
        this.intake = new Intake(config, json, controls, admission, gates, publisher, jobs, timers, clock, registry);
        this.claimer = new Claimer(this::isRunning, lanes, ledger, held, publisher, eventJson, timers, clock,
                config.ownerTimeout(), meta.callTimeout(), registry, this::wakeMarker);
        this.marker = new DepartureMarker(this::isRunning, lanes, ledger, held, clock, registry, claimer::wake,
                this::wakeFirer);
        this.recorder = new Recorder(this::isRunning, ledger, held, publisher, eventJson, timers, clock, registry);
        this.calls = new MetaCalls(metaSender, config.maxInFlight(), admission, recorder, lanes, budget, accounts,
                new MarketingRoutes(config.marketingMessages()), timers, clock, registry);
        this.leaser = new SlotLeaser(this::isRunning, lanes, gates, budget, clock, this::wakeFirer);
        this.firer = new SlotFirer(this::isRunning, lanes, gates, calls, leaser, marker::wake,
                config.handAhead().toNanos() / 1000, clock, registry);
        this.retries = new RetryRepublisher(this::isRunning, ledger, jobs, json, timers, clock);
    }

    private boolean isRunning() {
        return running;
    }

    /** The stages wake each other through these: the claimer and the marker give each other work. */
    private void wakeClaimer() {
        claimer.wake();
    }

    private void wakeMarker() {
        marker.wake();
    }

    private void wakeFirer() {
        firer.wake();
    }

    public synchronized void start() {
        if (running) {
            return;
        }
        // Alive before the first claim, so no other replica takes this one's claims for a dead one's.
        heartbeat.beat();
        config.phoneNumberIds().forEach(lanes::of); // a number whose settings would break Meta's cap fails the start
        running = true;
        List<StageThread> threads = List.of(claimer.thread(), marker.thread(), firer.thread(), leaser.thread(),
                recorder.thread());
        threads.forEach(StageThread::create);
        threads.forEach(StageThread::start);
        long scan = config.retryScanInterval().toMillis();
        timers.scheduleWithFixedDelay(retries::publishDueRetries, scan, scan, TimeUnit.MILLISECONDS);
        long beat = Math.max(100, config.ownerTimeout().toMillis() / 5);
        timers.scheduleWithFixedDelay(heartbeat::beat, beat, beat, TimeUnit.MILLISECONDS);
    }

    /**
     * Meta raised {@code phoneNumberId}'s throughput to {@code cap} msg/s: the number's lane leases at the
     * new spacing from its next lease on (docs/DESIGN.md §5). False when the cap was already as high.
     */
    public boolean raiseThroughput(String phoneNumberId, int cap) {
        return lanes.raise(phoneNumberId, cap);
    }

    /** The number's cap this replica sends at now. */
    public int throughputOf(String phoneNumberId) {
        return lanes.capOf(phoneNumberId);
    }

    @Override
    public void accept(String rawJson, Delivery delivery) {
        intake.accept(rawJson, delivery);
    }

    @Override
    public int pending() {
        return intake.pending();
    }

    /**
     * Lets calls in flight finish and their answers be recorded, up to {@code grace}, then leaves: claims
     * still held (not yet departing) may be taken over by another replica at once.
     */
    public void drain(Duration grace) {
        long deadline = System.nanoTime() + grace.toNanos();
        while (System.nanoTime() < deadline && (calls.inFlight() > 0 || !recorder.isIdle() || !held.isEmpty())) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
        }
        heartbeat.leave();
    }

    @PreDestroy
    void stop() {
        running = false;
        timers.shutdownNow();
    }
}
