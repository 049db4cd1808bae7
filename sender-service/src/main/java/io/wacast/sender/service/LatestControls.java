package io.wacast.sender.service;

import io.wacast.common.event.CampaignControl;

/** The latest {@link CampaignControl} of each campaign this replica heard of ({@code messaging.CampaignControls}). */
public interface LatestControls {

    /** Null when this replica has never heard of the campaign. */
    CampaignControl of(long campaignId);
}
