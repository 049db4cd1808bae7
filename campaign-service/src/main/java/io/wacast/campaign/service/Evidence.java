package io.wacast.campaign.service;

import java.time.Instant;

import io.wacast.campaign.domain.OptOut;
import io.wacast.common.event.InboundEvent;
import io.wacast.common.event.InboundKind;
import io.wacast.common.event.JobId;
import io.wacast.common.event.OrderEvent;
import io.wacast.common.event.Outcome;
import io.wacast.common.event.StatusEvent;
import io.wacast.common.meta.MetaErrorPolicy;
import io.wacast.common.meta.MetaErrorPolicy.Action;
import io.wacast.common.phone.PhoneNumberResult;
import io.wacast.common.phone.PhoneNumbers;
import io.wacast.common.status.RecipientStatus;

/**
 * One outcome or webhook event reduced to what the applier does with it, so sender outcomes, status
 * webhooks and replies go through one code path.
 *
 * @param job the recipient named by the job id, when the event carries one
 * @param lookupWamid the wamid that finds the recipient when there is no job id (a status of a
 *     message without our callback data, or the message a reply answers)
 * @param wamid Meta's id of our message, recorded on the recipient
 * @param status for {@link Effect#ADVANCE}, the status the event reports
 * @param action the error policy's verdict on {@code errorCode}, when there is one
 * @param phone for opt-out and opt-in events, the user's number in E.164
 * @param at when it happened (Meta's or the sender's clock), which decides the timeline minute
 * @param messageStatus Meta's {@code message_status} of a sent outcome; null for others
 * @param engagement a reply or an order to credit to a campaign, besides the effect; null for others
 * @param user what a webhook event says of the user (number, BSUID, a BSUID change, pricing); null for
 *     outcomes
 */
public record Evidence(String eventId, JobId job, String lookupWamid, Effect effect, RecipientStatus status,
        String wamid, Integer errorCode, String errorMessage, Action action, String phone, String phoneSource,
        Instant at, String messageStatus, Engagement engagement, UserFacts user) {

    public Evidence(String eventId, JobId job, String lookupWamid, Effect effect, RecipientStatus status,
            String wamid, Integer errorCode, String errorMessage, Action action, String phone, String phoneSource,
            Instant at, String messageStatus, Engagement engagement) {
        this(eventId, job, lookupWamid, effect, status, wamid, errorCode, errorMessage, action, phone, phoneSource, at,
                messageStatus, engagement, null);
    }

    /**
     * The same evidence about the number a BSUID maps to: an opt-out or opt-in of that number, a reply or
     * order credited like one from it.
     */
    public Evidence withPhone(String mapped) {
        boolean changesList = effect == Effect.OPT_OUT || effect == Effect.OPT_IN;
        return new Evidence(eventId, job, lookupWamid, effect, status, wamid, errorCode, errorMessage, action,
                changesList ? mapped : phone, phoneSource, at, messageStatus,
                engagement == null ? null : engagement.withPhone(mapped), user);
    }

    /** The same evidence without its reply or order (one that cannot be credited to anyone). */
    public Evidence withoutEngagement() {
        return new Evidence(eventId, job, lookupWamid, effect, status, wamid, errorCode, errorMessage, action, phone,
                phoneSource, at, messageStatus, null, user);
    }

    /** Evidence with neither Meta's {@code message_status} nor a reply or order to credit. */
    public Evidence(String eventId, JobId job, String lookupWamid, Effect effect, RecipientStatus status, String wamid,
            Integer errorCode, String errorMessage, Action action, String phone, String phoneSource, Instant at) {
        this(eventId, job, lookupWamid, effect, status, wamid, errorCode, errorMessage, action, phone, phoneSource, at,
                null, null);
    }

    /**
     * Evidence with Meta's {@code message_status}; only a sender's {@code sent} outcome carries one
     * ({@code accepted}, {@code held_for_quality_assessment}, {@code paused}).
     */
    public Evidence(String eventId, JobId job, String lookupWamid, Effect effect, RecipientStatus status, String wamid,
            Integer errorCode, String errorMessage, Action action, String phone, String phoneSource, Instant at,
            String messageStatus) {
        this(eventId, job, lookupWamid, effect, status, wamid, errorCode, errorMessage, action, phone, phoneSource, at,
                messageStatus, null);
    }

    /** Evidence that also credits a reply or an order to a campaign. */
    public Evidence(String eventId, JobId job, String lookupWamid, Effect effect, RecipientStatus status, String wamid,
            Integer errorCode, String errorMessage, Action action, String phone, String phoneSource, Instant at,
            Engagement engagement) {
        this(eventId, job, lookupWamid, effect, status, wamid, errorCode, errorMessage, action, phone, phoneSource, at,
                null, engagement);
    }

    /** What the event asks of the recipient or of the suppression list. */
    public enum Effect {
        /** Move the recipient forward to {@code status} (never backwards). */
        ADVANCE,
        /**
         * Meta's status of a message it accepted: moves the recipient forward like {@link #ADVANCE}, but
         * only when {@code wamid} is the one recorded for the recipient, or none is recorded yet while
         * the recipient may have been accepted (in flight, {@code unknown}, or a send that raced a
         * cancel). A recipient Meta refused at send time, or one never sent, cannot be delivered or read.
         */
        REPORT,
        /** The sender dropped the job because the campaign may not send now: dispatch it again later. */
        DEFER,
        /** The user asked for no more marketing: suppress {@code phone}. */
        OPT_OUT,
        /** The user asked for marketing again: lift a suppression the user or Meta caused. */
        OPT_IN,
        /** Counted and otherwise ignored (reactions, replies to no campaign message, …). */
        NONE
    }

    /** Whether the event is about one recipient of a campaign (as opposed to a phone number only). */
    public boolean targetsRecipient() {
        return effect == Effect.ADVANCE || effect == Effect.REPORT || effect == Effect.DEFER;
    }

    public static Evidence of(Outcome outcome) {
        JobId job = JobId.parse(outcome.jobId()).orElseGet(() -> outcome.campaignId() > 0 && outcome.recipientId() > 0
                ? new JobId(outcome.campaignId(), outcome.recipientId()) : null);
        Action action = outcome.action() != null ? outcome.action()
                : outcome.errorCode() == null ? null : MetaErrorPolicy.forCode(outcome.errorCode()).action();
        Instant at = outcome.occurredAt() == null ? Instant.now() : outcome.occurredAt();
        if (outcome.status() == null) {
            throw new IllegalArgumentException("outcome without a status");
        }
        return switch (outcome.status()) {
            case DEFERRED -> new Evidence(outcome.eventId(), job, null, Effect.DEFER, null, null, outcome.errorCode(),
                    outcome.errorMessage(), action, null, null, at);
            case FAILED -> advance(outcome.eventId(), job, null, action == Action.OPT_OUT ? RecipientStatus.OPTED_OUT
                    : RecipientStatus.FAILED, outcome.wamid(), outcome.errorCode(), outcome.errorMessage(), action, at);
            default -> new Evidence(outcome.eventId(), job, null, Effect.ADVANCE, outcome.status().recipientStatus(),
                    outcome.wamid(), outcome.errorCode(), outcome.errorMessage(), action, null, null, at,
                    outcome.messageStatus());
        };
    }

    public static Evidence of(StatusEvent event) {
        if (event.status() == null) {
            throw new IllegalArgumentException("status event without a status");
        }
        JobId job = JobId.parse(event.jobId()).orElse(null);
        Action action = event.errorCode() == null ? null : MetaErrorPolicy.forCode(event.errorCode()).action();
        RecipientStatus status = action == Action.OPT_OUT ? RecipientStatus.OPTED_OUT : event.status().recipientStatus();
        String message = event.errorMessage() != null ? event.errorMessage() : event.errorTitle();
        Instant at = event.metaTimestamp() != null ? event.metaTimestamp()
                : event.receivedAt() != null ? event.receivedAt() : Instant.now();
        return new Evidence(event.eventId(), job, job == null ? event.wamid() : null, Effect.REPORT, status,
                event.wamid(), event.errorCode(), message, action, null, null, at, null, null,
                UserFacts.of(waId(event.recipient()), event.recipientUserId(), null, event.pricing()));
    }

    /**
     * Replies and button presses are credited to a campaign (its recipient becomes {@code responded})
     * by the applier ({@link Engagement}); STOP and START (keywords or WhatsApp's marketing preference)
     * change the suppression list, and a STOP message is counted as a reply without making anyone
     * {@code responded}: it is the opposite of engagement.
     */
    public static Evidence of(InboundEvent event, String defaultRegion) {
        if (event.kind() == null) {
            throw new IllegalArgumentException("inbound event without a kind");
        }
        Instant at = event.metaTimestamp() != null ? event.metaTimestamp()
                : event.receivedAt() != null ? event.receivedAt() : Instant.now();
        String phone = e164(event.from(), defaultRegion);
        UserFacts user = UserFacts.of(phone, event.fromUserId(), event.previousUserId(), null);
        // a user known only by BSUID is credited once the applier maps it to a number (UserIdentities)
        Engagement engagement = phone != null || (user != null && user.bsuid() != null)
                ? Engagement.of(event, phone, at) : null;
        return switch (event.kind()) {
            case REPLY, BUTTON, OTHER -> new Evidence(event.eventId(), null, null, Effect.NONE, null, null, null, null,
                    null, null, null, at, null, engagement, user);
            case OPT_OUT, OPT_IN -> {
                if (phone == null && (user == null || user.bsuid() == null)) {
                    yield none(event.eventId(), at);
                }
                boolean preference = "user_preferences".equals(event.messageType());
                yield new Evidence(event.eventId(), null, null,
                        event.kind() == InboundKind.OPT_OUT ? Effect.OPT_OUT : Effect.OPT_IN,
                        null, null, null, null, null, phone,
                        preference ? OptOut.SOURCE_PREFERENCE : OptOut.SOURCE_REPLY, at, null, engagement, user);
            }
        };
    }

    /** An order changes no status: the applier credits it to a campaign ({@link Engagement}). */
    public static Evidence of(OrderEvent event, String defaultRegion) {
        Instant at = event.metaTimestamp() != null ? event.metaTimestamp()
                : event.receivedAt() != null ? event.receivedAt() : Instant.now();
        String phone = e164(event.from(), defaultRegion);
        UserFacts user = UserFacts.of(phone, event.fromUserId(), null, null);
        Engagement engagement = phone != null || (user != null && user.bsuid() != null)
                ? Engagement.of(event, phone, at) : null;
        return new Evidence(event.eventId(), null, null, Effect.NONE, null, null, null, null, null, null, null, at,
                null, engagement, user);
    }

    private static Evidence advance(String eventId, JobId job, String lookupWamid, RecipientStatus status, String wamid,
            Integer errorCode, String errorMessage, Action action, Instant at) {
        return new Evidence(eventId, job, lookupWamid, Effect.ADVANCE, status, wamid, errorCode, errorMessage, action,
                null, null, at);
    }

    private static Evidence none(String eventId, Instant at) {
        return new Evidence(eventId, null, null, Effect.NONE, null, null, null, null, null, null, null, at);
    }

    /**
     * A status's {@code recipient_id} as E.164 without parsing it (the applier's hot path): Meta's wa_id is
     * the international number's digits; anything else is not taken for a number.
     */
    private static String waId(String recipient) {
        if (recipient == null || recipient.length() < 7 || recipient.length() > 15) {
            return null;
        }
        for (int i = 0; i < recipient.length(); i++) {
            if (recipient.charAt(i) < '0' || recipient.charAt(i) > '9') {
                return null;
            }
        }
        return "+" + recipient;
    }

    /** Meta sends the user's number without '+'. */
    private static String e164(String from, String defaultRegion) {
        if (from == null || from.isBlank()) {
            return null;
        }
        String raw = from.startsWith("+") ? from : "+" + from;
        return PhoneNumbers.normalise(raw, defaultRegion) instanceof PhoneNumberResult.Valid valid ? valid.e164() : null;
    }
}
