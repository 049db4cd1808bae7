package io.wacast.simulator.webhook;

import io.wacast.simulator.config.BusinessNumber;
import io.wacast.simulator.stats.WebhookKind;

/**
 * One status or inbound message waiting for its moment to be delivered.
 *
 * @param generation the stats generation it belongs to (see {@code SimulatorStats#reset})
 * @param campaignId null when the message was not sent by wacast
 * @param duplicate an injected second copy: delivered but not counted in the truth
 * @param status set for status events
 * @param message set for inbound messages, together with {@code contact}
 */
public record PlannedEvent(
        int generation,
        BusinessNumber number,
        WebhookKind kind,
        Long campaignId,
        Integer errorCode,
        boolean duplicate,
        WebhookPayload.Status status,
        WebhookPayload.Message message,
        WebhookPayload.Contact contact) {

    public boolean isStatus() {
        return status != null;
    }

    PlannedEvent asDuplicate() {
        return new PlannedEvent(generation, number, kind, campaignId, errorCode, true, status, message, contact);
    }
}
