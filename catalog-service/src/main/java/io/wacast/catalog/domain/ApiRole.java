package io.wacast.catalog.domain;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import io.wacast.common.WireNames;

/** What an API key may do: admins manage keys, operators change the catalog and orders, viewers only read. */
public enum ApiRole {
    ADMIN, OPERATOR, VIEWER;

    @JsonValue
    public String wireName() {
        return WireNames.of(this);
    }

    @JsonCreator
    public static ApiRole parse(String value) {
        return WireNames.parse(ApiRole.class, value);
    }
}
