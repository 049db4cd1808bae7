package io.wacast.campaign.domain;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import io.wacast.common.WireNames;

/** How a contact's marketing opt-in was collected: the evidence an audit asks for. */
public enum ConsentSource {
    /** A contacts CSV the operator marked as consented at import. */
    CSV_IMPORT,
    /** Recorded one by one through the contacts API. */
    API,
    /** The user's own START reply or WhatsApp's "resume marketing" preference (webhook). */
    WHATSAPP_REPLY,
    WEB_FORM,
    QR,
    /** The number was uploaded to a campaign: the operator asserts consent by uploading. */
    CAMPAIGN_UPLOAD;

    @JsonValue
    public String value() {
        return WireNames.of(this);
    }

    @JsonCreator
    public static ConsentSource fromString(String value) {
        return WireNames.parse(ConsentSource.class, value);
    }
}
