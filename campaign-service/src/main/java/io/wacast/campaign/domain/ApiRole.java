package io.wacast.campaign.domain;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import io.wacast.common.WireNames;

/** What an API key may do: viewers only read, operators run campaigns, admins also manage keys. */
public enum ApiRole {
    ADMIN,
    OPERATOR,
    VIEWER;

    public boolean mayChange() {
        return this != VIEWER;
    }

    public boolean mayManageKeys() {
        return this == ADMIN;
    }

    @JsonValue
    public String value() {
        return WireNames.of(this);
    }

    @JsonCreator
    public static ApiRole fromString(String value) {
        return WireNames.parse(ApiRole.class, value);
    }
}
