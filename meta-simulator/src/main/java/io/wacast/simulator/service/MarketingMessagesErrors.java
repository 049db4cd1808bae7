package io.wacast.simulator.service;

/**
 * The answers the Marketing Messages API ({@code /marketing_messages}) has beside Cloud API's, in the
 * shapes providers document for it (docs/META.md, "Marketing Messages API"): every other answer is
 * Cloud API's own.
 */
public final class MarketingMessagesErrors {

    private MarketingMessagesErrors() {
    }

    /** The business portfolio has not accepted the Marketing Messages API's terms of service. */
    public static GraphError termsNotAccepted() {
        return new GraphError(403, 200, null,
                "You must accept the Marketing Messages API terms of service before sending messages",
                "The business portfolio of this phone number has not accepted the Marketing Messages API terms"
                        + " of service");
    }

    /** The endpoint takes marketing templates only. */
    public static GraphError notMarketing() {
        return new GraphError(400, 131055, null, "Method not allowed", "Only marketing template messages are supported");
    }

    /** The endpoint takes template messages only. */
    public static GraphError notATemplate() {
        return GraphError.invalidParameter("Message must be a template message.");
    }
}
