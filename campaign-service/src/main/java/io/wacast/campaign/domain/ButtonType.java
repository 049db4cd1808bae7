package io.wacast.campaign.domain;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import io.wacast.common.WireNames;

/** The template buttons that can carry a parameter per recipient. */
public enum ButtonType {
    URL, QUICK_REPLY;

    @JsonValue
    public String value() {
        return WireNames.of(this);
    }

    @JsonCreator
    public static ButtonType fromString(String value) {
        return WireNames.parse(ButtonType.class, value);
    }
}
