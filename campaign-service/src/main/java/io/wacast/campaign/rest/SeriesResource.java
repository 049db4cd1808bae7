package io.wacast.campaign.rest;

import java.net.URI;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
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

import io.wacast.campaign.repository.SeriesRepository;
import io.wacast.campaign.repository.SeriesRepository.Series;
import io.wacast.campaign.service.SeriesService;

/** Recurring campaigns: a series starts a campaign of its audience at each occurrence of its rule. */
@Path("/api/whatsapp/series")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Series")
public class SeriesResource {

    /** A series; {@code upcoming} are its next occurrences (at most 5) within its end. */
    public record SeriesView(long id, String name, String description, long audienceId, String templateName,
            String templateLanguage, Map<String, String> templateVariables, Map<String, String> variables,
            String phoneNumberId, Integer rateLimit, String schedule, String timeZone, Instant startsAt, LocalDate endsOn,
            Integer maxOccurrences, int minIntervalHours, String status, Instant nextOccurrenceAt, int occurrences,
            List<Instant> upcoming, Instant createdAt, Instant updatedAt) {

        static SeriesView of(Series s, List<Instant> upcoming) {
            return new SeriesView(s.id(), s.name(), s.description(), s.audienceId(), s.templateName(), s.templateLanguage(),
                    s.templateVariables(), s.variableMap(), s.phoneNumberId(), s.rateLimit(), s.schedule(), s.timeZone(),
                    s.startsAt(), s.endsOn(), s.maxOccurrences(), s.minIntervalMinutes() / 60, s.status(),
                    s.nextOccurrenceAt(), s.occurrences(), upcoming, s.createdAt(), s.updatedAt());
        }
    }

    private final SeriesService series;

    SeriesResource(SeriesService series) {
        this.series = series;
    }

    @GET
    @Operation(summary = "List series, newest first")
    public PageView<SeriesView> list(@QueryParam("page") @DefaultValue("0") @Min(0) int page,
            @QueryParam("size") @DefaultValue("50") @Min(1) @Max(1000) int size) {
        QueryParams.checkPage(page, size);
        SeriesService.SeriesPage found = series.list(page, size);
        return new PageView<>(found.items().stream().map(s -> SeriesView.of(s, series.upcoming(s, 5))).toList(),
                found.page(), found.size(), found.total());
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Create a series: an audience, a template, a schedule (cron, or days and times) in a time zone,"
            + " an optional end (endsOn, maxOccurrences)")
    public Response create(@Valid @NotNull SeriesService.SeriesSpec body) {
        Series created = series.create(body);
        return Response.created(URI.create("/api/whatsapp/series/" + created.id()))
                .entity(SeriesView.of(created, series.upcoming(created, 5))).build();
    }

    @GET
    @Path("/{id}")
    public SeriesView get(@PathParam("id") long id) {
        Series found = series.get(id);
        return SeriesView.of(found, series.upcoming(found, 5));
    }

    @PUT
    @Path("/{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Edit a series: replace its settings (the body of create; startsAt omitted keeps its start)."
            + " Its status and occurrences so far stay; the next occurrence follows the new rule and zone. 409 once ended")
    public SeriesView update(@PathParam("id") long id, @Valid @NotNull SeriesService.SeriesSpec body) {
        Series changed = series.update(id, body);
        return SeriesView.of(changed, series.upcoming(changed, 5));
    }

    @GET
    @Path("/{id}/occurrences")
    @Operation(summary = "The series' occurrences, newest first: each started campaign, or why it was skipped")
    public PageView<SeriesRepository.Occurrence> occurrences(@PathParam("id") long id,
            @QueryParam("page") @DefaultValue("0") @Min(0) int page,
            @QueryParam("size") @DefaultValue("50") @Min(1) @Max(1000) int size) {
        QueryParams.checkPage(page, size);
        return new PageView<>(series.occurrences(id, page, size), page, size, series.occurrenceCount(id));
    }

    @POST
    @Path("/{id}/pause")
    @Operation(summary = "Pause an active series: no occurrence starts until it is resumed")
    public SeriesView pause(@PathParam("id") long id) {
        Series changed = series.pause(id);
        return SeriesView.of(changed, series.upcoming(changed, 5));
    }

    @POST
    @Path("/{id}/resume")
    @Operation(summary = "Resume a paused series from now (occurrences that fell due while paused are not made up)")
    public SeriesView resume(@PathParam("id") long id) {
        Series changed = series.resume(id);
        return SeriesView.of(changed, series.upcoming(changed, 5));
    }

    @POST
    @Path("/{id}/end")
    @Operation(summary = "End a series for good; its campaigns stay")
    public SeriesView end(@PathParam("id") long id) {
        Series changed = series.end(id);
        return SeriesView.of(changed, series.upcoming(changed, 5));
    }
}
