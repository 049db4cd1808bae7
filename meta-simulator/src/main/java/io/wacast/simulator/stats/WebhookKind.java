package io.wacast.simulator.stats;

/** What a webhook event tells the business, as counted in the campaign truth. */
public enum WebhookKind {
    SENT, DELIVERED, READ, FAILED, REPLY, OPT_OUT, ORDER
}
