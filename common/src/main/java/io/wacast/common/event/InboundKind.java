package io.wacast.common.event;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import io.wacast.common.WireNames;

/** How the webhook service classified an inbound message. */
public enum InboundKind {
    /** Free text or media from the user. */
    REPLY,
    /** A quick-reply or interactive button press. */
    BUTTON,
    /** A STOP keyword or a marketing opt-out. */
    OPT_OUT,
    OPT_IN,
    /** Reactions, system messages and the rest: kept for completeness, counted as nothing. */
    OTHER;

    @JsonValue
    public String value() {
        return WireNames.of(this);
    }

    @JsonCreator
    public static InboundKind fromString(String value) {
        return WireNames.parse(InboundKind.class, value);
    }
}
