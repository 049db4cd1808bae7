package io.wacast.sender.service;

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
    private final TicketQueue waiting = new TicketQueue();
    private volatile long lastActiveNanos = System.nanoTime();

    CampaignGate(long campaignId, int ratePerMinute, long intervalUs, LeasedSchedule schedule) {
        this.campaignId = campaignId;
        this.ratePerMinute = ratePerMinute;
        this.intervalUs = intervalUs;
        this.schedule = schedule;
    }

    void add(Ticket ticket) {
        waiting.addLast(ticket);
        lastActiveNanos = System.nanoTime();
    }

    /** Null when no job waits. */
    Ticket poll() {
        Ticket ticket = waiting.pollFirst();
        if (ticket != null) {
            lastActiveNanos = System.nanoTime();
        }
        return ticket;
    }

    int waiting() {
        return waiting.size();
    }

    /** How long no job came or went. */
    long idleNanos() {
        return System.nanoTime() - lastActiveNanos;
    }
}
