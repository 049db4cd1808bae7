package io.wacast.campaign.domain;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import io.wacast.common.WireNames;

/** The header of a template: none, a text line (which may hold one parameter) or a media link. */
public enum HeaderType {
    NONE, TEXT, IMAGE, VIDEO, DOCUMENT;

    @JsonValue
    public String value() {
        return WireNames.of(this);
    }

    @JsonCreator
    public static HeaderType fromString(String value) {
        return WireNames.parse(HeaderType.class, value);
    }
}
