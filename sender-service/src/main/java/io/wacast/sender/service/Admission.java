package io.wacast.sender.service;

import java.time.Clock;
import java.time.Instant;

import io.wacast.common.event.CampaignControl;
import io.wacast.common.event.SendJob;

/**
 * Whether a job may go on now (its campaign's control and its number's account allow sending), and
 * its way into its number's {@link Lane}. Checked on arrival, on leaving a campaign's gate, and again
 * right before the call.
 */
final class Admission {

    private final AccountStops accounts;
    private final LatestControls controls;
    private final Lanes lanes;
    private final AckedPublisher publisher;
    private final Runnable wakeClaimer;
    private final Clock clock;

    Admission(AccountStops accounts, LatestControls controls, Lanes lanes, AckedPublisher publisher, Runnable wakeClaimer,
            Clock clock) {
        this.accounts = accounts;
        this.controls = controls;
        this.lanes = lanes;
        this.publisher = publisher;
        this.wakeClaimer = wakeClaimer;
        this.clock = clock;
    }

    /** Null when the campaign and the account allow sending now, else the deferred verdict. */
    Verdict refusal(SendJob job, Instant now) {
        if (accounts.isStopped(job.phoneNumberId(), now)) {
            return OutcomeRules.accountStopped(job, now);
        }
        CampaignControl control = controls.of(job.campaignId());
        if (control != null && !control.allowsSendingAt(now)) {
            return OutcomeRules.deferred(job, control, now);
        }
        return null;
    }

    /** Publishes the deferral of a job that may not go on now; false if it may. */
    boolean deferred(Ticket ticket) {
        Verdict deferred = refusal(ticket.job, clock.instant());
        if (deferred != null) {
            publisher.publishThenDone(ticket, deferred.outcome());
            return true;
        }
        return false;
    }

    /** Joins the tail of its number's lane, to be claimed. */
    void toLane(Ticket ticket) {
        lanes.of(ticket.job.phoneNumberId()).addWaiting(ticket);
        wakeClaimer.run();
    }

    /**
     * A job leaves its campaign's gate (its slot came, or the limit was lifted) for the head of its
     * number's lane: its timing is the campaign's, so it does not queue behind unpaced jobs.
     */
    void leaveGate(Ticket ticket) {
        if (deferred(ticket)) {
            return;
        }
        ticket.paced = true;
        lanes.of(ticket.job.phoneNumberId()).addWaitingFirst(ticket);
        wakeClaimer.run();
    }
}
