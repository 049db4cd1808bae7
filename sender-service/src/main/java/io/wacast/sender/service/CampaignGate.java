package io.wacast.sender.service;

import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The jobs of one campaign with its own {@code rateLimit} in this replica, waiting for a slot of
 * the campaign's schedule ({@code campaign:<id>}, shared by every replica like a number's) before
 * they go on to be claimed and to wait for their number's slot. They wait here unclaimed, so a
 * slow campaign never holds ledger claims that a crash would turn into unknowns.
 */
final class CampaignGate {

    final long campaignId;
    final int ratePerMinute;
    /** The spacing of the campaign's slots: exactly its rate, for every replica. */
    final long intervalUs;
    final LeasedSchedule schedule;
    final ConcurrentLinkedDeque<Ticket> waiting = new ConcurrentLinkedDeque<>();
    final AtomicInteger waitingCount = new AtomicInteger();
    private volatile long lastActiveNanos = System.nanoTime();

    CampaignGate(long campaignId, int ratePerMinute, long intervalUs, int slice, long latenessUs) {
        this.campaignId = campaignId;
        this.ratePerMinute = ratePerMinute;
        this.intervalUs = intervalUs;
        this.schedule = new LeasedSchedule("campaign:" + campaignId, slice, latenessUs);
    }

    void add(Ticket ticket) {
        waiting.addLast(ticket);
        waitingCount.incrementAndGet();
        lastActiveNanos = System.nanoTime();
    }

    Ticket poll() {
        Ticket ticket = waiting.pollFirst();
        if (ticket != null) {
            waitingCount.decrementAndGet();
            lastActiveNanos = System.nanoTime();
        }
        return ticket;
    }

    /** How long no job came or went. */
    long idleNanos() {
        return System.nanoTime() - lastActiveNanos;
    }
}
