package io.wacast.sender.service;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.wacast.common.event.CampaignControl;
import io.wacast.common.event.Outcome;
import io.wacast.common.event.OutcomeStatus;
import io.wacast.common.event.SendJob;
import io.wacast.common.meta.MetaErrorPolicy;
import io.wacast.common.phone.PhoneNumbers;
import io.wacast.sender.budget.SlotLease;
import io.wacast.sender.budget.TokenBudget;
import io.wacast.sender.client.MetaAnswer;
import io.wacast.sender.client.MetaGraphClient;
import io.wacast.sender.client.TemplateMessage;
import io.wacast.sender.config.MetaConfig;
import io.wacast.sender.config.SenderConfig;
import io.wacast.sender.ledger.ClaimResult;
import io.wacast.sender.ledger.LedgerState;
import io.wacast.sender.ledger.SendLedger;
import io.wacast.sender.messaging.CampaignControls;
import io.wacast.sender.messaging.EventPublisher;
import io.wacast.sender.messaging.ProcessIdentity;

/**
 * The path of one job through a sender replica: check → (a campaign with its own rate limit: wait,
 * unclaimed, for a slot of the campaign's shared schedule) → claim in the ledger (committed) → mark
 * departing shortly before its slot (committed) → wait for a slot of the number's shared schedule →
 * call Meta → record the answer (committed) → publish the outcome → let the offset be committed.
 * Each stage has its own thread so that none waits on another: the consumer thread only parses and
 * queues, the claimer, marker and recorder batch their database work, the dispatcher releases calls
 * exactly at their slots, the leaser fetches slots. Calls are non-blocking, bounded by
 * {@code max-in-flight}.
 */
@ApplicationScoped
public class SendPipeline {

    private static final Logger LOG = Logger.getLogger(SendPipeline.class);
    private static final int BATCH = 250;
    private static final Duration DEAD_CLAIM_GRACE = Duration.ofSeconds(5);
    private static final Duration STORE_RETRY = Duration.ofSeconds(1);
    /** The least a lease asks ahead of now; more once lease round trips are slow (a loaded database or host). */
    private static final long MIN_LEASE_LEAD_US = 2_000;
    private static final long MIN_CAMPAIGN_LATENESS_US = 1_000;
    private static final long MAX_CAMPAIGN_LATENESS_US = 250_000;
    /** The recorder gathers answers this long (or this many) into one ledger transaction. */
    private static final long RECORD_GATHER_NANOS = TimeUnit.MILLISECONDS.toNanos(20);
    private static final long RECORD_GATHER_STEP_NANOS = TimeUnit.MILLISECONDS.toNanos(2);
    private static final int RECORD_GATHER_TARGET = 100;
    private static final long IDLE_LEASER_NANOS = TimeUnit.MILLISECONDS.toNanos(5);
    /** Idle claimer and marker wait at most this long; the stages that give them work wake them at once. */
    private static final long IDLE_STAGE_NANOS = TimeUnit.MILLISECONDS.toNanos(5);
    private static final long IDLE_GATE_NANOS = TimeUnit.SECONDS.toNanos(60);
    /** The 130429s of one burst reach us within about a call's latency: they slow the pace once. */
    private static final long THROTTLE_CUT_SPACING_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final SenderConfig config;
    private final MetaConfig meta;
    private final SendLedger ledger;
    private final TokenBudget budget;
    private final MetaGraphClient graph;
    private final EventPublisher publisher;
    private final CampaignControls controls;
    private final AccountStops accounts;
    private final ObjectMapper json;
    private final Clock clock = Clock.systemUTC();
    private final Set<String> knownNumbers;

    private final Map<String, Lane> lanes = new ConcurrentHashMap<>();
    /** Campaigns with their own rate limit that have jobs here; changed only inside {@code compute}. */
    private final Map<Long, CampaignGate> gates = new ConcurrentHashMap<>();
    /** Claims held by this process until their answer is recorded: a second delivery meanwhile is a duplicate. */
    private final Map<String, Long> owned = new ConcurrentHashMap<>();
    private final LinkedBlockingQueue<Settled> settled = new LinkedBlockingQueue<>();
    private final Semaphore inFlight;
    private final AtomicInteger pending = new AtomicInteger();
    private final ScheduledExecutorService timers;
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean running;
    /** Set once this process left the ledger's process list: no heartbeat may put it back. */
    private volatile boolean left;
    private volatile Thread leaser;
    private volatile Thread claimer;
    private volatile Thread marker;
    /** Smoothed round trip of a slot lease (µs), leaser thread only: how far ahead the next lease asks. */
    private long leaseRoundTripUs = MIN_LEASE_LEAD_US;

    private final MeterRegistry registry;
    private final Counter droppedSlots;
    private final Counter missedSlots;
    private final Counter takenOver;
    private final Timer budgetWait;
    private final Timer ledgerLag;

    private record Settled(Ticket ticket, Verdict verdict, long answeredAtNanos) {
    }

    public SendPipeline(SenderConfig config, MetaConfig meta, SendLedger ledger, TokenBudget budget,
            MetaGraphClient metaClient, EventPublisher publisher, CampaignControls controls, AccountStops accounts,
            ObjectMapper json, MeterRegistry registry) {
        this.config = config;
        this.meta = meta;
        this.ledger = ledger;
        this.budget = budget;
        this.graph = metaClient;
        this.publisher = publisher;
        this.controls = controls;
        this.accounts = accounts;
        this.json = json;
        this.registry = registry;
        this.knownNumbers = new HashSet<>(config.phoneNumberIds());
        this.inFlight = new Semaphore(config.maxInFlight());
        this.timers = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "sender-timers"));
        this.droppedSlots = Counter.builder("wacast.sender.budget.slots.dropped")
                .description("Leased slots no call could use in time").tag("where", "dispatcher").register(registry);
        this.missedSlots = Counter.builder("wacast.sender.budget.slots.dropped")
                .description("Leased slots no call could use in time").tag("where", "departure").register(registry);
        this.takenOver = Counter.builder("wacast.sender.claims.taken.over")
                .description("Claims of this replica another replica took over (it took this one for dead); not sent here")
                .register(registry);
        this.budgetWait = Timer.builder("wacast.sender.budget.wait")
                .description("Time a claimed job waited for a slot of its number's budget")
                .publishPercentileHistogram().register(registry);
        this.ledgerLag = Timer.builder("wacast.sender.ledger.lag")
                .description("Time from Meta's answer to its commit in the send ledger")
                .publishPercentileHistogram().register(registry);
        registry.gauge("wacast.sender.jobs.pending", pending);
    }

    public synchronized void start() {
        if (running) {
            return;
        }
        // Alive before the first claim, so no other replica takes this one's claims for a dead one's.
        heartbeat();
        knownNumbers.forEach(this::lane); // a number whose settings would break Meta's cap fails the start
        running = true;
        claimer = daemon(this::claimLoop, "sender-claimer");
        threads.add(claimer);
        marker = daemon(this::markLoop, "sender-marker");
        threads.add(marker);
        threads.add(daemon(this::dispatchLoop, "sender-dispatcher"));
        leaser = daemon(this::leaseLoop, "sender-leaser");
        threads.add(leaser);
        threads.add(daemon(this::recordLoop, "sender-recorder"));
        threads.forEach(Thread::start);
        long scan = config.retryScanInterval().toMillis();
        timers.scheduleWithFixedDelay(this::publishDueRetries, scan, scan, TimeUnit.MILLISECONDS);
        long beat = Math.max(100, config.ownerTimeout().toMillis() / 5);
        timers.scheduleWithFixedDelay(this::heartbeat, beat, beat, TimeUnit.MILLISECONDS);
    }

    private void heartbeat() {
        if (left) {
            return;
        }
        try {
            ledger.heartbeat(ProcessIdentity.ID, clock.millis());
        } catch (RuntimeException e) {
            // Others may take this replica for dead and take its claims over; its marks are then
            // refused and nothing is sent twice. Only the work is done twice.
            LOG.warnf("heartbeat not recorded: %s", e.getMessage());
        }
    }

    /** Jobs accepted and not yet finished; the consumer pauses above {@code max-pending-jobs}. */
    public int pending() {
        return pending.get();
    }

    /**
     * Takes one record of {@code wacast.send-jobs}. Called on the consumer thread: parses and
     * queues, never waits. {@code done} runs once the job's outcome (or re-publication) is acked.
     */
    public void accept(String raw, Runnable done, BooleanSupplier revoked) {
        pending.incrementAndGet();
        Runnable finished = () -> {
            pending.decrementAndGet();
            done.run();
        };
        SendJob job;
        try {
            job = json.readValue(raw, SendJob.class);
        } catch (Exception e) {
            rejectMalformed(raw, e, finished);
            return;
        }
        Ticket ticket = new Ticket(job, raw, finished, revoked);
        Instant now = clock.instant();
        String invalid = validate(job);
        if (invalid != null) {
            LOG.warnf("job %s to %s failed validation: %s", job.jobId(), PhoneNumbers.mask(job.to()), invalid);
            publishThenDone(ticket, OutcomeRules.invalid(job, invalid, now).outcome());
            return;
        }
        if (job.notBefore() != null && job.notBefore().isAfter(now)) {
            Duration wait = Duration.between(now, job.notBefore());
            if (wait.compareTo(config.maxHold()) > 0) {
                // Too early to hold in memory: back onto the topic; the next read holds or re-publishes it again.
                whenAcked(() -> publisher.jobJson(job.to(), raw), ticket::done);
                return;
            }
            timers.schedule(() -> enqueue(ticket), wait.toMillis(), TimeUnit.MILLISECONDS);
            return;
        }
        enqueue(ticket);
    }

    private String validate(SendJob job) {
        if (job.jobId() == null || job.jobId().isBlank()) {
            return "jobId is missing";
        }
        if (job.phoneNumberId() == null || !knownNumbers.contains(job.phoneNumberId())) {
            return "unknown phone-number id '" + job.phoneNumberId() + "': not one this sender is configured for";
        }
        if (job.attempt() < 1) {
            return "attempt must be at least 1";
        }
        try {
            TemplateMessage.body(job);
            return null;
        } catch (TemplateMessage.InvalidJobException e) {
            return e.getMessage();
        }
    }

    private void rejectMalformed(String raw, Exception e, Runnable done) {
        String reason = "malformed send job: " + e.getClass().getSimpleName();
        try {
            JsonNode tree = json.readTree(raw);
            long campaignId = tree.path("campaignId").asLong();
            String jobId = tree.path("jobId").asText(null);
            if (campaignId > 0 && jobId != null) {
                Outcome outcome = Outcome.of(jobId, campaignId, tree.path("recipientId").asLong(), OutcomeStatus.FAILED,
                        null, null, null, reason + ": " + firstLine(e.getMessage()), MetaErrorPolicy.Action.FAIL, null,
                        Math.max(1, tree.path("attempt").asInt(1)), clock.instant());
                whenAcked(() -> publisher.outcome(outcome), done);
                return;
            }
        } catch (Exception unreadable) {
            // not even JSON: nothing to report to, fall through
        }
        LOG.warnf("dropped a send job that names no campaign and job (%s)", reason);
        done.run();
    }

    /** Null when the campaign and the account allow sending now, else the deferred verdict. */
    private Verdict gate(SendJob job, Instant now) {
        if (accounts.isStopped(job.phoneNumberId(), now)) {
            return OutcomeRules.accountStopped(job, now);
        }
        CampaignControl control = controls.of(job.campaignId());
        if (control != null && !control.allowsSendingAt(now)) {
            return OutcomeRules.deferred(job, control, now);
        }
        return null;
    }

    private void enqueue(Ticket ticket) {
        Verdict deferred = gate(ticket.job, clock.instant());
        if (deferred != null) {
            publishThenDone(ticket, deferred.outcome());
            return;
        }
        CampaignControl control = controls.of(ticket.job.campaignId());
        if (control != null && control.rateLimitPerMinute() > 0) {
            gates.compute(control.campaignId(), (id, gate) -> {
                CampaignGate held = gate != null ? gate : newGate(id, control.rateLimitPerMinute());
                held.add(ticket);
                return held;
            });
            return;
        }
        lane(ticket.job.phoneNumberId()).waiting.addLast(ticket);
        wake(claimer);
    }

    private static void wake(Thread thread) {
        if (thread != null) {
            LockSupport.unpark(thread);
        }
    }

    /**
     * A campaign's slots may be used later than a number's (a quarter of their spacing, at most
     * {@link #MAX_CAMPAIGN_LATENESS_US}): a slow campaign's slot lost to a busy moment would cost a
     * whole interval, while the looser bound (⌊(W + lateness) / interval⌋ + 1 per window W) is still
     * the limit within one message, and the number's own schedule keeps every second under Meta's cap.
     */
    private CampaignGate newGate(long campaignId, int ratePerMinute) {
        long interval = SlotLease.intervalUsPerMinute(ratePerMinute);
        int slice = (int) Math.max(1, Math.min(config.leaseSlice(), 1_000_000 / interval / 40));
        long lateness = Math.max(MIN_CAMPAIGN_LATENESS_US, Math.min(interval / 4, MAX_CAMPAIGN_LATENESS_US));
        long horizon = Math.max(config.leaseHorizon().toNanos() / 1000, interval);
        return new CampaignGate(campaignId, ratePerMinute, interval,
                new LeasedSchedule("campaign:" + campaignId, slice, lateness, horizon));
    }

    /**
     * A job leaves its campaign's gate (its slot came, or the limit was lifted) for the head of its
     * number's lane: its timing is the campaign's, so it does not queue behind unpaced jobs.
     */
    private void leaveGate(Ticket ticket) {
        Verdict deferred = gate(ticket.job, clock.instant());
        if (deferred != null) {
            publishThenDone(ticket, deferred.outcome());
            return;
        }
        ticket.paced = true;
        lane(ticket.job.phoneNumberId()).waiting.addFirst(ticket);
        wake(claimer);
    }

    private Lane lane(String phoneNumberId) {
        return lanes.computeIfAbsent(phoneNumberId, id -> {
            int rate = config.throughputOf(id);
            long interval = SlotLease.intervalUs(rate, config.budgetUtilisation());
            long lateness = lateness(id, rate, interval);
            long perSecond = 1_000_000 / interval;
            int claimAhead = (int) Math.max(8, perSecond * config.claimAhead().toMillis() / 1000);
            int departAhead = (int) Math.max(2, Math.ceil(perSecond * config.departureLookahead().toNanos() / 1e9));
            int slice = (int) Math.max(1, Math.min(config.leaseSlice(), perSecond / 40));
            SenderConfig.Throttle throttle = config.throttle();
            Pace pace = new Pace(interval, throttle.floor(), throttle.cut(), throttle.recoverStep(),
                    throttle.recoverEvery().toNanos(), THROTTLE_CUT_SPACING_NANOS);
            Gauge.builder("wacast.sender.budget.pace", pace, Pace::perSecond)
                    .description("Messages per second this replica takes from the number's schedule (lowered by 130429)")
                    .tag("phone_number_id", id).register(registry);
            LeasedSchedule schedule = new LeasedSchedule("number:" + id, slice, lateness,
                    config.leaseHorizon().toNanos() / 1000);
            return new Lane(id, pace, claimAhead, departAhead, schedule);
        });
    }

    /**
     * How late after its slot a call of number {@code id} may still leave: all the margin the utilisation
     * leaves beside the arrival spread, or the configured lateness if that still keeps every second at
     * Meta within the cap. Settings that cannot keep it there stop the sender from starting.
     */
    private long lateness(String id, int cap, long intervalUs) {
        long spreadUs = config.arrivalSpread().toNanos() / 1000;
        long marginUs = SlotLease.maxLatenessUs(cap, intervalUs, spreadUs);
        long latenessUs = config.tokenLateness().map(d -> d.toNanos() / 1000).orElse(marginUs);
        if (latenessUs < 0 || SlotLease.maxCallsPerSecond(intervalUs, latenessUs + spreadUs) > cap) {
            throw new IllegalStateException(String.format(java.util.Locale.ROOT,
                    "number %s: budget-utilisation %.3f of %d msg/s with arrival-spread %d ms and token-lateness %s"
                            + " could put more than %d calls into one second at Meta; lower the utilisation or the"
                            + " spread, or unset token-lateness", id, config.budgetUtilisation(), cap, spreadUs / 1000,
                    config.tokenLateness().map(Duration::toString).orElse("(derived)"), cap));
        }
        LOG.infof("number %s: cap %d msg/s, a slot every %d µs (%.1f%% of the cap), a call leaves at most %.1f ms"
                + " after its slot, %.1f ms are left for the way to Meta", id, cap, intervalUs,
                100.0 * 1_000_000 / intervalUs / cap, latenessUs / 1000.0, (marginUs + spreadUs - latenessUs) / 1000.0);
        return latenessUs;
    }

    // ---- claimer: waiting → ledger claim (committed) → ready ----------------------------------

    private void claimLoop() {
        while (running) {
            try {
                List<Ticket> batch = new ArrayList<>();
                Set<String> ids = new HashSet<>();
                for (Lane lane : lanes.values()) {
                    Ticket head = lane.waiting.peekFirst();
                    int ready = lane.held();
                    // Claim in batches: only once the lane is down to half its claim-ahead (a job a
                    // campaign's gate just released goes at once: its timing is the campaign's).
                    if (head == null || ready > lane.claimAhead / 2 && !head.paced) {
                        continue;
                    }
                    int room = lane.claimAhead - ready;
                    List<Ticket> later = new ArrayList<>();
                    while (batch.size() < BATCH) {
                        Ticket ticket = lane.waiting.pollFirst();
                        if (ticket == null) {
                            break;
                        }
                        if (room <= 0 && !ticket.paced) {
                            lane.waiting.addFirst(ticket);
                            break;
                        }
                        if (ticket.revoked.getAsBoolean()) {
                            ticket.done(); // its partition moved to another replica, which reads it again
                            continue;
                        }
                        if (!ids.add(ticket.job.jobId())) {
                            later.add(ticket);
                            continue;
                        }
                        batch.add(ticket);
                        room--;
                    }
                    later.forEach(lane.waiting::addFirst);
                }
                if (batch.isEmpty()) {
                    LockSupport.parkNanos(IDLE_STAGE_NANOS);
                    continue;
                }
                claim(batch);
                wake(marker);
            } catch (RuntimeException e) {
                LOG.errorf(e, "claimer failed; continuing");
            }
        }
    }

    private void claim(List<Ticket> batch) {
        List<SendLedger.ClaimRequest> requests = batch.stream()
                .map(t -> new SendLedger.ClaimRequest(t.job.jobId(), t.job.campaignId(), t.job.attempt(), t.job.resend()))
                .toList();
        List<ClaimResult> results;
        try {
            long now = clock.millis();
            results = ledger.claim(requests, ProcessIdentity.ID, now, now - config.ownerTimeout().toMillis());
        } catch (SendLedger.LedgerException e) {
            LOG.warnf("ledger claim failed, retrying in %s: %s", STORE_RETRY, e.getMessage());
            batch.forEach(t -> timers.schedule(() -> lane(t.job.phoneNumberId()).waiting.addLast(t),
                    STORE_RETRY.toMillis(), TimeUnit.MILLISECONDS));
            return;
        }
        Map<String, Ticket> byId = new java.util.HashMap<>();
        batch.forEach(t -> byId.put(t.job.jobId(), t));
        for (ClaimResult result : results) {
            if (result instanceof ClaimResult.Claimed claimed) {
                Ticket ticket = byId.get(claimed.jobId());
                ticket.claimId = claimed.claimId();
                ticket.readyAtNanos = System.nanoTime();
                owned.put(claimed.jobId(), claimed.claimId());
                Lane lane = lane(ticket.job.phoneNumberId());
                if (ticket.paced) {
                    lane.claimed.addFirst(ticket);
                } else {
                    lane.claimed.addLast(ticket);
                }
            }
        }
        for (ClaimResult result : results) {
            Ticket ticket = byId.get(result.jobId());
            if (result instanceof ClaimResult.Recorded recorded) {
                // Answered before (a redelivery or a duplicate): the same outcome again, Meta not called.
                registry.counter("wacast.sender.redeliveries.republished").increment();
                whenAcked(() -> publisher.outcomeJson(ticket.job.campaignId(), recorded.outcomeJson()), ticket::done);
            } else if (result instanceof ClaimResult.HeldElsewhere held) {
                heldElsewhere(ticket, held);
            }
        }
    }

    /**
     * Someone holds the job. A live claim of this process will publish the outcome itself. A claim of a
     * live replica not yet departing (a rebalance moved the partition) is looked at again once that
     * replica would count as dead: by then it has sent it, or it died and the claim is taken over. A
     * departing attempt older than the call timeout (plus grace) is a dead one: Meta may or may not
     * have seen it, so it becomes unknown and is never sent again. A younger one is looked at again
     * when it would be overdue; by then it usually has an answer to republish.
     */
    private void heldElsewhere(Ticket ticket, ClaimResult.HeldElsewhere held) {
        if (ProcessIdentity.ID.equals(held.owner()) && Long.valueOf(held.claimId()).equals(owned.get(held.jobId()))) {
            ticket.done();
            return;
        }
        if (held.state() == LedgerState.CLAIMED) {
            timers.schedule(() -> lane(ticket.job.phoneNumberId()).waiting.addLast(ticket),
                    config.ownerTimeout().toMillis(), TimeUnit.MILLISECONDS);
            return;
        }
        long overdueAt = held.sinceMs() + meta.callTimeout().plus(DEAD_CLAIM_GRACE).toMillis();
        long now = clock.millis();
        if (now < overdueAt) {
            timers.schedule(() -> lane(ticket.job.phoneNumberId()).waiting.addLast(ticket), overdueAt - now,
                    TimeUnit.MILLISECONDS);
            return;
        }
        Verdict unknown = OutcomeRules.judge(ticket.job,
                new MetaAnswer.Unanswered("the attempt's sender stopped before recording Meta's answer"),
                clock.instant(), 0);
        String outcomeJson = publisher.toJson(unknown.outcome());
        if (ledger.markUnknown(held.jobId(), held.claimId(), outcomeJson, now)) {
            LOG.warnf("job %s to %s: attempt of a dead sender declared unknown", held.jobId(),
                    PhoneNumbers.mask(ticket.job.to()));
            countOutcome(unknown.outcome());
            whenAcked(() -> publisher.outcomeJson(ticket.job.campaignId(), outcomeJson), ticket::done);
        } else {
            lane(ticket.job.phoneNumberId()).waiting.addLast(ticket);
        }
    }

    // ---- marker: claimed → departing (committed), a few ms of throughput ahead of the slots ------

    /**
     * Keeps about {@code departure-lookahead} of each lane's throughput marked departing in the ledger,
     * topping it up in one transaction once it is down to half. Until its mark commits a claimed job
     * cannot leave, so a crash leaves only the marked ones unknown; all the others are taken over and
     * sent by a live replica.
     */
    private void markLoop() {
        while (running) {
            try {
                List<Ticket> batch = new ArrayList<>();
                for (Lane lane : lanes.values()) {
                    int departing = lane.departing.size();
                    if (departing > lane.departAhead / 2) {
                        continue;
                    }
                    for (int i = departing; i < lane.departAhead; i++) {
                        Ticket ticket = lane.claimed.pollFirst();
                        if (ticket == null) {
                            break;
                        }
                        batch.add(ticket);
                    }
                }
                if (batch.isEmpty()) {
                    LockSupport.parkNanos(IDLE_STAGE_NANOS);
                    continue;
                }
                mark(batch);
            } catch (RuntimeException e) {
                LOG.errorf(e, "marker failed; continuing");
            }
        }
    }

    private void mark(List<Ticket> batch) {
        Set<String> refused;
        try {
            refused = ledger.markDeparting(batch.stream()
                    .map(t -> new SendLedger.Departure(t.job.jobId(), t.claimId)).toList(), clock.millis());
        } catch (SendLedger.LedgerException e) {
            LOG.warnf("marking departures failed, retrying in %s: %s", STORE_RETRY, e.getMessage());
            for (int i = batch.size() - 1; i >= 0; i--) {
                Ticket ticket = batch.get(i);
                lane(ticket.job.phoneNumberId()).claimed.addFirst(ticket);
            }
            LockSupport.parkNanos(STORE_RETRY.toNanos());
            return;
        }
        for (Ticket ticket : batch) {
            if (refused.contains(ticket.job.jobId())) {
                // Another replica took this one for dead and took the claim over: it sends the job.
                owned.remove(ticket.job.jobId(), ticket.claimId);
                takenOver.increment();
                LOG.warnf("job %s to %s: claim taken over by another replica; not sent here", ticket.job.jobId(),
                        PhoneNumbers.mask(ticket.job.to()));
                ticket.done();
                continue;
            }
            Lane lane = lane(ticket.job.phoneNumberId());
            if (ticket.paced) {
                lane.departing.addFirst(ticket);
            } else {
                lane.departing.addLast(ticket);
            }
        }
        wake(claimer); // the lanes hold fewer claimed jobs now
    }

    // ---- leaser: keeps the next slice of slots ready for lanes with claimed jobs --------------

    private void leaseLoop() {
        while (running) {
            boolean leased = false;
            for (Lane lane : lanes.values()) {
                if (lane.held() > 0) {
                    leased |= refill(lane.schedule, lane.pace.intervalUs(System.nanoTime()));
                }
            }
            for (CampaignGate gate : gates.values()) {
                if (gate.waiting() > 0) {
                    leased |= refill(gate.schedule, gate.intervalUs);
                }
            }
            if (!leased) {
                // the dispatcher wakes this thread as soon as a schedule with work needs its next run
                LockSupport.parkNanos(IDLE_LEASER_NANOS);
            }
        }
    }

    /**
     * Fetches the next run of {@code schedule}'s slots, spaced {@code intervalUs}, unless one is waiting
     * already; true if it leased. Runs of different spacing mix safely on one schedule: every run starts
     * after the previous one ends, so no two calls are ever closer than the shortest spacing.
     */
    private boolean refill(LeasedSchedule schedule, long intervalUs) {
        long nowUs = nowUs();
        if (!schedule.wantsLease(nowUs)) {
            return false;
        }
        int generation = schedule.generation.get();
        try {
            // ahead by about two round trips, so the lease's own round trip does not make its first slots
            // late (on a loaded host a lease can take tens of ms), but never beyond half the horizon
            long lead = Math.max(MIN_LEASE_LEAD_US, Math.min(2 * leaseRoundTripUs, schedule.horizonUs / 2));
            long earliest = nowUs + lead;
            SlotLease lease = budget.lease(schedule.budgetKey, schedule.slice, intervalUs, schedule.latenessUs, earliest,
                    schedule.horizonUs);
            leaseRoundTripUs += (nowUs() - nowUs - leaseRoundTripUs) / 4;
            if (lease.remaining() == 0) {
                schedule.bookedUntil(lease.startUs());
                return false;
            }
            if (generation == schedule.generation.get()) {
                schedule.nextLease.set(lease);
            }
            return true;
        } catch (RuntimeException e) {
            LOG.warnf("token budget lease for %s failed: %s", schedule.budgetKey, e.getMessage());
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(200));
            return false;
        }
    }

    // ---- dispatcher: releases each claimed job at its slot -----------------------------------

    private void dispatchLoop() {
        while (running) {
            try {
                long nowUs = nowUs();
                long wakeAtUs = releaseFromGates(nowUs);
                for (Lane lane : lanes.values()) {
                    if (lane.held() == 0) {
                        continue;
                    }
                    long slot = lane.schedule.nextSlot(nowUs, droppedSlots::increment);
                    wakeLeaserFor(lane.schedule);
                    if (slot < 0) {
                        wakeAtUs = Math.min(wakeAtUs, nowUs + 200);
                        continue;
                    }
                    if (slot <= nowUs) {
                        if (lane.departing.size() == 0) {
                            // claimed jobs whose departing mark has not committed yet: the slot waits for
                            // them up to its lateness, then is dropped
                            wakeAtUs = Math.min(wakeAtUs, nowUs + 200);
                            continue;
                        }
                        if (!inFlight.tryAcquire()) {
                            wakeAtUs = Math.min(wakeAtUs, nowUs + 100);
                            continue;
                        }
                        if (!lane.schedule.take(nowUs)) {
                            inFlight.release();
                            continue;
                        }
                        Ticket ticket = lane.departing.pollFirst();
                        if (ticket == null) {
                            inFlight.release();
                            continue;
                        }
                        if (lane.departing.size() <= lane.departAhead / 2) {
                            wake(marker);
                        }
                        fire(ticket, lane, slot);
                        wakeAtUs = nowUs; // look again at once: the next slot may be due too
                    } else {
                        wakeAtUs = Math.min(wakeAtUs, slot);
                    }
                }
                long waitUs = wakeAtUs == Long.MAX_VALUE ? 500 : wakeAtUs - nowUs();
                if (waitUs > 0) {
                    LockSupport.parkNanos(Math.min(waitUs, 2_000) * 1000);
                }
            } catch (RuntimeException e) {
                LOG.errorf(e, "dispatcher failed; continuing");
            }
        }
    }

    /**
     * Lets one job of each rate-limited campaign whose slot is due go on to its number's lane, and
     * follows changes of a campaign's limit; returns when the dispatcher should look again.
     */
    private long releaseFromGates(long nowUs) {
        long wakeAtUs = Long.MAX_VALUE;
        for (CampaignGate gate : gates.values()) {
            CampaignControl control = controls.of(gate.campaignId);
            int rate = control == null ? gate.ratePerMinute : control.rateLimitPerMinute();
            if (rate != gate.ratePerMinute || (control != null && !control.allowsSendingAt(clock.instant()))) {
                regate(gate.campaignId, rate, control);
                wakeAtUs = nowUs;
                continue;
            }
            if (gate.waiting() == 0) {
                gates.computeIfPresent(gate.campaignId,
                        (id, held) -> held.waiting() == 0 && held.idleNanos() > IDLE_GATE_NANOS ? null : held);
                continue;
            }
            long slot = gate.schedule.nextSlot(nowUs, droppedSlots::increment);
            wakeLeaserFor(gate.schedule);
            if (slot < 0) {
                wakeAtUs = Math.min(wakeAtUs, nowUs + 200);
            } else if (slot > nowUs) {
                wakeAtUs = Math.min(wakeAtUs, slot);
            } else if (gate.schedule.take(nowUs)) {
                Ticket ticket = gate.poll();
                leaveGate(ticket);
                wakeAtUs = nowUs;
            }
        }
        return wakeAtUs;
    }

    /** A schedule with work has used up the run fetched ahead: the leaser fetches the next one now. */
    private void wakeLeaserFor(LeasedSchedule schedule) {
        Thread thread = leaser;
        if (thread != null && schedule.wantsLease()) {
            LockSupport.unpark(thread);
        }
    }

    /**
     * The campaign's limit changed, or it may not send now: its waiting jobs move to a gate at the
     * new rate, or, with no limit left or sending stopped, on to their lanes (where a stopped
     * campaign's jobs are deferred without using a slot).
     */
    private void regate(long campaignId, int rate, CampaignControl control) {
        List<Ticket> released = new ArrayList<>();
        gates.compute(campaignId, (id, old) -> {
            CampaignGate next = rate > 0 && (control == null || control.allowsSendingAt(clock.instant()))
                    ? newGate(id, rate) : null;
            for (Ticket ticket = old == null ? null : old.poll(); ticket != null; ticket = old.poll()) {
                if (next != null) {
                    next.add(ticket);
                } else {
                    released.add(ticket);
                }
            }
            return next;
        });
        released.forEach(this::leaveGate);
    }

    /**
     * Calls Meta for {@code ticket} at {@code slotUs} of its lane's schedule. If the call cannot leave
     * within the lane's lateness (this replica was descheduled between the slot and the socket), it
     * does not leave at all: the job, still claimed, goes back to the head of the lane for another slot.
     */
    private void fire(Ticket ticket, Lane lane, long slotUs) {
        Instant now = clock.instant();
        budgetWait.record(System.nanoTime() - ticket.readyAtNanos, TimeUnit.NANOSECONDS);
        Verdict deferred = gate(ticket.job, now);
        if (deferred != null) {
            inFlight.release();
            settled.add(new Settled(ticket, deferred, System.nanoTime()));
            return;
        }
        CompletableFuture<MetaAnswer> call;
        try {
            call = graph.send(ticket.job, slotUs, slotUs + lane.schedule.latenessUs);
        } catch (RuntimeException e) {
            inFlight.release();
            settled.add(new Settled(ticket, OutcomeRules.invalid(ticket.job, e.getMessage(), now), System.nanoTime()));
            return;
        }
        call.whenComplete((answer, failure) -> {
            inFlight.release();
            if (answer instanceof MetaAnswer.MissedSlot) {
                missedSlots.increment();
                lane.departing.addFirst(ticket); // still marked departing: it takes the next slot
                return;
            }
            MetaAnswer result = failure == null ? answer : new MetaAnswer.Unanswered("client failure: " + failure);
            Verdict verdict = OutcomeRules.judge(ticket.job, result, clock.instant(), ThreadLocalRandom.current().nextDouble());
            applyToNumber(ticket.job, verdict);
            settled.add(new Settled(ticket, verdict, System.nanoTime()));
        });
    }

    /**
     * 130429 and 131057 hold the whole number's shared schedule (130429 also slows this replica's pace
     * on it); 190/401 stop its account.
     */
    private void applyToNumber(SendJob job, Verdict verdict) {
        Instant now = clock.instant();
        if (verdict.stopsAccount()) {
            accounts.stop(job.phoneNumberId(), verdict.outcome().errorCode(), verdict.outcome().errorMessage(), now);
        }
        if (!verdict.numberPause().isZero()) {
            Lane lane = lane(job.phoneNumberId());
            if (verdict.outcome().action() == MetaErrorPolicy.Action.BACK_OFF_NUMBER
                    && lane.pace.throttled(System.nanoTime())) {
                LOG.infof("Meta throttled number %s (130429): this replica's pace is now %.0f msg/s", job.phoneNumberId(),
                        lane.pace.perSecond());
            }
            LeasedSchedule schedule = lane.schedule;
            schedule.generation.incrementAndGet();
            schedule.nextLease.set(null);
            long untilUs = nowUs() + verdict.numberPause().toNanos() / 1000;
            registry.counter("wacast.sender.budget.backoffs", "phone_number_id", job.phoneNumberId()).increment();
            timers.execute(() -> {
                try {
                    budget.holdUntil(schedule.budgetKey, untilUs);
                } catch (RuntimeException e) {
                    LOG.warnf("could not hold the budget of %s: %s", job.phoneNumberId(), e.getMessage());
                }
            });
        }
    }

    // ---- recorder: answers → ledger (committed) → outcome published → offset may commit -------

    private void recordLoop() {
        List<Settled> batch = new ArrayList<>();
        while (running || !settled.isEmpty()) {
            try {
                Settled first = settled.poll(5, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                settled.drainTo(batch, BATCH - 1);
                // One transaction per few answers, not per answer: wait a moment for more to settle.
                long gatherUntil = System.nanoTime() + RECORD_GATHER_NANOS;
                while (batch.size() < RECORD_GATHER_TARGET && running && System.nanoTime() < gatherUntil) {
                    LockSupport.parkNanos(RECORD_GATHER_STEP_NANOS);
                    settled.drainTo(batch, BATCH - batch.size());
                }
                record(batch);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                LOG.errorf(e, "recorder failed; continuing");
            } finally {
                batch.clear();
            }
        }
    }

    private void record(List<Settled> batch) {
        List<SendLedger.Answer> answers = new ArrayList<>(batch.size());
        List<String> outcomeJson = new ArrayList<>(batch.size());
        for (Settled s : batch) {
            Verdict v = s.verdict();
            String outcome = publisher.toJson(v.outcome());
            outcomeJson.add(outcome);
            LedgerState state = switch (v.ledgerEffect()) {
                case ANSWERED -> LedgerState.ANSWERED;
                case RELEASED -> LedgerState.RELEASED;
                case UNKNOWN -> LedgerState.UNKNOWN;
            };
            answers.add(new SendLedger.Answer(s.ticket().job.jobId(), s.ticket().claimId, state,
                    v.outcome().status().value(), outcome,
                    v.retryJob() == null ? null : v.retryAt().toEpochMilli(),
                    v.retryJob() == null ? null : publisher.toJson(v.retryJob())));
        }
        try {
            List<String> lost = ledger.record(answers, clock.millis());
            if (!lost.isEmpty()) {
                LOG.warnf("%d answers found their claim taken over; published anyway", lost.size());
            }
        } catch (SendLedger.LedgerException e) {
            LOG.warnf("ledger record failed, retrying in %s: %s", STORE_RETRY, e.getMessage());
            List<Settled> again = List.copyOf(batch);
            timers.schedule(() -> settled.addAll(again), STORE_RETRY.toMillis(), TimeUnit.MILLISECONDS);
            return;
        }
        long now = System.nanoTime();
        for (int i = 0; i < batch.size(); i++) {
            Settled s = batch.get(i);
            ledgerLag.record(now - s.answeredAtNanos(), TimeUnit.NANOSECONDS);
            owned.remove(s.ticket().job.jobId(), s.ticket().claimId);
            countOutcome(s.verdict().outcome());
            Ticket ticket = s.ticket();
            String outcome = outcomeJson.get(i);
            whenAcked(() -> publisher.outcomeJson(ticket.job.campaignId(), outcome), ticket::done);
        }
    }

    // ---- retries: due-time re-publish from the ledger -----------------------------------------

    private void publishDueRetries() {
        if (!running) {
            return;
        }
        try {
            for (SendLedger.DueRetry retry : ledger.leaseDueRetries(clock.millis(), 500, 30_000)) {
                String key;
                try {
                    key = json.readTree(retry.retryJob()).path("to").asText();
                } catch (Exception e) {
                    key = retry.jobId();
                }
                publisher.jobJson(key, retry.retryJob()).whenComplete((ok, failure) -> {
                    if (failure == null) {
                        timers.execute(() -> {
                            try {
                                ledger.retryPublished(retry);
                            } catch (RuntimeException e) {
                                LOG.debugf("retry %s stays leased until its lease runs out: %s", retry.jobId(), e.getMessage());
                            }
                        });
                    }
                });
            }
        } catch (RuntimeException e) {
            LOG.warnf("due retries not published this round: %s", e.getMessage());
        }
    }

    // ---- helpers ---------------------------------------------------------------------------

    private void publishThenDone(Ticket ticket, Outcome outcome) {
        countOutcome(outcome);
        whenAcked(() -> publisher.outcome(outcome), ticket::done);
    }

    /**
     * Runs {@code then} when the broker acked; on failure publishes again a second later, so a job's
     * offset is never committed without its outcome on the topic and never stuck behind a lost one.
     */
    private void whenAcked(java.util.function.Supplier<CompletableFuture<Void>> publish, Runnable then) {
        publish.get().whenComplete((ok, failure) -> {
            if (failure == null) {
                then.run();
            } else {
                LOG.warnf("publish failed, trying again in %s: %s", STORE_RETRY, failure.getMessage());
                timers.schedule(() -> whenAcked(publish, then), STORE_RETRY.toMillis(), TimeUnit.MILLISECONDS);
            }
        });
    }

    private void countOutcome(Outcome outcome) {
        registry.counter("wacast.sender.outcomes", "status", outcome.status().value(), "code",
                outcome.errorCode() == null ? "none" : outcome.errorCode().toString()).increment();
    }

    private static String firstLine(String text) {
        if (text == null) {
            return "";
        }
        int newline = text.indexOf('\n');
        return newline < 0 ? text : text.substring(0, newline);
    }

    private long nowUs() {
        return SlotLease.epochMicros(clock.instant());
    }

    private static Thread daemon(Runnable runnable, String name) {
        Thread thread = new Thread(runnable, name);
        thread.setDaemon(true);
        return thread;
    }

    /**
     * Lets calls in flight finish and their answers be recorded, up to {@code grace}, then leaves: claims
     * still held (not yet departing) may be taken over by another replica at once.
     */
    public void drain(Duration grace) {
        long deadline = System.nanoTime() + grace.toNanos();
        while (System.nanoTime() < deadline
                && (inFlight.availablePermits() < config.maxInFlight() || !settled.isEmpty() || !owned.isEmpty())) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
        }
        left = true;
        try {
            ledger.leave(ProcessIdentity.ID, clock.millis() - Duration.ofDays(1).toMillis());
        } catch (RuntimeException e) {
            LOG.warnf("could not leave the ledger's process list (claims are taken over after the owner timeout): %s",
                    e.getMessage());
        }
    }

    @PreDestroy
    void stop() {
        running = false;
        timers.shutdownNow();
    }
}
