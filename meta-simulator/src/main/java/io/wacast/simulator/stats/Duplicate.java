package io.wacast.simulator.stats;

/** A recipient that got the same campaign message {@code times} times ({@code to} as Meta's wa_id). */
public record Duplicate(long campaignId, String to, int times) {
}
