package io.wacast.campaign.rest;

import java.net.URI;
import java.util.List;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.wacast.campaign.rest.CampaignResource.CampaignView;
import io.wacast.campaign.service.FollowUpService;
import io.wacast.campaign.service.FollowUpSpec;

/** Follow-ups of a campaign: a new draft of its recipients in one outcome, and the list of them. */
@Path("/api/whatsapp/campaigns/{id}/follow-ups")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Campaigns")
public class FollowUpResource {

    /** The follow-up created, and which recipients of the source it took and left out. */
    public record FollowUpCreated(CampaignView campaign, FollowUpService.Report recipients) {
    }

    private final FollowUpService followUps;

    FollowUpResource(FollowUpService followUps) {
        this.followUps = followUps;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Create a draft campaign of this campaign's recipients in one outcome (failed, not_delivered,"
            + " delivered_not_read, read_not_responded, responded, clicked with a button payload)")
    public Response create(@PathParam("id") long id, @Valid @NotNull FollowUpSpec body) {
        FollowUpService.Created created = followUps.create(id, body);
        return Response.created(URI.create("/api/whatsapp/campaigns/" + created.campaign().id))
                .entity(new FollowUpCreated(CampaignView.of(created.campaign(), created.followUp(), null),
                        created.recipients()))
                .build();
    }

    @GET
    @Operation(summary = "The follow-ups of this campaign, oldest first")
    public List<FollowUpService.Listed> list(@PathParam("id") long id) {
        return followUps.list(id);
    }
}
