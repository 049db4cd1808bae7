package io.wacast.campaign.messaging;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import io.wacast.campaign.repository.CampaignRepository;
import io.wacast.campaign.repository.OutboxRepository;
import io.wacast.common.Topics;

/**
 * Records the current control state of a campaign (status, rate, window, control version) in the
 * outbox, in the transaction that changed it, for the compacted {@code wacast.campaign-control}.
 */
@ApplicationScoped
public class ControlOutbox {

    private final CampaignRepository campaigns;
    private final OutboxRepository outbox;

    ControlOutbox(CampaignRepository campaigns, OutboxRepository outbox) {
        this.campaigns = campaigns;
        this.outbox = outbox;
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public void publish(long campaignId) {
        campaigns.control(campaignId).ifPresent(control ->
                outbox.enqueue(Topics.CAMPAIGN_CONTROL, Long.toString(campaignId), control));
    }
}
