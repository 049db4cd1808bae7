package io.wacast.campaign.domain;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import io.wacast.common.WireNames;

/**
 * A template's review state at Meta; only approved templates can be sent. Meta's webhook events map to
 * these in {@code AccountSignals} (ARCHIVED also stands for deleted and pending deletion).
 */
public enum TemplateStatus {
    APPROVED, PENDING, REJECTED, PAUSED, DISABLED, ARCHIVED;

    @JsonValue
    public String value() {
        return WireNames.of(this);
    }

    @JsonCreator
    public static TemplateStatus fromString(String value) {
        return WireNames.parse(TemplateStatus.class, value);
    }
}
