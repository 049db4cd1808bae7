package io.wacast.sender.service;

import java.util.concurrent.ConcurrentLinkedDeque;

/**
 * The jobs of one business number in this replica, by how far they got: waiting to be claimed,
 * claimed in the ledger (nothing sent; another replica takes them over if this one dies), marked
 * departing (their call may leave at any moment: a crash leaves them unknown), and the slots of the
 * number's shared schedule leased for them. The lane alone moves jobs between its queues, and each
 * queue keeps its own count ({@link TicketQueue}), so no caller can change one without the other.
 */
final class Lane {

    final String phoneNumberId;
    /** How many jobs this replica keeps claimed ahead of their slots (raised with the number's cap). */
    volatile int claimAhead;
    /** How many claimed jobs are kept marked departing ahead of their slots (raised with the number's cap). */
    volatile int departAhead;
    /** The number's throughput cap this lane is tuned for (msg/s): configured, or raised by Meta's upgrade. */
    volatile int cap;
    final LeasedSchedule schedule;
    /** This replica's pace on the schedule: slowed by 130429, recovering while Meta is quiet. */
    final Pace pace;
    private final ConcurrentLinkedDeque<Ticket> waiting = new ConcurrentLinkedDeque<>();
    private final TicketQueue claimed = new TicketQueue();
    private final TicketQueue departing = new TicketQueue();

    Lane(String phoneNumberId, int cap, Pace pace, int claimAhead, int departAhead, LeasedSchedule schedule) {
        this.phoneNumberId = phoneNumberId;
        this.cap = cap;
        this.pace = pace;
        this.claimAhead = claimAhead;
        this.departAhead = departAhead;
        this.schedule = schedule;
    }

    /** Jobs claimed by this replica and not yet handed to a call. */
    int held() {
        return claimed.size() + departing.size();
    }

    // ---- waiting to be claimed ----

    void addWaiting(Ticket ticket) {
        waiting.addLast(ticket);
    }

    /** Ahead of every waiting job: a job its campaign's gate released, or one the claimer put back. */
    void addWaitingFirst(Ticket ticket) {
        waiting.addFirst(ticket);
    }

    Ticket peekWaiting() {
        return waiting.peekFirst();
    }

    Ticket pollWaiting() {
        return waiting.pollFirst();
    }

    // ---- claimed, not yet marked departing ----

    /** A paced job (released by its campaign's gate) goes ahead of the unpaced ones. */
    void addClaimed(Ticket ticket) {
        if (ticket.paced) {
            claimed.addFirst(ticket);
        } else {
            claimed.addLast(ticket);
        }
    }

    /** Back to the head, in its place: its departing mark did not commit. */
    void returnClaimed(Ticket ticket) {
        claimed.addFirst(ticket);
    }

    Ticket pollClaimed() {
        return claimed.pollFirst();
    }

    // ---- marked departing: the call may leave ----

    void addDeparting(Ticket ticket) {
        if (ticket.paced) {
            departing.addFirst(ticket);
        } else {
            departing.addLast(ticket);
        }
    }

    /** Back to the head: its call missed its slot and never left; it takes the next one. */
    void returnDeparting(Ticket ticket) {
        departing.addFirst(ticket);
    }

    Ticket pollDeparting() {
        return departing.pollFirst();
    }

    int departingCount() {
        return departing.size();
    }
}
