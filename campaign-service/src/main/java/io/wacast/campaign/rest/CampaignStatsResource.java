package io.wacast.campaign.rest;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.wacast.campaign.service.StatsService;

/** Live statistics of one campaign, read from the rollups the applier keeps exact. */
@Path("/api/whatsapp/campaigns/{id}/stats")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Campaigns")
public class CampaignStatsResource {

    private final StatsService stats;

    CampaignStatsResource(StatsService stats) {
        this.stats = stats;
    }

    @GET
    @Operation(summary = "Counts (cumulative), rates, error breakdown, per-minute timeline, sample failures, progress")
    public StatsService.CampaignStats stats(@PathParam("id") long id) {
        return stats.stats(id);
    }
}
