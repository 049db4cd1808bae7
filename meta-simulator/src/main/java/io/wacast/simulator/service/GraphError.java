package io.wacast.simulator.service;

/**
 * One error of the Graph API as Meta reports it: the HTTP status Meta's error-code reference lists
 * for the code, the code, its title and the per-occurrence details. Serialised by the REST layer
 * into {@code {"error":{"message","type","code","error_subcode","error_data","fbtrace_id"}}}.
 *
 * @param subcode Meta's deprecated {@code error_subcode}, null when Meta sends none for the code
 */
public record GraphError(int httpStatus, int code, Integer subcode, String title, String details) {

    /** Meta's {@code message}: "(#code) title" for platform errors, the plain title for token errors. */
    public String message() {
        return code == 190 ? title : "(#" + code + ") " + title;
    }

    public static GraphError invalidToken() {
        return new GraphError(401, 190, null, "Invalid OAuth access token - Cannot parse access token",
                "The access token is missing, malformed or not the one of this app");
    }

    public static GraphError unknownObject(String id) {
        return new GraphError(400, 100, 33, "Unsupported post request",
                "Object with ID '" + id + "' does not exist, cannot be loaded due to missing permissions,"
                        + " or does not support this operation");
    }

    public static GraphError invalidParameter(String details) {
        return new GraphError(400, 100, null, "Invalid parameter", details);
    }

    public static GraphError requiredParameterMissing(String details) {
        return new GraphError(400, 131008, null, "Required parameter is missing", details);
    }

    public static GraphError throughputExceeded() {
        return new GraphError(429, 130429, 2494055, "Rate limit hit",
                "Message failed to send because there were too many messages sent from this phone number"
                        + " in a short period of time");
    }

    public static GraphError pairRateLimit() {
        return new GraphError(429, 131056, null, "(Business Account, Consumer Account) pair rate limit hit",
                "Message failed to send because there were too many messages sent from this phone number"
                        + " to the same phone number in a short period of time");
    }

    public static GraphError templateMissing(String name, String language) {
        return new GraphError(404, 132001, 2494073, "Template name does not exist in the translation",
                "template name (" + name + ") does not exist in " + language);
    }

    public static GraphError parameterCountMismatch(String details) {
        return new GraphError(400, 132000, 2494002, "Number of parameters does not match the expected number of params",
                details);
    }

    public static GraphError parameterFormatMismatch(String details) {
        return new GraphError(400, 132012, null, "Parameter format does not match format in the created template",
                details);
    }

    public static GraphError templatePaused(String name) {
        return new GraphError(400, 132015, null, "Template is Paused",
                "Template " + name + " is paused due to low quality so it cannot be sent in a template message");
    }

    public static GraphError templateDisabled(String name) {
        return new GraphError(400, 132016, null, "Template is Disabled",
                "Template " + name + " has been paused too many times due to low quality and is now permanently disabled");
    }

    public static GraphError reEngagement() {
        return new GraphError(400, 131047, null, "Re-engagement message",
                "Message failed to send because more than 24 hours have passed since the customer last replied to this number");
    }

    /** Codes whose meaning is fixed and whose only variation is the HTTP status; used by error injection. */
    public static GraphError of(int code) {
        return switch (code) {
            case 190 -> invalidToken();
            case 130429 -> throughputExceeded();
            case 131056 -> pairRateLimit();
            case 131047 -> reEngagement();
            case 131000 -> new GraphError(500, 131000, null, "Something went wrong",
                    "Message failed to send because of an unknown error. Please try again later");
            case 131016 -> new GraphError(503, 131016, null, "Service unavailable",
                    "A service is temporarily unavailable. Please try again later");
            case 131026 -> new GraphError(400, 131026, null, "Message undeliverable",
                    "Message failed to send because the receiver is incapable of receiving this message");
            case 131048 -> new GraphError(429, 131048, null, "Spam rate limit hit",
                    "Message failed to send because there are restrictions on how many messages can be sent from"
                            + " this phone number");
            case 131049 -> new GraphError(400, 131049, null,
                    "This message was not delivered to maintain healthy ecosystem engagement",
                    "In order to maintain a healthy ecosystem engagement, the message failed to be delivered");
            case 131050 -> new GraphError(400, 131050, null, "Unable to deliver the message",
                    "This recipient has chosen to stop receiving marketing messages on WhatsApp from your business");
            case 131057 -> new GraphError(500, 131057, null, "Account in maintenance mode",
                    "Business Account is in maintenance mode, for example during a throughput upgrade");
            case 368 -> new GraphError(403, 368, null, "Temporarily blocked for policies violations",
                    "The WhatsApp Business Account has been restricted for violating a platform policy");
            default -> throw new IllegalArgumentException("no canned error for code " + code);
        };
    }
}
