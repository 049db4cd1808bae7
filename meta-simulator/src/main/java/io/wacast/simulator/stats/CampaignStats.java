package io.wacast.simulator.stats;

import java.util.List;
import java.util.Map;

/**
 * The truth about one campaign (the campaign id is parsed from {@code biz_opaque_callback_data}).
 * Status and inbound counts are recipients whose webhook was delivered (answered 2xx); injected
 * duplicate copies are not counted.
 *
 * @param acceptedCalls calls answered 200
 * @param recipientsAccepted distinct recipients with at least one accepted call
 * @param duplicates recipients that were accepted more than once for this campaign (must stay empty)
 * @param engagement replies by type, button presses by payload and order revenue per currency
 * @param sending when the first and the last accepted call of the campaign arrived
 */
public record CampaignStats(
        long campaignId,
        long acceptedCalls,
        long recipientsAccepted,
        long rejectedCalls,
        Map<String, Long> rejectedByCode,
        long sent,
        long delivered,
        long read,
        long failed,
        Map<String, Long> failedByCode,
        long replies,
        long optOuts,
        long orders,
        List<Duplicate> duplicates,
        EngagementTruth.Engagement engagement,
        SendingSpan.View sending) {
}
