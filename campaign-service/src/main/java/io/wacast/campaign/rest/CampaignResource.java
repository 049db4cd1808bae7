package io.wacast.campaign.rest;

import java.net.URI;
import java.time.Instant;
import java.util.Map;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import com.fasterxml.jackson.annotation.JsonInclude;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.wacast.campaign.domain.Campaign;
import io.wacast.campaign.service.CampaignPlan;
import io.wacast.campaign.service.CampaignService;
import io.wacast.campaign.service.PlanService;
import io.wacast.campaign.service.CampaignService.Action;
import io.wacast.campaign.service.CampaignSpec;
import io.wacast.campaign.service.RecipientLoader;
import io.wacast.common.event.CampaignControl;
import io.wacast.common.status.CampaignStatus;

/** Campaign CRUD and the operator's actions: send, pause, resume, cancel. */
@Path("/api/whatsapp/campaigns")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Campaigns")
public class CampaignResource {

    /** @param recipients what happened to the recipients given at creation; absent otherwise */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record CampaignView(long id, String name, String description, CampaignStatus status, String statusReason,
            String templateName, String templateLanguage, Map<String, String> templateVariables, String phoneNumberId,
            int rateLimit, CampaignControl.SendWindow sendWindow, Instant scheduledFor, Instant createdAt,
            Instant updatedAt, Instant startedAt, Instant completedAt, long version, RecipientLoader.Report recipients) {

        static CampaignView of(Campaign c, RecipientLoader.Report recipients) {
            return new CampaignView(c.id, c.name, c.description, c.status, c.statusReason, c.templateName,
                    c.templateLanguage, c.templateVariables, c.phoneNumberId, c.rateLimit, c.sendWindow(), c.scheduledFor,
                    c.createdAt, c.updatedAt, c.startedAt, c.completedAt, c.version, recipients);
        }

        static CampaignView of(Campaign c) {
            return of(c, null);
        }
    }

    private final CampaignService campaigns;
    private final PlanService plans;

    CampaignResource(CampaignService campaigns, PlanService plans) {
        this.campaigns = campaigns;
        this.plans = plans;
    }

    @GET
    @Operation(summary = "List campaigns, newest first; filter by status, search by name")
    public PageView<CampaignView> list(@QueryParam("page") @DefaultValue("0") @Min(0) int page,
            @QueryParam("size") @DefaultValue("20") @Min(1) @Max(200) int size,
            @QueryParam("status") String status, @QueryParam("search") String search) {
        QueryParams.checkPage(page, size);
        CampaignService.CampaignPage found = campaigns.list(page, size,
                QueryParams.parse(CampaignStatus.class, "status", status), search);
        return new PageView<>(found.items().stream().map(CampaignView::of).toList(), found.page(), found.size(), found.total());
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Create a draft, or a scheduled campaign when scheduledFor is set")
    public Response create(@Valid @NotNull CampaignSpec body) {
        CampaignService.Created created = campaigns.create(body);
        return Response.created(URI.create("/api/whatsapp/campaigns/" + created.campaign().id))
                .entity(CampaignView.of(created.campaign(), created.recipients()))
                .build();
    }

    @GET
    @Path("/{id}")
    public CampaignView get(@PathParam("id") long id) {
        return CampaignView.of(campaigns.get(id));
    }

    @PUT
    @Path("/{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Replace a draft or scheduled campaign (409 once it has started)")
    public CampaignView update(@PathParam("id") long id, @Valid @NotNull CampaignSpec body) {
        return CampaignView.of(campaigns.update(id, body));
    }

    @DELETE
    @Path("/{id}")
    @Operation(summary = "Delete a draft; cancel a scheduled or started campaign")
    public Response delete(@PathParam("id") long id) {
        campaigns.delete(id);
        return Response.noContent().build();
    }

    @POST
    @Path("/{id}/send")
    @Operation(summary = "Start sending now (from draft or scheduled)")
    public CampaignView send(@PathParam("id") long id) {
        return CampaignView.of(campaigns.act(id, Action.SEND));
    }

    @GET
    @Path("/{id}/plan")
    @Operation(summary = "Pre-flight plan: recipients that will be sent and excluded, template, duration, messaging-limit fit, cost")
    public CampaignPlan plan(@PathParam("id") long id) {
        return plans.plan(id);
    }

    @POST
    @Path("/{id}/pause")
    public CampaignView pause(@PathParam("id") long id) {
        return CampaignView.of(campaigns.act(id, Action.PAUSE));
    }

    @POST
    @Path("/{id}/resume")
    public CampaignView resume(@PathParam("id") long id) {
        return CampaignView.of(campaigns.act(id, Action.RESUME));
    }

    @POST
    @Path("/{id}/cancel")
    @Operation(summary = "Cancel: nothing more is sent, recipients not yet sent end cancelled")
    public CampaignView cancel(@PathParam("id") long id) {
        return CampaignView.of(campaigns.act(id, Action.CANCEL));
    }
}
