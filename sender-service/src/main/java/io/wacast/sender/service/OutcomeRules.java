package io.wacast.sender.service;

import java.time.Duration;
import java.time.Instant;

import io.wacast.common.event.CampaignControl;
import io.wacast.common.event.Outcome;
import io.wacast.common.event.OutcomeStatus;
import io.wacast.common.event.SendJob;
import io.wacast.common.meta.MetaErrorPolicy;
import io.wacast.common.meta.MetaErrorPolicy.Action;
import io.wacast.common.meta.MetaErrorPolicy.Decision;
import io.wacast.sender.client.Endpoint;
import io.wacast.sender.client.MetaAnswer;
import io.wacast.sender.config.SenderConfig.MarketingMessages.Fallback;
import io.wacast.sender.service.Verdict.LedgerEffect;

/**
 * Turns Meta's answer to one attempt into a {@link Verdict}, applying {@link MetaErrorPolicy}
 * (docs/DESIGN.md §6). Pure, so every error class is unit-tested without a network.
 */
public final class OutcomeRules {

    /** How long 131057 (throughput upgrade) stops the number. */
    static final Duration UPGRADE_PAUSE = Duration.ofSeconds(60);
    /**
     * How long a 130429 holds the whole number's schedule: a quarter of Meta's one-second window, room
     * for the burst that overfilled it to age out. The lasting back-off is the slower pace that
     * follows (see Pace); holding for seconds would lose seconds of sending to every burst.
     */
    static final Duration THROTTLE_HOLD = Duration.ofMillis(250);

    private OutcomeRules() {
    }

    /** The answer of {@code /messages}. */
    public static Verdict judge(SendJob job, MetaAnswer answer, Instant now, double jitter) {
        return judge(job, Endpoint.MESSAGES, answer, now, jitter, Fallback.MESSAGES);
    }

    /**
     * The answer of {@code endpoint}; {@code fallback} is what the job's number does when the Marketing
     * Messages API refuses it.
     */
    public static Verdict judge(SendJob job, Endpoint endpoint, MetaAnswer answer, Instant now, double jitter,
            Fallback fallback) {
        if (answer instanceof MetaAnswer.Accepted accepted) {
            return answered(outcome(job, OutcomeStatus.SENT, accepted.wamid(), accepted.messageStatus(), null, null,
                    null, null, now));
        }
        if (answer instanceof MetaAnswer.Unanswered unanswered) {
            return new Verdict(outcome(job, OutcomeStatus.UNKNOWN, null, null, null,
                    "request left but no answer (" + unanswered.reason() + "); Meta may have accepted it, "
                            + "settled by the status webhook",
                    null, null, now), LedgerEffect.UNKNOWN, null, Duration.ZERO, false);
        }
        if (answer instanceof MetaAnswer.NotSent notSent) {
            Decision network = MetaErrorPolicy.forNetworkFailure();
            return decide(job, withMeaning(network, network.meaning() + " (" + notSent.reason() + ")"), null, now, jitter);
        }
        if (answer instanceof MetaAnswer.MissedSlot missed) {
            // the pipeline gives such a job another slot; judged, it is what it is: never sent, retryable
            Decision network = MetaErrorPolicy.forNetworkFailure();
            return decide(job, withMeaning(network, "the call missed its slot by " + missed.lateByUs() / 1000 + " ms"),
                    null, now, jitter);
        }
        if (answer instanceof MetaAnswer.BreakerOpen open) {
            Decision backOff = withMeaning(MetaErrorPolicy.forCode(130429),
                    "circuit breaker open for this number after repeated transient failures");
            Verdict verdict = decide(job, backOff, null, now, jitter);
            if (verdict.retryJob() == null) {
                return verdict;
            }
            Instant retryAt = open.until().plusMillis(Math.round(1000 * jitter));
            return retryAt(verdict, retryAt, now);
        }
        MetaAnswer.Rejected rejected = (MetaAnswer.Rejected) answer;
        if (endpoint == Endpoint.MARKETING_MESSAGES && rejected.code() != null) {
            Decision decision = MetaErrorPolicy.forMarketingMessages(rejected.httpStatus(), rejected.code());
            if (decision.action() == Action.MARKETING_API_UNAVAILABLE || decision.action() == Action.ROUTE_TO_MESSAGES) {
                return toMessages(job, decision, rejected, now, fallback);
            }
        }
        return decide(job, decision(rejected), rejected, now, jitter);
    }

    /**
     * The Marketing Messages API refused the job and nothing was sent: the next attempt goes to
     * {@code /messages} at once — unless the API refused the number (terms not accepted) and the number's
     * fallback is {@code fail}: then the job is deferred (the recipient back to pending) and its campaign
     * paused with the reason, to be resumed once the terms are accepted.
     */
    private static Verdict toMessages(SendJob job, Decision decision, MetaAnswer.Rejected rejected, Instant now,
            Fallback fallback) {
        String message = describe(decision, rejected);
        if (decision.action() == Action.MARKETING_API_UNAVAILABLE && fallback == Fallback.FAIL) {
            String reason = "the Marketing Messages API refused number " + job.phoneNumberId() + " (Meta error "
                    + rejected.code() + ": " + message + ") and its fallback is 'fail'; accept the Marketing Messages"
                    + " API terms of service, or set wacast.sender.marketing-messages fallback to 'messages', then resume";
            return new Verdict(outcome(job, OutcomeStatus.DEFERRED, null, null, null, reason,
                    Action.FAIL_AND_PAUSE_CAMPAIGN, null, now), LedgerEffect.RELEASED, null, Duration.ZERO, false);
        }
        if (!decision.shouldRetry(job.attempt())) {
            return answered(outcome(job, OutcomeStatus.FAILED, null, null, rejected.code(), message, decision.action(),
                    null, now));
        }
        Outcome outcome = outcome(job, OutcomeStatus.RETRY_SCHEDULED, null, null, rejected.code(),
                message + "; the next attempt goes to /messages", decision.action(), now, now);
        return new Verdict(outcome, LedgerEffect.ANSWERED, job.nextAttempt(now, now).viaMessagesApi(), Duration.ZERO,
                false);
    }

    /** The campaign does not allow sending now: the campaign service re-dispatches the job later. */
    public static Verdict deferred(SendJob job, CampaignControl control, Instant now) {
        String reason = control.status() != io.wacast.common.status.CampaignStatus.SENDING
                ? "campaign is " + control.status().value()
                : "outside the campaign's send window";
        return new Verdict(outcome(job, OutcomeStatus.DEFERRED, null, null, null, reason, null, null, now),
                LedgerEffect.RELEASED, null, Duration.ZERO, false);
    }

    /** The number's account was stopped by 190/401 earlier: nothing is sent until it is fixed. */
    public static Verdict accountStopped(SendJob job, Instant now) {
        return new Verdict(outcome(job, OutcomeStatus.DEFERRED, null, null, null,
                "sending stopped for this account after an authorisation error", Action.STOP_ACCOUNT, null, now),
                LedgerEffect.RELEASED, null, Duration.ZERO, false);
    }

    /** A job that can never be sent as it is (bad payload, unknown number, missing variables). */
    public static Verdict invalid(SendJob job, String reason, Instant now) {
        return answered(outcome(job, OutcomeStatus.FAILED, null, null, null, reason, Action.FAIL, null, now));
    }

    private static Decision decision(MetaAnswer.Rejected rejected) {
        if (rejected.code() != null) {
            return MetaErrorPolicy.forHttp(rejected.httpStatus(), rejected.code());
        }
        int status = rejected.httpStatus();
        if (status == 401 || status == 429 || status >= 500) {
            return MetaErrorPolicy.forHttp(status, null);
        }
        // No Meta error in the body: not an answer we understand, so not a verdict on the message.
        Decision transientError = MetaErrorPolicy.forCode(131000);
        return withMeaning(transientError, "unexpected Meta response, HTTP " + status);
    }

    private static Verdict decide(SendJob job, Decision decision, MetaAnswer.Rejected rejected, Instant now,
            double jitter) {
        Integer code = rejected == null ? null : rejected.code();
        String message = rejected == null ? decision.meaning() : describe(decision, rejected);
        Action action = decision.action();
        Duration pause = switch (action) {
            case BACK_OFF_NUMBER -> rejected == null ? Duration.ZERO : THROTTLE_HOLD;
            case PAUSE_NUMBER -> UPGRADE_PAUSE;
            default -> Duration.ZERO;
        };
        if (decision.stopsAccount()) {
            return new Verdict(outcome(job, OutcomeStatus.DEFERRED, null, null, code, message, action, null, now),
                    LedgerEffect.RELEASED, null, pause, true);
        }
        if (action == Action.OPT_OUT) {
            return answered(outcome(job, OutcomeStatus.OPTED_OUT, null, null, code, message, action, null, now));
        }
        if (decision.shouldRetry(job.attempt())) {
            Instant retryAt = now.plus(MetaErrorPolicy.backoff(decision, job.attempt(), jitter));
            Outcome outcome = outcome(job, OutcomeStatus.RETRY_SCHEDULED, null, null, code, message, action, retryAt, now);
            return new Verdict(outcome, LedgerEffect.ANSWERED, job.nextAttempt(retryAt, now), pause, false);
        }
        return new Verdict(outcome(job, OutcomeStatus.FAILED, null, null, code, message, action, null, now),
                LedgerEffect.ANSWERED, null, pause, false);
    }

    private static Verdict retryAt(Verdict verdict, Instant retryAt, Instant now) {
        Outcome o = verdict.outcome();
        Outcome moved = new Outcome(o.eventId(), o.schemaVersion(), o.jobId(), o.campaignId(), o.recipientId(),
                o.status(), o.wamid(), o.messageStatus(), o.errorCode(), o.errorMessage(), o.action(), retryAt,
                o.attempt(), o.occurredAt());
        SendJob retry = verdict.retryJob();
        SendJob movedJob = retry.notBefore(retryAt, now);
        return new Verdict(moved, verdict.ledgerEffect(), movedJob, verdict.numberPause(), verdict.stopsAccount());
    }

    private static String describe(Decision decision, MetaAnswer.Rejected rejected) {
        StringBuilder text = new StringBuilder(decision.meaning());
        text.append(" (HTTP ").append(rejected.httpStatus());
        if (rejected.subcode() != null) {
            text.append(", subcode ").append(rejected.subcode());
        }
        text.append("): ").append(rejected.message());
        return text.toString();
    }

    private static Decision withMeaning(Decision d, String meaning) {
        return new Decision(d.action(), d.retryable(), d.maxAttempts(), d.baseDelay(), meaning, d.pausesCampaign(),
                d.stopsAccount());
    }

    private static Verdict answered(Outcome outcome) {
        return new Verdict(outcome, LedgerEffect.ANSWERED, null, Duration.ZERO, false);
    }

    private static Outcome outcome(SendJob job, OutcomeStatus status, String wamid, String messageStatus, Integer code,
            String message, Action action, Instant retryAt, Instant now) {
        return Outcome.of(job.jobId(), job.campaignId(), job.recipientId(), status, wamid, messageStatus, code, message,
                action, retryAt, job.attempt(), now);
    }
}
