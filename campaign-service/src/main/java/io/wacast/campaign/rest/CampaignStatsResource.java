package io.wacast.campaign.rest;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestStreamElementType;

import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Multi;
import io.wacast.campaign.service.CsvExport;
import io.wacast.campaign.service.StatsFeed;
import io.wacast.campaign.service.StatsService;

/** Live statistics of one campaign, read from the rollups the applier keeps exact, once or as a stream. */
@Path("/api/whatsapp/campaigns/{id}/stats")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Campaigns")
public class CampaignStatsResource {

    private final StatsService stats;
    private final StatsFeed feed;
    private final CsvExport exports;

    CampaignStatsResource(StatsService stats, StatsFeed feed, CsvExport exports) {
        this.stats = stats;
        this.feed = feed;
        this.exports = exports;
    }

    /** What Meta charges for the campaign, next to the plan's estimate for it (issue 17 §6). */
    @jakarta.inject.Inject
    io.wacast.campaign.service.CampaignCharges charges;

    @GET
    @Path("/charges")
    @Operation(summary = "Messages Meta charges for (from the pricing of status webhooks, each message once) by "
            + "category and country, their cost from the plan's rate card, and the plan's estimate for the campaign")
    public io.wacast.campaign.service.CampaignCharges.ChargesAndEstimate charges(@PathParam("id") long id) {
        return charges.withEstimate(id);
    }

    @GET
    @Path("/errors/export")
    @Produces(RecipientResource.TEXT_CSV)
    @Operation(summary = "The error breakdown as CSV: error_code, recipients, meaning, policy")
    public Response errors(@PathParam("id") long id) {
        return csv(exports.errors(id), "campaign-" + id + "-errors.csv");
    }

    @GET
    @Path("/timeline/export")
    @Produces(RecipientResource.TEXT_CSV)
    @Operation(summary = "Every minute (UTC) of activity as CSV: minute, sent, delivered, read, failed, attempts")
    public Response timeline(@PathParam("id") long id) {
        return csv(exports.timeline(id), "campaign-" + id + "-timeline.csv");
    }

    static Response csv(CsvExport.Export export, String filename) {
        return Response.ok((StreamingOutput) export::writeTo, RecipientResource.TEXT_CSV + "; charset=UTF-8")
                .header("Content-Disposition", "attachment; filename=\"" + filename + "\"")
                .build();
    }

    @GET
    @Operation(summary = "Counts (cumulative), rates, error breakdown, per-minute timeline, sample failures, progress")
    public StatsService.CampaignStats stats(@PathParam("id") long id) {
        return stats.stats(id);
    }

    /**
     * Blocking: the campaign is looked up before the stream starts (404 for an unknown one), and the
     * API key filter runs on the same worker thread; the polls then run on worker threads of their own.
     */
    @GET
    @Path("/stream")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @RestStreamElementType(MediaType.APPLICATION_JSON)
    @Blocking
    @Operation(summary = "The stats as server-sent events named 'stats': at once, then at most once a second when they "
            + "changed; a comment every 15 s without a change; ends a few seconds after the campaign completed or was cancelled")
    public Multi<OutboundSseEvent> stream(@PathParam("id") long id, @Context Sse sse) {
        return feed.follow(id).map(update -> update.isKeepAlive()
                ? sse.newEventBuilder().comment("keep-alive").build()
                : sse.newEventBuilder().id(Long.toString(update.sequence())).name("stats").data(update.stats()).build());
    }
}
