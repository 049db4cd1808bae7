package io.wacast.sender.client;

/**
 * The Graph API endpoint a template message is sent to: Meta asks that templates whose latest category
 * is MARKETING go to the Marketing Messages API and every other one to the Cloud API's {@code /messages}
 * (docs/META.md, "Marketing Messages API"). Same payload, same answers but a few codes.
 */
public enum Endpoint {
    MESSAGES("messages"),
    MARKETING_MESSAGES("marketing_messages");

    private final String path;

    Endpoint(String path) {
        this.path = path;
    }

    /** The last path segment after {@code /{version}/{phone-number-id}/}; also the metric tag. */
    public String path() {
        return path;
    }
}
