package io.wacast.campaign.domain;

import java.time.Duration;
import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonValue;

import io.wacast.common.WireNames;
import io.wacast.common.meta.MetaErrorPolicy;
import io.wacast.common.status.RecipientStatus;

/**
 * The outcomes of a campaign a follow-up can be made of (docs/DESIGN.md §4, "Follow-ups"): the
 * recipients of the source standing in one status now, or who pressed one button, and which of them qualify.
 */
public enum FollowUpOutcome {

    /** Failed for a reason another attempt may overcome ({@link #retryable}). */
    FAILED(RecipientStatus.FAILED),
    /** Accepted by Meta, never reported delivered. */
    NOT_DELIVERED(RecipientStatus.SENT),
    /** Delivered at least {@code afterHours} ago and not read. */
    DELIVERED_NOT_READ(RecipientStatus.DELIVERED),
    /** Read, never answered. */
    READ_NOT_RESPONDED(RecipientStatus.READ),
    /**
     * Answered our message: a reply or button press quoting it, or an un-quoted one within the reply
     * window (docs/DESIGN.md §4, "Replies, buttons and orders").
     */
    RESPONDED(RecipientStatus.RESPONDED),
    /**
     * Pressed a given quick-reply button (its payload), whatever status they stand in now: read from the
     * credited replies ({@code campaign_replies}), not from a status.
     */
    CLICKED(null);

    /** Why a candidate of the source is not taken into the follow-up. */
    public enum Verdict {
        TAKE,
        /** Failed for a reason that would fail again (the user, the number, an unknown code, no code). */
        NOT_RETRYABLE,
        /** 131049 inside the quiet period, or delivered less than {@code afterHours} ago: eligible later. */
        TOO_RECENT
    }

    private final RecipientStatus status;

    FollowUpOutcome(RecipientStatus status) {
        this.status = status;
    }

    /** The status the source's recipients stand in now; null for {@link #CLICKED}, which no status tells. */
    public RecipientStatus status() {
        return status;
    }

    /**
     * Whether a recipient in {@link #status()} qualifies. {@code since}: when the row last changed
     * ({@code recipients.updated_at}: when wacast recorded the failure or the delivery);
     * {@code quietSince} / {@code deliveredBy}: the cut-offs of the 131049 quiet period and of afterHours.
     */
    public Verdict judge(Integer errorCode, Instant since, Instant quietSince, Instant deliveredBy) {
        return switch (this) {
            case FAILED -> errorCode == null || !retryable(errorCode) ? Verdict.NOT_RETRYABLE
                    : errorCode == MARKETING_LIMIT && since.isAfter(quietSince) ? Verdict.TOO_RECENT
                    : Verdict.TAKE;
            case DELIVERED_NOT_READ -> since.isAfter(deliveredBy) ? Verdict.TOO_RECENT : Verdict.TAKE;
            default -> Verdict.TAKE;
        };
    }

    /** Meta's per-user marketing limit: retried only after a quiet period. */
    public static final int MARKETING_LIMIT = 131049;

    /**
     * A failure another campaign may overcome, by {@link MetaErrorPolicy}: the codes it retries
     * (throughput, pair rate, maintenance, Meta's transient errors, 131026 undeliverable), those that
     * blame the campaign or the account rather than the user (template, parameters, spam rate, account
     * stops), and 131049 (after the quiet period). Never 131050 (the user stopped marketing), never a
     * plain {@code fail} (the user, their country, their number), never an unknown code.
     */
    public static boolean retryable(int code) {
        MetaErrorPolicy.Action action = MetaErrorPolicy.forCode(code).action();
        return switch (action) {
            case BACK_OFF_NUMBER, RETRY_RECIPIENT_LATER, PAUSE_NUMBER, RETRY_TRANSIENT, FAIL_WITH_ONE_RETRY,
                    FAIL_MARKETING_LIMIT, FAIL_AND_PAUSE_CAMPAIGN, STOP_ACCOUNT, MARKETING_API_UNAVAILABLE,
                    ROUTE_TO_MESSAGES -> true;
            case OPT_OUT, FAIL -> false;
        };
    }

    /** Default of {@code afterHours} for {@link #DELIVERED_NOT_READ}. */
    public static final Duration DEFAULT_AFTER = Duration.ofHours(24);

    @JsonValue
    public String value() {
        return WireNames.of(this);
    }

    /**
     * The outcome as {@code follow_up_recipients} keys it: a recipient is in one follow-up per source
     * and outcome, and for {@link #CLICKED} per button (the payload's SHA-256, cut to fit the column).
     */
    public String key(String payload) {
        return this == CLICKED ? "clicked:" + io.wacast.campaign.domain.PhoneHash.of(payload).substring(0, 24) : value();
    }
}
