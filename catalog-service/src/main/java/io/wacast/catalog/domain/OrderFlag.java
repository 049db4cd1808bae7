package io.wacast.catalog.domain;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import io.wacast.common.WireNames;

/** Why an order, or one of its lines, needs an operator's eye. A flagged order is kept, never dropped. */
public enum OrderFlag {
    UNKNOWN_CATALOG, UNKNOWN_PRODUCT, PRICE_MISMATCH, OUT_OF_STOCK, INVALID_QUANTITY, INVALID_PRICE, MIXED_CURRENCY;

    @JsonValue
    public String wireName() {
        return WireNames.of(this);
    }

    @JsonCreator
    public static OrderFlag parse(String value) {
        return WireNames.parse(OrderFlag.class, value);
    }
}
