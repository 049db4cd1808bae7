package io.wacast.catalog.domain;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import io.wacast.common.WireNames;

/** Where an order came from: a WhatsApp order message, a cart checkout, or an operator. */
public enum OrderSource {
    WHATSAPP, CART, API;

    @JsonValue
    public String wireName() {
        return WireNames.of(this);
    }

    @JsonCreator
    public static OrderSource parse(String value) {
        return WireNames.parse(OrderSource.class, value);
    }
}
