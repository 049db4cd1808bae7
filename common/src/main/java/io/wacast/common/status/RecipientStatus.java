package io.wacast.common.status;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import io.wacast.common.WireNames;

/**
 * Where one recipient of a campaign stands (docs/DESIGN.md §4). Outcomes and webhooks arrive duplicated
 * and out of order, so a status only ever moves to a higher {@link #rank()}; {@link #advance} is the
 * single place that decides.
 *
 * <p>{@code failed}, {@code opted_out} and {@code cancelled} end sending, but evidence from Meta still
 * moves them: a {@code sent} outcome from a job that raced a cancel wins over {@code cancelled}, and
 * Meta sends {@code delivered} after {@code failed} when the user has several devices.
 */
public enum RecipientStatus {
    PENDING(0),
    QUEUED(1),
    SENDING(2),
    /** Waiting for a retry the sender has scheduled. */
    RETRY(2),
    /** The sender died between calling Meta and recording the answer; only a webhook settles it. */
    UNKNOWN(2),
    OPTED_OUT(3),
    /** The campaign was cancelled before this recipient was sent. */
    CANCELLED(3),
    SENT(4),
    /** Above {@code sent} (a failure webhook overrides it) and below {@code delivered}. */
    FAILED(5),
    DELIVERED(6),
    READ(7),
    RESPONDED(8);

    private final int rank;

    RecipientStatus(int rank) {
        this.rank = rank;
    }

    public int rank() {
        return rank;
    }

    /** Sending ended without delivery: no further attempt will be made. */
    public boolean isTerminal() {
        return this == FAILED || this == OPTED_OUT || this == CANCELLED;
    }

    /**
     * No more sending will happen for this recipient; a campaign completes when all are done.
     * {@code unknown} counts as done here: the sender never re-sends it, and a sender that died
     * before its call left leaves no webhook to settle it. The campaign service's safety net may
     * still hold a campaign open while it decides on a re-send (docs/DESIGN.md §4). A late webhook
     * still moves it forward.
     */
    public boolean isDone() {
        return isTerminal() || this == UNKNOWN || rank >= SENT.rank;
    }

    /**
     * The status after {@code incoming} arrives for a recipient that is {@code current}: the higher
     * rank wins, duplicates and late arrivals change nothing. Within the in-flight rank, sending and
     * retry replace each other and may become unknown, but unknown stays until a webhook settles it,
     * because an unknown send must never be retried automatically.
     */
    public static RecipientStatus advance(RecipientStatus current, RecipientStatus incoming) {
        if (incoming.rank > current.rank) {
            return incoming;
        }
        if (incoming.rank == current.rank && current.isRetryable() && incoming.isInFlight()) {
            return incoming;
        }
        return current;
    }

    private boolean isInFlight() {
        return this == SENDING || this == RETRY || this == UNKNOWN;
    }

    private boolean isRetryable() {
        return this == SENDING || this == RETRY;
    }

    @JsonValue
    public String value() {
        return WireNames.of(this);
    }

    /** Named {@code fromString} so JAX-RS also uses it for query and path parameters. */
    @JsonCreator
    public static RecipientStatus fromString(String value) {
        return WireNames.parse(RecipientStatus.class, value);
    }
}
