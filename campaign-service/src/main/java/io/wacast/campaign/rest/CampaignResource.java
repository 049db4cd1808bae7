package io.wacast.campaign.rest;

import java.net.URI;
import java.time.Instant;
import java.util.List;
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
import io.wacast.campaign.domain.FollowUpOutcome;
import io.wacast.campaign.repository.FollowUpRepository;
import io.wacast.campaign.service.CampaignPlan;
import io.wacast.campaign.service.CampaignService;
import io.wacast.campaign.service.PlanService;
import io.wacast.campaign.service.CampaignLifecycle;
import io.wacast.campaign.service.CampaignLifecycle.Action;
import io.wacast.campaign.service.CampaignSpec;
import io.wacast.campaign.service.DuplicateSpec;
import io.wacast.campaign.service.FollowUpService;
import io.wacast.campaign.service.RecipientLoader;
import io.wacast.common.event.CampaignControl;
import io.wacast.common.status.CampaignStatus;

/** Campaign CRUD and the operator's actions: send, pause, resume, cancel. */
@Path("/api/whatsapp/campaigns")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Campaigns")
public class CampaignResource {

    /**
     * @param followUpOf the campaign and outcome this one follows up; absent for other campaigns
     * @param recipients what happened to the recipients given at creation or copied; absent otherwise
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record CampaignView(long id, String name, String description, CampaignStatus status, String statusReason,
            String templateName, String templateLanguage, Map<String, String> templateVariables, String phoneNumberId,
            int rateLimit, CampaignControl.SendWindow sendWindow, Instant scheduledFor, Instant createdAt,
            Instant updatedAt, Instant startedAt, Instant completedAt, long version, FollowUpOf followUpOf,
            RecipientLoader.Report recipients) {

        static CampaignView of(Campaign c, FollowUpRepository.FollowUp followUp, RecipientLoader.Report recipients) {
            return new CampaignView(c.id, c.name, c.description, c.status, c.statusReason, c.templateName,
                    c.templateLanguage, c.templateVariables, c.phoneNumberId, c.rateLimit, c.sendWindow(), c.scheduledFor,
                    c.createdAt, c.updatedAt, c.startedAt, c.completedAt, c.version, FollowUpOf.of(followUp), recipients);
        }

        static CampaignView of(Campaign c, RecipientLoader.Report recipients) {
            return of(c, null, recipients);
        }

        static CampaignView of(Campaign c) {
            return of(c, null, null);
        }
    }

    /**
     * @param afterHours for {@code delivered_not_read}: how long ago the recipients were delivered at least
     * @param payload for {@code clicked}: the button payload the recipients pressed
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record FollowUpOf(long campaignId, FollowUpOutcome outcome, Integer afterHours, String payload) {

        static FollowUpOf of(FollowUpRepository.FollowUp followUp) {
            return followUp == null ? null
                    : new FollowUpOf(followUp.sourceCampaignId(), followUp.outcome(), followUp.afterHours(),
                            followUp.payload());
        }
    }

    private final CampaignService campaigns;
    private final CampaignLifecycle lifecycle;
    private final PlanService plans;
    private final FollowUpService followUps;

    CampaignResource(CampaignService campaigns, CampaignLifecycle lifecycle, PlanService plans, FollowUpService followUps) {
        this.campaigns = campaigns;
        this.lifecycle = lifecycle;
        this.plans = plans;
        this.followUps = followUps;
    }

    @GET
    @Operation(summary = "List campaigns, newest first; filter by status, search by name")
    public PageView<CampaignView> list(@QueryParam("page") @DefaultValue("0") @Min(0) int page,
            @QueryParam("size") @DefaultValue("20") @Min(1) @Max(200) int size,
            @QueryParam("status") String status, @QueryParam("search") String search) {
        QueryParams.checkPage(page, size);
        CampaignService.CampaignPage found = campaigns.list(page, size,
                QueryParams.parse(CampaignStatus.class, "status", status), search);
        Map<Long, FollowUpRepository.FollowUp> sources = followUps.sourcesOf(found.items().stream().map(c -> c.id).toList());
        return new PageView<>(found.items().stream().map(c -> CampaignView.of(c, sources.get(c.id), null)).toList(),
                found.page(), found.size(), found.total());
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
        Campaign campaign = campaigns.get(id);
        return CampaignView.of(campaign, followUps.sourcesOf(List.of(id)).get(id), null);
    }

    @POST
    @Path("/{id}/duplicate")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "A new draft with this campaign's settings and, with recipients=true, its recipients")
    public Response duplicate(@PathParam("id") long id, @Valid @NotNull DuplicateSpec body) {
        CampaignService.Created created = campaigns.duplicate(id, body.name(), Boolean.TRUE.equals(body.recipients()));
        return Response.created(URI.create("/api/whatsapp/campaigns/" + created.campaign().id))
                .entity(CampaignView.of(created.campaign(), created.recipients()))
                .build();
    }

    /** The same without a body ({@code curl -X POST …/duplicate}): the settings only. */
    @POST
    @Path("/{id}/duplicate")
    @Operation(summary = "A new draft with this campaign's settings, without its recipients")
    public Response duplicateSettings(@PathParam("id") long id) {
        CampaignService.Created created = campaigns.duplicate(id, null, false);
        return Response.created(URI.create("/api/whatsapp/campaigns/" + created.campaign().id))
                .entity(CampaignView.of(created.campaign(), created.recipients()))
                .build();
    }

    @POST
    @Path("/{id}/unschedule")
    @Operation(summary = "Move a scheduled campaign back to draft before it starts (409 once it has)")
    public CampaignView unschedule(@PathParam("id") long id) {
        return CampaignView.of(lifecycle.act(id, Action.UNSCHEDULE));
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
        return CampaignView.of(lifecycle.act(id, Action.SEND));
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
        return CampaignView.of(lifecycle.act(id, Action.PAUSE));
    }

    @POST
    @Path("/{id}/resume")
    public CampaignView resume(@PathParam("id") long id) {
        return CampaignView.of(lifecycle.act(id, Action.RESUME));
    }

    @POST
    @Path("/{id}/cancel")
    @Operation(summary = "Cancel: nothing more is sent, recipients not yet sent end cancelled")
    public CampaignView cancel(@PathParam("id") long id) {
        return CampaignView.of(lifecycle.act(id, Action.CANCEL));
    }
}
