package io.wacast.campaign.domain;

import io.wacast.common.WireNames;

/**
 * The safety net's decision on a recipient whose attempt ended {@code unknown} (column
 * {@code recipients.resend_state}; null while undecided): re-sent once, or kept unknown for good.
 */
public enum ResendState {
    RESENT, KEPT;

    public String value() {
        return WireNames.of(this);
    }

    /** Null for null: the recipient is undecided. */
    public static ResendState fromString(String value) {
        return value == null ? null : WireNames.parse(ResendState.class, value);
    }
}
