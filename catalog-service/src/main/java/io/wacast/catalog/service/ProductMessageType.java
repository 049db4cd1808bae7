package io.wacast.catalog.service;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import io.wacast.common.WireNames;

/** Meta's interactive commerce messages: one product, or up to 30 in sections. */
public enum ProductMessageType {
    PRODUCT, PRODUCT_LIST;

    @JsonValue
    public String wireName() {
        return WireNames.of(this);
    }

    @JsonCreator
    public static ProductMessageType parse(String value) {
        return WireNames.parse(ProductMessageType.class, value);
    }
}
