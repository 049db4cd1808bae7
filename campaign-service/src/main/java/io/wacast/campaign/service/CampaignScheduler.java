package io.wacast.campaign.service;

import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.wacast.campaign.repository.CampaignRepository;

/**
 * Starts scheduled campaigns at their {@code scheduledFor}. The start is the same conditional UPDATE
 * as an operator's {@code send}, so with several replicas exactly one starts each campaign. A
 * campaign waiting for its send window needs nothing here: the dispatcher resumes it when it opens.
 */
@ApplicationScoped
public class CampaignScheduler {

    private final CampaignRepository campaigns;
    private final CampaignLifecycle lifecycle;

    CampaignScheduler(CampaignRepository campaigns, CampaignLifecycle lifecycle) {
        this.campaigns = campaigns;
        this.lifecycle = lifecycle;
    }

    /** Returns how many campaigns this call started (or paused, when they could not be sent then). */
    public int startDue() {
        int started = 0;
        for (long id : campaigns.dueScheduled(Instant.now(), 100)) {
            if (QuarkusTransaction.requiringNew().call(
                    () -> lifecycle.startScheduled(id))) {
                started++;
            }
        }
        return started;
    }
}
