package io.wacast.webhook.domain;

import java.util.List;

/**
 * What one webhook request turned into: the events to publish, and what was acknowledged without
 * an event (unknown fields, message types or statuses, Meta errors), by reason, for the metrics.
 */
public record WebhookBatch(List<PublishableEvent> events, List<IgnoredReason> ignored) {

    public WebhookBatch {
        events = List.copyOf(events);
        ignored = List.copyOf(ignored);
    }

    public enum IgnoredReason {
        /** Valid JSON but not a WhatsApp Business Account webhook. */
        UNKNOWN_SHAPE,
        /** A change of a field wacast does not use (security, history, …). */
        UNKNOWN_FIELD,
        /**
         * An account-level change (template status, number quality, account update, …) whose
         * {@code event}, score, category or tier is not one wacast knows: acknowledged, never published.
         */
        UNKNOWN_SIGNAL_VALUE,
        UNKNOWN_MESSAGE_TYPE,
        UNKNOWN_STATUS,
        /** A {@code user_preferences} entry about something other than marketing messages. */
        UNKNOWN_PREFERENCE,
        /** An entry without the fields an event needs (no wamid, no sender, no template, wrong types). */
        UNREADABLE_ENTRY,
        /**
         * A business-scoped user id that does not have Meta's format (docs/META.md): dropped with a masked
         * log line; the entry is still published when it names the user by phone number.
         */
        INVALID_BSUID,
        /** An {@code errors[]} entry of a whole change, not tied to one message. */
        META_ERROR,
        /**
         * An entry whose Meta timestamp lies outside the accepted window around its arrival
         * ({@code wacast.webhook.timestamps}): never published, so no consumer sees a year-2100 event.
         */
        TIMESTAMP_OUT_OF_WINDOW
    }
}
