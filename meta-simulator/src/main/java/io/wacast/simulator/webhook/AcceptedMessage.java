package io.wacast.simulator.webhook;

import io.wacast.simulator.config.BusinessNumber;
import java.util.List;

/**
 * A message the send endpoint accepted: everything its later webhooks need.
 *
 * @param recipient the user's number as Meta's wa_id (digits only)
 * @param callbackData {@code biz_opaque_callback_data} as sent, echoed on every status
 * @param campaignId parsed from the callback data; null for messages not sent by wacast
 * @param category the template's category in lowercase (pricing), {@code service} for free-form messages
 * @param quickReplies the template's quick-reply buttons, which a replying user may press: each label with
 *     the payload the send gave it (a {@code quick_reply} button parameter), or null when it gave none
 * @param failureCode set when the message is accepted but will fail in a status webhook
 */
public record AcceptedMessage(
        BusinessNumber number,
        String wamid,
        String recipient,
        String callbackData,
        Long campaignId,
        String category,
        List<QuickReply> quickReplies,
        Integer failureCode) {

    /** A quick-reply button of the sent template: its label and the payload the send set, if any. */
    public record QuickReply(String text, String sentPayload) {
    }
}
