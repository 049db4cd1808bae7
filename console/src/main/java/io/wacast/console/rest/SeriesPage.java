package io.wacast.console.rest;

import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;

import com.fasterxml.jackson.databind.ObjectMapper;

import org.eclipse.microprofile.rest.client.inject.RestClient;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.wacast.console.client.AudienceApi;
import io.wacast.console.client.AudienceApi.Audience;
import io.wacast.console.client.AudienceApi.Occurrence;
import io.wacast.console.client.AudienceApi.Series;
import io.wacast.console.client.CampaignApi;
import io.wacast.console.client.CampaignApi.Template;
import io.wacast.console.client.Page;
import io.wacast.console.client.UpstreamException;
import io.wacast.console.session.CurrentOperator;
import io.wacast.console.view.Banner;
import io.wacast.console.view.Notices;
import io.wacast.console.view.SeriesForm;

/**
 * Recurring campaigns: the series, a new one or an existing one edited in the same form (audience,
 * template, rule in a time zone, end, spacing; the API's field errors next to their fields), each one's
 * occurrences (links to their campaigns), pause, resume and end.
 */
@Path("/series")
@Produces(MediaType.TEXT_HTML)
public class SeriesPage {

    static final int PAGE_SIZE = 50;
    private static final Set<String> ACTIONS = Set.of("pause", "resume", "end");

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance list(String nav, Page<Series> page, String notice, Banner problem);

        static native TemplateInstance detail(String nav, Series series, String audienceName, Page<Occurrence> occurrences,
                String notice, Banner problem);

        /** The series form: a new series ({@code editing} null, maybe {@code like} another) or {@code editing} one. */
        static native TemplateInstance form(String nav, SeriesForm form, List<Audience> audiences, List<Template> templates,
                String templatesJson, Series like, Series editing, Banner problem);
    }

    /** The most saved audiences the form offers (newest first). */
    static final int AUDIENCE_CHOICES = 500;

    @RestClient
    AudienceApi audiences;

    @RestClient
    CampaignApi campaigns;

    private final CurrentOperator operator;
    private final ObjectMapper json;

    SeriesPage(CurrentOperator operator, ObjectMapper json) {
        this.operator = operator;
        this.json = json;
    }

    @GET
    public Response list(@QueryParam("page") @DefaultValue("0") int page, @QueryParam("notice") String notice) {
        Page<Series> found = new Page<>(List.of(), Math.max(0, page), PAGE_SIZE, 0);
        try {
            found = audiences.series(Math.max(0, page), PAGE_SIZE);
            return Pages.html(200, Templates.list("series", found, Notices.text(notice), null));
        } catch (UpstreamException | ProcessingException e) {
            return Pages.html(Pages.statusFor(e), Templates.list("series", found, null, Banner.of(e, "The campaign service")));
        }
    }

    /** The new-series form; {@code like}: start from an existing series' settings. */
    @GET
    @Path("new")
    public Response start(@QueryParam("like") Long like) {
        Series source = null;
        Banner problem = null;
        if (like != null) {
            try {
                source = audiences.oneSeries(like);
            } catch (UpstreamException | ProcessingException e) {
                problem = Banner.of(e, "The campaign service");
            }
        }
        return form(200, source == null ? SeriesForm.empty(operator.getZone()) : SeriesForm.like(source), source, null, problem);
    }

    @POST
    @Path("new")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response create(MultivaluedMap<String, String> fields) {
        SeriesForm form = SeriesForm.from(fields);
        Map<String, String> problems = form.problems();
        if (!problems.isEmpty()) {
            return form(400, form.withErrors(problems), null, null, null);
        }
        try {
            Series created = audiences.createSeries(form.request());
            return Response.seeOther(URI.create("/series/" + created.id() + "?notice=series-created")).build();
        } catch (UpstreamException e) {
            return form(Pages.statusFor(e), form.withErrors(e), null, null, SeriesForm.placesAll(e) ? null : Banner.of(e));
        } catch (ProcessingException e) {
            return form(502, form, null, null, Banner.unreachable("The campaign service"));
        }
    }

    /** The same form, filled with the series as it is; an ended series cannot be edited (its page says why). */
    @GET
    @Path("{id: \\d+}/edit")
    public Response startEdit(@PathParam("id") long id) {
        try {
            Series series = audiences.oneSeries(id);
            if (!series.mayEdit()) {
                return render(409, id, 0, null, new Banner("This series has ended",
                        "An ended series cannot be edited; start a new series like it instead."));
            }
            return form(200, SeriesForm.editing(series, Instant.now()), null, series, null);
        } catch (UpstreamException | ProcessingException e) {
            return render(Pages.statusFor(e), id, 0, null, Banner.of(e, "The campaign service"));
        }
    }

    /**
     * Saves the edited form ({@code PUT /series/{id}}): back to the series' page with its new next
     * occurrences, or the form again with the API's field errors next to their fields and everything typed kept.
     */
    @POST
    @Path("{id: \\d+}/edit")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response edit(@PathParam("id") long id, MultivaluedMap<String, String> fields) {
        SeriesForm form = SeriesForm.from(fields);
        Series editing;
        try {
            editing = audiences.oneSeries(id);
        } catch (UpstreamException | ProcessingException e) {
            return render(Pages.statusFor(e), id, 0, null, Banner.of(e, "The campaign service"));
        }
        Map<String, String> problems = form.problems();
        if (!problems.isEmpty()) {
            return form(400, form.withErrors(problems), null, editing, null);
        }
        try {
            audiences.updateSeries(id, form.request());
            return Response.seeOther(URI.create("/series/" + id + "?notice=series-edited")).build();
        } catch (UpstreamException e) {
            return form(Pages.statusFor(e), form.withErrors(e), null, editing, SeriesForm.placesAll(e) ? null : Banner.of(e));
        } catch (ProcessingException e) {
            return form(502, form, null, editing, Banner.unreachable("The campaign service"));
        }
    }

    private Response form(int status, SeriesForm form, Series like, Series editing, Banner problem) {
        List<Audience> choices = List.of();
        List<Template> templates = List.of();
        try {
            choices = audiences.audiences(0, AUDIENCE_CHOICES).items();
            templates = campaigns.templates(null);
        } catch (UpstreamException | ProcessingException e) {
            problem = problem != null ? problem : Banner.of(e, "The campaign service");
        }
        return Pages.html(status, Templates.form("series", form, choices, templates, Pages.scriptJson(json, templates), like,
                editing, problem));
    }

    @GET
    @Path("{id: \\d+}")
    public Response detail(@PathParam("id") long id, @QueryParam("page") @DefaultValue("0") int page,
            @QueryParam("notice") String notice) {
        return render(200, id, Math.max(0, page), Notices.text(notice), null);
    }

    @POST
    @Path("{id: \\d+}/{action}")
    public Response act(@PathParam("id") long id, @PathParam("action") String action) {
        if (!ACTIONS.contains(action)) {
            return Response.status(404).build();
        }
        try {
            audiences.actOnSeries(id, action);
            String notice = switch (action) {
                case "pause" -> "series-paused";
                case "resume" -> "series-resumed";
                default -> "series-ended";
            };
            return Response.seeOther(URI.create("/series/" + id + "?notice=" + notice)).build();
        } catch (UpstreamException | ProcessingException e) {
            return render(Pages.statusFor(e), id, 0, null, Banner.of(e, "The campaign service"));
        }
    }

    private String audienceName(long id) {
        try {
            return audiences.audience(id).name();
        } catch (UpstreamException | ProcessingException e) {
            return "audience " + id;
        }
    }

    private Response render(int status, long id, int page, String notice, Banner problem) {
        try {
            Series series = audiences.oneSeries(id);
            Page<Occurrence> occurrences = audiences.occurrences(id, page, PAGE_SIZE);
            return Pages.html(status, Templates.detail("series", series, audienceName(series.audienceId()), occurrences, notice,
                    problem));
        } catch (UpstreamException | ProcessingException e) {
            return Pages.html(Pages.statusFor(e), Templates.detail("series", null, null, new Page<>(List.of(), 0, PAGE_SIZE, 0), null,
                    problem != null ? problem : Banner.of(e, "The campaign service")));
        }
    }
}
