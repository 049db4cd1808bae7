package io.wacast.sender.service;

import java.util.concurrent.ConcurrentLinkedDeque;

/**
 * The jobs of one business number in this replica, by how far they got: waiting to be claimed,
 * claimed in the ledger (nothing sent; another replica takes them over if this one dies), marked
 * departing (their call may leave at any moment: a crash leaves them unknown), and the slots of the
 * number's shared schedule leased for them.
 */
final class Lane {

    final String phoneNumberId;
    /** How many jobs this replica keeps claimed ahead of their slots. */
    final int claimAhead;
    /** How many claimed jobs are kept marked departing ahead of their slots. */
    final int departAhead;
    final LeasedSchedule schedule;
    /** This replica's pace on the schedule: slowed by 130429, recovering while Meta is quiet. */
    final Pace pace;
    final ConcurrentLinkedDeque<Ticket> waiting = new ConcurrentLinkedDeque<>();
    final TicketQueue claimed = new TicketQueue();
    final TicketQueue departing = new TicketQueue();

    Lane(String phoneNumberId, Pace pace, int claimAhead, int departAhead, LeasedSchedule schedule) {
        this.phoneNumberId = phoneNumberId;
        this.pace = pace;
        this.claimAhead = claimAhead;
        this.departAhead = departAhead;
        this.schedule = schedule;
    }

    /** Jobs claimed by this replica and not yet handed to a call. */
    int held() {
        return claimed.size() + departing.size();
    }
}
