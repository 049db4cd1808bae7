package io.wacast.simulator.stats;

import java.util.List;
import java.util.Map;

/**
 * {@code GET /sim/stats}: the simulator's account of everything it was asked and did since the last
 * reset.
 *
 * @param numbers per business number: admitted and rejected calls and the busiest one-second windows
 * @param webhooksDelivered webhook requests answered 2xx
 * @param webhookEventsDelivered statuses and inbound messages inside them
 * @param webhooksPending events planned, queued or waiting for a retry
 * @param webhookFailures webhook attempts that failed (refused, timed out or not 2xx) and were retried
 * @param webhooksDropped events dropped because the bounded queue was full
 * @param duplicates recipients that got the same campaign message more than once (must stay empty)
 */
public record SimulatorStatsView(
        long acceptedCalls,
        long rejectedCalls,
        Map<String, Long> rejectedByCode,
        List<NumberView> numbers,
        long webhooksDelivered,
        long webhookEventsDelivered,
        long webhooksPending,
        long webhookFailures,
        long webhooksDropped,
        long duplicateWebhooksInjected,
        long reorderedWebhooksInjected,
        List<Duplicate> duplicates,
        List<CampaignStats> campaigns) {

    /** One business number's throughput as measured at arrival. */
    public record NumberView(String phoneNumberId, long callsAdmitted, long callsRejected,
            int maxCallsInAnyOneSecondWindow, int maxAdmittedInAnyOneSecondWindow) {
    }
}
