package io.wacast.sender.service;

import java.time.Duration;
import java.time.Instant;

import io.wacast.common.event.Outcome;
import io.wacast.common.event.SendJob;

/**
 * Everything that follows from one attempt's answer: the outcome to publish, what the ledger
 * records, the next attempt (if any) and what happens to the sending number.
 *
 * @param retryJob the next attempt to re-publish at {@code outcome.retryAt()}, or null
 * @param numberPause how long the whole business number stops taking tokens (130429, 131057), or zero
 */
public record Verdict(Outcome outcome, LedgerEffect ledgerEffect, SendJob retryJob, Duration numberPause,
        boolean stopsAccount) {

    /** How the send ledger records the attempt. */
    public enum LedgerEffect {
        /** Meta gave an answer (or the job can never be sent): a redelivery republishes it. */
        ANSWERED,
        /** Nothing was sent and a later try of the same job may send it (deferred). */
        RELEASED,
        /** Meta may have accepted it: never sent again, settled by the webhook. */
        UNKNOWN
    }

    public Instant retryAt() {
        return outcome.retryAt();
    }
}
