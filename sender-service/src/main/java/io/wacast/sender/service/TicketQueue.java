package io.wacast.sender.service;

import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A deque of tickets that knows its size in O(1) and keeps that size honest: a ticket is added before
 * it is counted and uncounted only once polled, so a reader that trusts the count never polls a
 * ticket that is not there (a count kept beside the deque by its callers once drifted, and a claimed
 * job stranded with a count of zero).
 */
final class TicketQueue {

    private final ConcurrentLinkedDeque<Ticket> tickets = new ConcurrentLinkedDeque<>();
    private final AtomicInteger size = new AtomicInteger();

    void addFirst(Ticket ticket) {
        tickets.addFirst(ticket);
        size.incrementAndGet();
    }

    void addLast(Ticket ticket) {
        tickets.addLast(ticket);
        size.incrementAndGet();
    }

    /** Null when empty. */
    Ticket pollFirst() {
        Ticket ticket = tickets.pollFirst();
        if (ticket != null) {
            size.decrementAndGet();
        }
        return ticket;
    }

    int size() {
        return size.get();
    }
}
