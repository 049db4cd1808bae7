package io.wacast.campaign.rest;

import java.time.Instant;
import java.util.Map;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import com.fasterxml.jackson.annotation.JsonInclude;

import io.wacast.campaign.repository.AudienceRepository;
import io.wacast.campaign.service.AudienceService;
import io.wacast.campaign.service.ProblemException;

/** The audience a campaign targets: its recipients are taken from it when the campaign starts. */
@Path("/api/whatsapp/campaigns/{id}/audience")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Campaigns")
public class CampaignAudienceResource {

    /** @param snapshot what the snapshot at the start did; absent until the campaign started */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record TargetView(long campaignId, long audienceId, Map<String, String> variables, Instant snapshotAt,
            AudienceRepository.Snapshot snapshot) {

        static TargetView of(AudienceRepository.Link link) {
            return new TargetView(link.campaignId(), link.audienceId(), link.variableMap(), link.snapshotAt(), link.snapshot());
        }
    }

    private final AudienceService audiences;

    CampaignAudienceResource(AudienceService audiences) {
        this.audiences = audiences;
    }

    @PUT
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Target an audience (draft or scheduled campaigns); its contacts become recipients at send,"
            + " their attributes the template variables (variables maps a template key to an attribute name)")
    public TargetView target(@PathParam("id") long id, @Valid @NotNull AudienceService.TargetSpec body) {
        return TargetView.of(audiences.target(id, body));
    }

    @GET
    @Operation(summary = "The campaign's audience and, once started, what its snapshot did")
    public TargetView get(@PathParam("id") long id) {
        return TargetView.of(audiences.targetOf(id)
                .orElseThrow(() -> ProblemException.notFound("audience of campaign", id)));
    }

    @DELETE
    @Operation(summary = "Stop targeting an audience (draft or scheduled campaigns)")
    public Response untarget(@PathParam("id") long id) {
        audiences.untarget(id);
        return Response.noContent().build();
    }
}
