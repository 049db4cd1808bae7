package io.wacast.simulator.stats;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * The counters behind {@code GET /sim/stats}. A reset starts a new generation: work begun before it
 * (a webhook in flight) reports into the old generation and is ignored, so a test that resets sees
 * only its own traffic.
 */
@ApplicationScoped
public class SimulatorStats {

    private final AtomicInteger generation = new AtomicInteger();
    private volatile Counters counters = new Counters();

    private static final class Counters {
        final LongAdder acceptedCalls = new LongAdder();
        final Map<Integer, LongAdder> rejectedByCode = new ConcurrentHashMap<>();
        final Map<Long, CampaignTruth> campaigns = new ConcurrentHashMap<>();
        final LongAdder webhooksDelivered = new LongAdder();
        final LongAdder webhookEventsDelivered = new LongAdder();
        final LongAdder webhookFailures = new LongAdder();
        final LongAdder webhooksDropped = new LongAdder();
        final LongAdder duplicatesInjected = new LongAdder();
        final LongAdder reordersInjected = new LongAdder();

        CampaignTruth campaign(long id) {
            return campaigns.computeIfAbsent(id, CampaignTruth::new);
        }
    }

    public int generation() {
        return generation.get();
    }

    public synchronized void reset() {
        counters = new Counters();
        generation.incrementAndGet();
    }

    /** An accepted call; {@code campaignId} null when the callback data is not a wacast job id. */
    public void accepted(Long campaignId, long recipient) {
        Counters c = counters;
        c.acceptedCalls.increment();
        if (campaignId != null) {
            c.campaign(campaignId).accepted(recipient);
        }
    }

    public void rejected(Long campaignId, int code) {
        Counters c = counters;
        c.rejectedByCode.computeIfAbsent(code, k -> new LongAdder()).increment();
        if (campaignId != null) {
            c.campaign(campaignId).rejected(code);
        }
    }

    /** One webhook request answered 2xx; {@code events} only the originals of this generation. */
    public void webhookDelivered(int generationOfRequest, int eventCount) {
        if (generationOfRequest == generation.get()) {
            counters.webhooksDelivered.increment();
            counters.webhookEventsDelivered.add(eventCount);
        }
    }

    /** A status or inbound message of a campaign reached the webhook endpoint. */
    public void eventDelivered(int generationOfEvent, long campaignId, WebhookKind kind, Integer errorCode) {
        if (generationOfEvent == generation.get()) {
            counters.campaign(campaignId).delivered(kind, errorCode);
        }
    }

    /** An inbound message (reply, button press, opt-out, order) the webhook endpoint accepted. */
    public void inboundDelivered(int generationOfEvent, long campaignId, io.wacast.simulator.webhook.WebhookPayload.Message message) {
        if (generationOfEvent == generation.get()) {
            counters.campaign(campaignId).inboundDelivered(message);
        }
    }

    public void webhookFailed(int generationOfRequest) {
        if (generationOfRequest == generation.get()) {
            counters.webhookFailures.increment();
        }
    }

    public void webhookDropped() {
        counters.webhooksDropped.increment();
    }

    public void duplicateInjected() {
        counters.duplicatesInjected.increment();
    }

    public void reorderInjected() {
        counters.reordersInjected.increment();
    }

    public CampaignStats campaign(long campaignId) {
        CampaignTruth truth = counters.campaigns.get(campaignId);
        return truth == null ? CampaignTruth.empty(campaignId) : truth.view();
    }

    public SimulatorStatsView view(List<SimulatorStatsView.NumberView> numbers, long webhooksPending) {
        Counters c = counters;
        List<CampaignStats> campaigns = c.campaigns.values().stream()
                .map(CampaignTruth::view)
                .sorted(Comparator.comparingLong(CampaignStats::campaignId))
                .toList();
        return new SimulatorStatsView(
                c.acceptedCalls.sum(),
                CampaignTruth.sum(c.rejectedByCode),
                CampaignTruth.counts(c.rejectedByCode),
                numbers,
                c.webhooksDelivered.sum(),
                c.webhookEventsDelivered.sum(),
                webhooksPending,
                c.webhookFailures.sum(),
                c.webhooksDropped.sum(),
                c.duplicatesInjected.sum(),
                c.reordersInjected.sum(),
                campaigns.stream().flatMap(s -> s.duplicates().stream()).toList(),
                campaigns);
    }
}
