package io.wacast.simulator.service;

/** The answer to one send call and how long the simulated Graph API takes to give it. */
public sealed interface SendAnswer {

    long latencyMillis();

    record Accepted(SendResponse response, long latencyMillis) implements SendAnswer {
    }

    record Rejected(GraphError error, long latencyMillis) implements SendAnswer {
    }
}
