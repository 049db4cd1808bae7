package io.wacast.common.event;

import java.util.Optional;

/**
 * The identity of one campaign message: one per (campaign, recipient), the same on every attempt.
 * It travels to Meta as {@code biz_opaque_callback_data} and comes back on every status webhook, so
 * the webhook service can key events by campaign, the sender's ledger can refuse a second send of
 * the same message, and the simulator can tell whether anyone got a campaign message twice.
 * Wire form: {@code wc:<campaignId>:<recipientId>}; the prefix tells our messages apart from those
 * other tools send from the same business number.
 */
public record JobId(long campaignId, long recipientId) {

    private static final String PREFIX = "wc:";

    public JobId {
        if (campaignId <= 0 || recipientId <= 0) {
            throw new IllegalArgumentException("campaignId and recipientId must be positive");
        }
    }

    public static String of(long campaignId, long recipientId) {
        return new JobId(campaignId, recipientId).toString();
    }

    /** Empty for null, foreign or malformed values (Meta echoes whatever any sender put there). */
    public static Optional<JobId> parse(String value) {
        if (value == null || !value.startsWith(PREFIX)) {
            return Optional.empty();
        }
        int colon = value.indexOf(':', PREFIX.length());
        if (colon < 0) {
            return Optional.empty();
        }
        try {
            long campaignId = Long.parseLong(value.substring(PREFIX.length(), colon));
            long recipientId = Long.parseLong(value.substring(colon + 1));
            return campaignId > 0 && recipientId > 0 ? Optional.of(new JobId(campaignId, recipientId)) : Optional.empty();
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    @Override
    public String toString() {
        return PREFIX + campaignId + ":" + recipientId;
    }
}
