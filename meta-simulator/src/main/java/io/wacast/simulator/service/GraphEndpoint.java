package io.wacast.simulator.service;

/** The send endpoints the simulator plays: Cloud API's and the Marketing Messages API's. */
public enum GraphEndpoint {
    MESSAGES("messages"),
    MARKETING_MESSAGES("marketing_messages");

    private final String path;

    GraphEndpoint(String path) {
        this.path = path;
    }

    /** The path segment after {@code /{version}/{phone-number-id}/}, as {@code GET /sim/endpoints} names it. */
    public String path() {
        return path;
    }
}
