package io.wacast.sender.service;

import java.time.Duration;
import java.util.Collection;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import org.jboss.logging.Logger;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.wacast.sender.budget.SlotLease;
import io.wacast.sender.config.SenderConfig;

/** The {@link Lane} of every business number this replica has jobs for, each sized from the number's cap. */
final class Lanes {

    private static final Logger LOG = Logger.getLogger(Lanes.class);
    /** The 130429s of one burst reach us within about a call's latency: they slow the pace once. */
    private static final long THROTTLE_CUT_SPACING_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final SenderConfig config;
    private final MeterRegistry registry;
    private final Map<String, Lane> lanes = new ConcurrentHashMap<>();
    /** Caps Meta raised since this replica started (throughput upgrades), over the configured ones. */
    private final Map<String, Integer> raised = new ConcurrentHashMap<>();

    Lanes(SenderConfig config, MeterRegistry registry) {
        this.config = config;
        this.registry = registry;
    }

    Collection<Lane> all() {
        return lanes.values();
    }

    Lane of(String phoneNumberId) {
        return lanes.computeIfAbsent(phoneNumberId, id -> {
            int rate = capOf(id);
            Tuning tuning = tuning(id, rate);
            SenderConfig.Throttle throttle = config.throttle();
            Pace pace = new Pace(tuning.intervalUs, throttle.floor(), throttle.cut(), throttle.recoverStep(),
                    throttle.recoverEvery().toNanos(), THROTTLE_CUT_SPACING_NANOS);
            Gauge.builder("wacast.sender.budget.pace", pace, p -> p.perSecond(System.nanoTime()))
                    .description("Messages per second this replica takes from the number's schedule (lowered by 130429)")
                    .tag("phone_number_id", id).register(registry);
            LeasedSchedule schedule = new LeasedSchedule("number:" + id, tuning.slice, tuning.latenessUs,
                    config.leaseHorizon().toNanos() / 1000);
            return new Lane(id, rate, pace, tuning.claimAhead, tuning.departAhead, schedule);
        });
    }

    /** The number's cap now: the configured one, or the one Meta raised it to since this replica started. */
    int capOf(String phoneNumberId) {
        return Math.max(config.throughputOf(phoneNumberId), raised.getOrDefault(phoneNumberId, 0));
    }

    /**
     * Meta raised the number's throughput to {@code cap} (msg/s): its lane takes slots at the new spacing
     * from its next lease on, without a restart. Never lowers a cap; false when nothing changed.
     */
    boolean raise(String phoneNumberId, int cap) {
        if (cap <= capOf(phoneNumberId)) {
            return false;
        }
        Tuning tuning = tuning(phoneNumberId, cap); // settings that would break the cap throw before anything changes
        raised.merge(phoneNumberId, cap, Math::max);
        Lane lane = lanes.get(phoneNumberId);
        if (lane != null) {
            synchronized (lane) {
                lane.cap = cap;
                lane.claimAhead = tuning.claimAhead;
                lane.departAhead = tuning.departAhead;
                lane.schedule.slice = tuning.slice;
                lane.schedule.latenessUs = tuning.latenessUs;
                lane.pace.rebase(tuning.intervalUs);
            }
        }
        LOG.infof("number %s: throughput raised to %d msg/s", phoneNumberId, cap);
        return true;
    }

    /** What a lane of cap {@code rate} works with. */
    private record Tuning(long intervalUs, long latenessUs, int claimAhead, int departAhead, int slice) {
    }

    private Tuning tuning(String id, int rate) {
        long interval = SlotLease.intervalUs(rate, config.budgetUtilisation());
        long lateness = lateness(id, rate, interval);
        long perSecond = 1_000_000 / interval;
        int claimAhead = (int) Math.max(8, perSecond * config.claimAhead().toMillis() / 1000);
        int departAhead = (int) Math.max(2, Math.ceil(perSecond * config.departureLookahead().toNanos() / 1e9));
        int slice = (int) Math.max(1, Math.min(config.leaseSlice(), perSecond / 40));
        return new Tuning(interval, lateness, claimAhead, departAhead, slice);
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
            throw new IllegalStateException(String.format(Locale.ROOT,
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
}
