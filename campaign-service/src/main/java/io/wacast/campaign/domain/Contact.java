package io.wacast.campaign.domain;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One contact of the contact book, as read: its recorded opt-in ({@code optIn}, null when none) and,
 * from the suppression list, its opt-out ({@code optOut}, null when not suppressed).
 */
public record Contact(long id, String phone, String bsuid, String name, String language, String country,
        Map<String, String> attributes, List<String> tags, OptIn optIn, OptOutFact optOut, Instant createdAt,
        Instant updatedAt) {

    /** A recorded marketing opt-in: how, when, and the evidence (a form URL, a file name, a campaign). */
    public record OptIn(ConsentSource source, Instant at, String evidence) {
    }

    /** The number's entry on the suppression list. */
    public record OptOutFact(String source, Instant at, String reason) {
    }

    public ConsentStatus consent() {
        return optOut != null ? ConsentStatus.OPTED_OUT : optIn != null ? ConsentStatus.OPTED_IN : ConsentStatus.NONE;
    }
}
