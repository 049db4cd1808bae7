package io.wacast.campaign.domain;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import io.wacast.common.WireNames;

/**
 * A contact's marketing consent as read: {@code opted_out} when its number is on the suppression list
 * (whatever opt-in was recorded), else {@code opted_in} when an opt-in is recorded, else {@code none}.
 */
public enum ConsentStatus {
    OPTED_IN, OPTED_OUT, NONE;

    @JsonValue
    public String value() {
        return WireNames.of(this);
    }

    @JsonCreator
    public static ConsentStatus fromString(String value) {
        return WireNames.parse(ConsentStatus.class, value);
    }
}
