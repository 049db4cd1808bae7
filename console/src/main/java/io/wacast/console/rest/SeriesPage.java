package io.wacast.console.rest;

import java.net.URI;
import java.util.List;
import java.util.Set;

import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.rest.client.inject.RestClient;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.wacast.console.client.AudienceApi;
import io.wacast.console.client.AudienceApi.Occurrence;
import io.wacast.console.client.AudienceApi.Series;
import io.wacast.console.client.Page;
import io.wacast.console.client.UpstreamException;
import io.wacast.console.view.Banner;
import io.wacast.console.view.Notices;

/** Recurring campaigns: the series, each one's occurrences (links to their campaigns), pause and resume. */
@Path("/series")
@Produces(MediaType.TEXT_HTML)
public class SeriesPage {

    static final int PAGE_SIZE = 50;
    private static final Set<String> ACTIONS = Set.of("pause", "resume", "end");

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance list(String nav, Page<Series> page, String notice, Banner problem);

        static native TemplateInstance detail(String nav, Series series, Page<Occurrence> occurrences, String notice,
                Banner problem);
    }

    @RestClient
    AudienceApi audiences;

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

    private Response render(int status, long id, int page, String notice, Banner problem) {
        try {
            Series series = audiences.oneSeries(id);
            Page<Occurrence> occurrences = audiences.occurrences(id, page, PAGE_SIZE);
            return Pages.html(status, Templates.detail("series", series, occurrences, notice, problem));
        } catch (UpstreamException | ProcessingException e) {
            return Pages.html(Pages.statusFor(e), Templates.detail("series", null, new Page<>(List.of(), 0, PAGE_SIZE, 0), null,
                    problem != null ? problem : Banner.of(e, "The campaign service")));
        }
    }
}
