package io.wacast.catalog.domain;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import io.wacast.common.WireNames;

/** An open cart can change; a checked-out cart has become an order and is kept as it was. */
public enum CartStatus {
    OPEN, CHECKED_OUT;

    @JsonValue
    public String wireName() {
        return WireNames.of(this);
    }

    @JsonCreator
    public static CartStatus parse(String value) {
        return WireNames.parse(CartStatus.class, value);
    }
}
