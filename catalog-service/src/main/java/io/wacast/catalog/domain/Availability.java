package io.wacast.catalog.domain;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import io.wacast.common.WireNames;

/** Meta's catalog availability values, in wacast's snake_case wire style. */
public enum Availability {
    IN_STOCK, OUT_OF_STOCK, PREORDER, AVAILABLE_FOR_ORDER, DISCONTINUED;

    @JsonValue
    public String wireName() {
        return WireNames.of(this);
    }

    @JsonCreator
    public static Availability parse(String value) {
        return WireNames.parse(Availability.class, value);
    }
}
