package io.wacast.common.event;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import io.wacast.common.WireNames;
import io.wacast.common.status.RecipientStatus;

/** The {@code status} of a Meta status webhook. */
public enum DeliveryStatus {
    SENT,
    DELIVERED,
    READ,
    FAILED;

    public RecipientStatus recipientStatus() {
        return switch (this) {
            case SENT -> RecipientStatus.SENT;
            case DELIVERED -> RecipientStatus.DELIVERED;
            case READ -> RecipientStatus.READ;
            case FAILED -> RecipientStatus.FAILED;
        };
    }

    @JsonValue
    public String value() {
        return WireNames.of(this);
    }

    @JsonCreator
    public static DeliveryStatus fromString(String value) {
        return WireNames.parse(DeliveryStatus.class, value);
    }
}
