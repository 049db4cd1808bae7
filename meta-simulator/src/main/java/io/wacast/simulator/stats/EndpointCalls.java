package io.wacast.simulator.stats;

import io.wacast.simulator.service.GraphEndpoint;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Calls per send endpoint ({@code messages}, {@code marketing_messages}), in all and per campaign, so
 * that a test asserts exactly where a sender routed each message ({@code GET /sim/endpoints}).
 */
@ApplicationScoped
public class EndpointCalls {

    /** Calls one endpoint received (whatever the answer) and how many of them it accepted. */
    public record Count(long calls, long accepted) {
    }

    /** {@code endpoints}: per endpoint path; {@code campaigns}: per campaign id, per endpoint path. */
    public record View(Map<String, Count> endpoints, Map<Long, Map<String, Count>> campaigns) {
    }

    private record Adders(LongAdder calls, LongAdder accepted) {
        Adders() {
            this(new LongAdder(), new LongAdder());
        }

        Count count() {
            return new Count(calls.sum(), accepted.sum());
        }
    }

    private volatile Map<String, Adders> endpoints = new ConcurrentHashMap<>();
    private volatile Map<Long, Map<String, Adders>> campaigns = new ConcurrentHashMap<>();

    /** One call to {@code endpoint}; {@code campaignId} null when its callback data names no campaign. */
    public void called(GraphEndpoint endpoint, Long campaignId, boolean accepted) {
        add(endpoints, endpoint, accepted);
        if (campaignId != null) {
            add(campaigns.computeIfAbsent(campaignId, id -> new ConcurrentHashMap<>()), endpoint, accepted);
        }
    }

    private static void add(Map<String, Adders> counts, GraphEndpoint endpoint, boolean accepted) {
        Adders adders = counts.computeIfAbsent(endpoint.path(), path -> new Adders());
        adders.calls().increment();
        if (accepted) {
            adders.accepted().increment();
        }
    }

    public View view(Long campaignId) {
        Map<Long, Map<String, Count>> byCampaign = new TreeMap<>();
        campaigns.forEach((id, counts) -> {
            if (campaignId == null || campaignId.equals(id)) {
                byCampaign.put(id, counts(counts));
            }
        });
        return new View(counts(endpoints), byCampaign);
    }

    private static Map<String, Count> counts(Map<String, Adders> adders) {
        Map<String, Count> counts = new TreeMap<>();
        for (GraphEndpoint endpoint : GraphEndpoint.values()) {
            Adders a = adders.get(endpoint.path());
            counts.put(endpoint.path(), a == null ? new Count(0, 0) : a.count());
        }
        return counts;
    }

    public void reset() {
        endpoints = new ConcurrentHashMap<>();
        campaigns = new ConcurrentHashMap<>();
    }
}
