package io.wacast.campaign.rest;

import java.net.URI;
import java.time.Instant;
import java.util.List;

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

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.wacast.campaign.repository.AudienceRepository.Audience;
import io.wacast.campaign.service.AudienceFilter;
import io.wacast.campaign.service.AudienceService;

/** Saved audiences: named filters over the contact book that campaigns and series target. */
@Path("/api/whatsapp/audiences")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Audiences")
public class AudienceResource {

    public record AudienceView(long id, String name, String description, AudienceFilter filter, long version,
            Instant createdAt, Instant updatedAt) {

        static AudienceView of(Audience a) {
            return new AudienceView(a.id(), a.name(), a.description(), a.filter(), a.version(), a.createdAt(), a.updatedAt());
        }
    }

    /** A live count: contacts the filter matches at {@code countedAt}. */
    public record CountView(Long audienceId, long contacts, Instant countedAt) {
    }

    public record FilterBody(com.fasterxml.jackson.databind.JsonNode filter) {
    }

    private final AudienceService audiences;

    AudienceResource(AudienceService audiences) {
        this.audiences = audiences;
    }

    @GET
    @Operation(summary = "List audiences by name")
    public PageView<AudienceView> list(@QueryParam("page") @DefaultValue("0") @Min(0) int page,
            @QueryParam("size") @DefaultValue("50") @Min(1) @Max(1000) int size) {
        QueryParams.checkPage(page, size);
        AudienceService.AudiencePage found = audiences.list(page, size);
        return new PageView<>(found.items().stream().map(AudienceView::of).toList(), found.page(), found.size(), found.total());
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Create an audience: a name and a filter (tags all/any/none, attributes, countries, consent,"
            + " recipientsOf campaigns, notMessagedInDays)")
    public Response create(@Valid @NotNull AudienceService.AudienceSpec body) {
        AudienceView view = AudienceView.of(audiences.create(body));
        return Response.created(URI.create("/api/whatsapp/audiences/" + view.id())).entity(view).build();
    }

    @GET
    @Path("/{id}")
    public AudienceView get(@PathParam("id") long id) {
        return AudienceView.of(audiences.get(id));
    }

    @PUT
    @Path("/{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Replace an audience's name, description and filter")
    public AudienceView update(@PathParam("id") long id, @Valid @NotNull AudienceService.AudienceSpec body) {
        return AudienceView.of(audiences.update(id, body));
    }

    @DELETE
    @Path("/{id}")
    @Operation(summary = "Delete an audience that no campaign targets")
    public Response delete(@PathParam("id") long id) {
        audiences.delete(id);
        return Response.noContent().build();
    }

    @GET
    @Path("/{id}/count")
    @Operation(summary = "How many contacts the audience matches now")
    public CountView count(@PathParam("id") long id) {
        return new CountView(id, audiences.count(id), Instant.now());
    }

    @POST
    @Path("/count")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "How many contacts an unsaved filter matches now (nothing is stored)")
    public CountView preview(@NotNull FilterBody body) {
        return new CountView(null, audiences.count(body.filter()), Instant.now());
    }
}
