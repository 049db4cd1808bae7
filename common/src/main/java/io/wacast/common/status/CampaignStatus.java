package io.wacast.common.status;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import io.wacast.common.WireNames;

/**
 * Lifecycle of a campaign. The campaign service owns the transitions; senders only read the status
 * from {@code wacast.campaign-control} to know whether they may send.
 */
public enum CampaignStatus {
    DRAFT,
    SCHEDULED,
    SENDING,
    PAUSED,
    COMPLETED,
    CANCELLED;

    /**
     * Whether the lifecycle allows moving from this status to {@code next}. Staying in the same status
     * is not a transition. A paused campaign may complete: jobs in flight when it was paused can
     * settle its last recipients.
     */
    public boolean canTransitionTo(CampaignStatus next) {
        return switch (this) {
            case DRAFT -> next == SCHEDULED || next == SENDING || next == CANCELLED;
            case SCHEDULED -> next == DRAFT || next == SENDING || next == CANCELLED;
            case SENDING -> next == PAUSED || next == COMPLETED || next == CANCELLED;
            case PAUSED -> next == SENDING || next == COMPLETED || next == CANCELLED;
            case COMPLETED, CANCELLED -> false;
        };
    }

    public boolean isTerminal() {
        return this == COMPLETED || this == CANCELLED;
    }

    @JsonValue
    public String value() {
        return WireNames.of(this);
    }

    /** Named {@code fromString} so JAX-RS also uses it for query and path parameters. */
    @JsonCreator
    public static CampaignStatus fromString(String value) {
        return WireNames.parse(CampaignStatus.class, value);
    }
}
