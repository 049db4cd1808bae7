package io.wacast.common.event;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import io.wacast.common.WireNames;
import io.wacast.common.status.RecipientStatus;

/** What a sender did with one attempt of a {@link SendJob}. */
public enum OutcomeStatus {
    /** Meta accepted the message; the outcome carries the wamid. */
    SENT,
    FAILED,
    /** A later attempt is scheduled; the outcome carries {@code retryAt}. */
    RETRY_SCHEDULED,
    /**
     * Not sent because the campaign is paused, cancelled or outside its send window; the job is
     * dropped and the campaign service dispatches the recipient again when sending resumes.
     */
    DEFERRED,
    /** The sender lost track of whether Meta accepted the message; never retried automatically. */
    UNKNOWN,
    OPTED_OUT;

    /**
     * The recipient status this outcome reports, to feed {@link RecipientStatus#advance}. A deferred
     * job leaves the recipient queued.
     */
    public RecipientStatus recipientStatus() {
        return switch (this) {
            case SENT -> RecipientStatus.SENT;
            case FAILED -> RecipientStatus.FAILED;
            case RETRY_SCHEDULED -> RecipientStatus.RETRY;
            case DEFERRED -> RecipientStatus.QUEUED;
            case UNKNOWN -> RecipientStatus.UNKNOWN;
            case OPTED_OUT -> RecipientStatus.OPTED_OUT;
        };
    }

    @JsonValue
    public String value() {
        return WireNames.of(this);
    }

    @JsonCreator
    public static OutcomeStatus fromString(String value) {
        return WireNames.parse(OutcomeStatus.class, value);
    }
}
