package io.wacast.catalog.domain;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import io.wacast.common.WireNames;
import java.util.Set;

/**
 * The life of an order: {@code pending → confirmed → paid → fulfilled}, or {@code cancelled} from any
 * state before fulfilment. The rules live here so that the API and every test read the same table.
 */
public enum OrderStatus {
    PENDING, CONFIRMED, PAID, FULFILLED, CANCELLED;

    public boolean canMoveTo(OrderStatus next) {
        return switch (this) {
            case PENDING -> Set.of(CONFIRMED, CANCELLED).contains(next);
            case CONFIRMED -> Set.of(PAID, CANCELLED).contains(next);
            case PAID -> Set.of(FULFILLED, CANCELLED).contains(next);
            case FULFILLED, CANCELLED -> false;
        };
    }

    @JsonValue
    public String wireName() {
        return WireNames.of(this);
    }

    @JsonCreator
    public static OrderStatus parse(String value) {
        return WireNames.parse(OrderStatus.class, value);
    }
}
