package io.wacast.sender.service;

import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import io.wacast.sender.budget.SlotLease;

/**
 * The jobs of one business number in this replica: those waiting to be claimed, those claimed and
 * waiting for a slot of the number's shared schedule, and the slots leased for them.
 */
final class Lane {

    final String phoneNumberId;
    final String budgetKey;
    final long intervalUs;
    final int claimAhead;
    final int slice;
    final ConcurrentLinkedDeque<Ticket> waiting = new ConcurrentLinkedDeque<>();
    final ConcurrentLinkedDeque<Ticket> ready = new ConcurrentLinkedDeque<>();
    final AtomicInteger readyCount = new AtomicInteger();
    /** Used by the dispatcher thread only. */
    SlotLease lease = SlotLease.empty();
    /** Filled by the leaser thread, swapped in by the dispatcher. */
    final AtomicReference<SlotLease> nextLease = new AtomicReference<>();
    /** Bumped when the number is told to back off: leases fetched before are abandoned. */
    final AtomicInteger generation = new AtomicInteger();

    Lane(String phoneNumberId, long intervalUs, int claimAhead, int slice) {
        this.phoneNumberId = phoneNumberId;
        this.budgetKey = "number:" + phoneNumberId;
        this.intervalUs = intervalUs;
        this.claimAhead = claimAhead;
        this.slice = slice;
    }
}
