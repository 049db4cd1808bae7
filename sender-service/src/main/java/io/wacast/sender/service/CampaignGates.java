package io.wacast.sender.service;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.LongConsumer;

import io.wacast.common.event.CampaignControl;
import io.wacast.sender.budget.SlotLease;
import io.wacast.sender.config.SenderConfig;

/**
 * The {@link CampaignGate}s of the campaigns with their own rate limit that have jobs here: jobs wait
 * in them, unclaimed, for a slot of the campaign's shared schedule. The intake adds to them; the
 * firing thread lets jobs out at their slots and follows changes of a campaign's limit.
 */
final class CampaignGates {

    private static final long MIN_CAMPAIGN_LATENESS_US = 1_000;
    private static final long MAX_CAMPAIGN_LATENESS_US = 250_000;
    private static final long IDLE_GATE_NANOS = TimeUnit.SECONDS.toNanos(60);

    private final SenderConfig config;
    private final LatestControls controls;
    private final Admission admission;
    private final Clock clock;
    /** Changed only inside {@code compute}. */
    private final Map<Long, CampaignGate> gates = new ConcurrentHashMap<>();

    CampaignGates(SenderConfig config, LatestControls controls, Admission admission, Clock clock) {
        this.config = config;
        this.controls = controls;
        this.admission = admission;
        this.clock = clock;
    }

    Collection<CampaignGate> all() {
        return gates.values();
    }

    /** {@code ticket}'s campaign limits its rate ({@code control}): the job waits at the gate. */
    void add(Ticket ticket, CampaignControl control) {
        gates.compute(control.campaignId(), (id, gate) -> {
            CampaignGate held = gate != null ? gate : newGate(id, control.rateLimitPerMinute());
            held.add(ticket);
            return held;
        });
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
     * Lets one job of each rate-limited campaign whose slot is due go on to its number's lane, and
     * follows changes of a campaign's limit; returns when the firer should look again. Firing
     * thread only: {@code dropped} hears of slots that went unused, {@code leaseWanted} of a schedule
     * with work that has used up the run fetched ahead.
     */
    long release(long nowUs, LongConsumer dropped, Consumer<LeasedSchedule> leaseWanted) {
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
            long slot = gate.schedule.nextSlot(nowUs, dropped);
            leaseWanted.accept(gate.schedule);
            if (slot < 0) {
                continue; // the leaser wakes the firer with the next run of slots
            }
            if (slot > nowUs) {
                wakeAtUs = Math.min(wakeAtUs, slot);
            } else if (gate.schedule.take(nowUs, 0)) {
                Ticket ticket = gate.poll();
                admission.leaveGate(ticket);
                wakeAtUs = nowUs;
            }
        }
        return wakeAtUs;
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
        released.forEach(admission::leaveGate);
    }
}
