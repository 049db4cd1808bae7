package io.wacast.simulator.stats;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * What really happened to one campaign's messages, counted by the simulator: the yardstick the
 * end-to-end tests hold the campaign-service's counters against. Recipients are remembered as
 * numbers (a long each) to detect anyone who got the same campaign message twice.
 */
final class CampaignTruth {

    private final long campaignId;
    private final LongAdder acceptedCalls = new LongAdder();
    private final Map<Integer, LongAdder> rejectedByCode = new ConcurrentHashMap<>();
    private final Set<Long> recipients = ConcurrentHashMap.newKeySet();
    private final Map<Long, AtomicInteger> duplicates = new ConcurrentHashMap<>();
    private final LongAdder sent = new LongAdder();
    private final LongAdder delivered = new LongAdder();
    private final LongAdder read = new LongAdder();
    private final Map<Integer, LongAdder> failedByCode = new ConcurrentHashMap<>();
    private final LongAdder replies = new LongAdder();
    private final LongAdder optOuts = new LongAdder();
    private final LongAdder orders = new LongAdder();
    private final EngagementTruth engagement = new EngagementTruth();
    private final SendingSpan sending = new SendingSpan();

    CampaignTruth(long campaignId) {
        this.campaignId = campaignId;
    }

    void accepted(long recipient) {
        acceptedCalls.increment();
        sending.accepted(System.currentTimeMillis());
        if (!recipients.add(recipient)) {
            duplicates.computeIfAbsent(recipient, r -> new AtomicInteger(1)).incrementAndGet();
        }
    }

    void rejected(int code) {
        rejectedByCode.computeIfAbsent(code, c -> new LongAdder()).increment();
    }

    void delivered(WebhookKind kind, Integer errorCode) {
        switch (kind) {
            case SENT -> sent.increment();
            case DELIVERED -> delivered.increment();
            case READ -> read.increment();
            case FAILED -> failedByCode.computeIfAbsent(errorCode == null ? 0 : errorCode, c -> new LongAdder()).increment();
            case REPLY -> replies.increment();
            case OPT_OUT -> optOuts.increment();
            case ORDER -> orders.increment();
        }
    }

    void inboundDelivered(io.wacast.simulator.webhook.WebhookPayload.Message message) {
        engagement.delivered(message);
    }

    List<Duplicate> duplicates() {
        return duplicates.entrySet().stream()
                .map(e -> new Duplicate(campaignId, String.valueOf(e.getKey()), e.getValue().get()))
                .sorted((a, b) -> a.to().compareTo(b.to()))
                .toList();
    }

    CampaignStats view() {
        Map<String, Long> failed = counts(failedByCode);
        return new CampaignStats(campaignId, acceptedCalls.sum(), recipients.size(), sum(rejectedByCode),
                counts(rejectedByCode), sent.sum(), delivered.sum(), read.sum(),
                failed.values().stream().mapToLong(Long::longValue).sum(), failed, replies.sum(), optOuts.sum(),
                orders.sum(), duplicates(), engagement.view(), sending.view());
    }

    static CampaignStats empty(long campaignId) {
        return new CampaignTruth(campaignId).view();
    }

    static Map<String, Long> counts(Map<Integer, LongAdder> byCode) {
        Map<String, Long> out = new TreeMap<>();
        byCode.forEach((code, count) -> out.put(String.valueOf(code), count.sum()));
        return out;
    }

    static long sum(Map<Integer, LongAdder> byCode) {
        return byCode.values().stream().mapToLong(LongAdder::sum).sum();
    }
}
