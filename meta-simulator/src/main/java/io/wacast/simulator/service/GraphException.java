package io.wacast.simulator.service;

/** Ends a Graph API call with Meta's error answer; mapped to the HTTP response by the REST layer. */
public class GraphException extends RuntimeException {

    private final transient GraphError error;

    public GraphException(GraphError error) {
        super(error.message(), null, false, false);
        this.error = error;
    }

    public GraphError error() {
        return error;
    }
}
