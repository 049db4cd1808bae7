package io.wacast.sender.service;

import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The jobs of one business number in this replica: those waiting to be claimed, those claimed and
 * waiting for a slot of the number's shared schedule, and the slots leased for them.
 */
final class Lane {

    final String phoneNumberId;
    final int claimAhead;
    final LeasedSchedule schedule;
    /** This replica's pace on the schedule: slowed by 130429, recovering while Meta is quiet. */
    final Pace pace;
    final ConcurrentLinkedDeque<Ticket> waiting = new ConcurrentLinkedDeque<>();
    final ConcurrentLinkedDeque<Ticket> ready = new ConcurrentLinkedDeque<>();
    final AtomicInteger readyCount = new AtomicInteger();

    Lane(String phoneNumberId, Pace pace, int claimAhead, int slice, long latenessUs) {
        this.phoneNumberId = phoneNumberId;
        this.pace = pace;
        this.claimAhead = claimAhead;
        this.schedule = new LeasedSchedule("number:" + phoneNumberId, slice, latenessUs);
    }
}
