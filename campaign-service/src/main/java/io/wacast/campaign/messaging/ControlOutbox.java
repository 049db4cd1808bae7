package io.wacast.campaign.messaging;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;
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
    private final OutboxRelay relay;
    private final TransactionSynchronizationRegistry transactions;

    ControlOutbox(CampaignRepository campaigns, OutboxRepository outbox, OutboxRelay relay,
            TransactionSynchronizationRegistry transactions) {
        this.campaigns = campaigns;
        this.outbox = outbox;
        this.relay = relay;
        this.transactions = transactions;
    }

    /** Enqueues the control message; once the transaction commits, the relay publishes it at once. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void publish(long campaignId) {
        campaigns.control(campaignId).ifPresent(control -> {
            outbox.enqueue(Topics.CAMPAIGN_CONTROL, Long.toString(campaignId), control);
            transactions.registerInterposedSynchronization(new Synchronization() {
                @Override
                public void beforeCompletion() {
                }

                @Override
                public void afterCompletion(int status) {
                    if (status == Status.STATUS_COMMITTED) {
                        relay.wake(); // a pause must reach the senders now, not at the relay's next idle check
                    }
                }
            });
        });
    }
}
