package io.wacast.campaign.domain;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import io.wacast.common.WireNames;

/** Meta's template categories; they decide pricing and which limits apply. */
public enum TemplateCategory {
    MARKETING, UTILITY, AUTHENTICATION;

    @JsonValue
    public String value() {
        return WireNames.of(this);
    }

    @JsonCreator
    public static TemplateCategory fromString(String value) {
        return WireNames.parse(TemplateCategory.class, value);
    }
}
