package io.wacast.console.rest;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.FormParam;
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
import io.wacast.console.client.CampaignApi;
import io.wacast.console.client.CampaignApi.Campaign;
import io.wacast.console.client.Page;
import io.wacast.console.client.UpstreamException;
import io.wacast.console.view.Banner;
import io.wacast.console.view.CampaignRow;
import io.wacast.console.view.Notices;

/**
 * The campaigns table: filter by status, search by name, paginate; per row its counters and the
 * actions its status allows. While any campaign on the page is running, the table refreshes itself.
 */
@Path("/campaigns")
@Produces(MediaType.TEXT_HTML)
public class CampaignsPage {

    static final int PAGE_SIZE = 20;
    static final List<String> STATUSES = List.of("draft", "scheduled", "sending", "paused", "completed", "cancelled");
    private static final Set<String> ACTIONS = Set.of("send", "pause", "resume", "cancel");

    /** The list's query, echoed in links and in the live table's URL. */
    public record Query(String status, String search, int page) {

        public String params(int toPage) {
            StringBuilder q = new StringBuilder("page=").append(toPage);
            if (status != null && !status.isBlank()) {
                q.append("&status=").append(Links.encode(status));
            }
            if (search != null && !search.isBlank()) {
                q.append("&search=").append(Links.encode(search));
            }
            return q.toString();
        }

        public boolean isFiltered() {
            return (status != null && !status.isBlank()) || (search != null && !search.isBlank());
        }
    }

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance list(String nav, Query query, List<String> statuses, Page<Campaign> page,
                List<CampaignRow> rows, boolean live, String notice, Banner problem);

        static native TemplateInstance list$table(Query query, Page<Campaign> page, List<CampaignRow> rows, boolean live);
    }

    @RestClient
    CampaignApi campaigns;

    @GET
    public Response list(@QueryParam("status") String status, @QueryParam("search") String search,
            @QueryParam("page") @DefaultValue("0") int page, @QueryParam("notice") String notice) {
        return render(200, new Query(status, search, Math.max(0, page)), Notices.text(notice), null);
    }

    /** The table alone, for the live refresh. */
    @GET
    @Path("table")
    public TemplateInstance table(@QueryParam("status") String status, @QueryParam("search") String search,
            @QueryParam("page") @DefaultValue("0") int page) {
        Query query = new Query(status, search, Math.max(0, page));
        Page<Campaign> found = campaigns.campaigns(query.page(), PAGE_SIZE, Pages.blankToNull(status), Pages.blankToNull(search));
        List<CampaignRow> rows = rows(found);
        return Templates.list$table(query, found, rows, anyRunning(found));
    }

    @POST
    @Path("{id: \\d+}/act")
    public Response act(@PathParam("id") long id, @FormParam("action") String action, @FormParam("back") String back) {
        if (action == null || !ACTIONS.contains(action)) {
            return render(400, new Query(null, null, 0), null, new Banner("Unknown action.", "Choose send, pause, resume or cancel."));
        }
        try {
            campaigns.act(id, action);
            String notice = switch (action) {
                case "send" -> "sent";
                case "pause" -> "paused";
                case "resume" -> "resumed";
                default -> "cancelled";
            };
            return Response.seeOther(URI.create(Links.with(Links.back(back, "/campaigns"), "notice=" + notice))).build();
        } catch (UpstreamException e) {
            return render(e.status() >= 500 ? 502 : e.status(), new Query(null, null, 0), null, Banner.of(e));
        }
    }

    /** A draft with this campaign's settings (not its recipients), opened in the wizard's audience step. */
    @POST
    @Path("{id: \\d+}/duplicate")
    public Response duplicate(@PathParam("id") long id) {
        try {
            Campaign source = campaigns.campaign(id);
            Campaign copy = campaigns.create(new CampaignApi.CampaignSpec(copyName(source.name()), source.description(),
                    source.templateName(), source.templateLanguage(), source.templateVariables(), source.phoneNumberId(),
                    source.rateLimit(), source.sendWindow(), null));
            return Response.seeOther(URI.create("/campaigns/" + copy.id() + "/wizard/audience?notice=duplicated")).build();
        } catch (UpstreamException e) {
            return render(e.status() >= 500 ? 502 : e.status(), new Query(null, null, 0), null, Banner.of(e));
        }
    }

    static String copyName(String name) {
        String copy = "Copy of " + name;
        return copy.length() > 200 ? copy.substring(0, 200) : copy;
    }

    private Response render(int status, Query query, String notice, Banner problem) {
        Page<Campaign> found = new Page<>(List.of(), query.page(), PAGE_SIZE, 0);
        List<CampaignRow> rows = List.of();
        try {
            found = campaigns.campaigns(query.page(), PAGE_SIZE, Pages.blankToNull(query.status()), Pages.blankToNull(query.search()));
            rows = rows(found);
        } catch (UpstreamException | ProcessingException e) {
            problem = problem != null ? problem : Banner.of(e, "The campaign service");
            status = status == 200 ? (e instanceof UpstreamException u && u.status() < 500 ? u.status() : 502) : status;
        }
        return Response.status(status).type(MediaType.TEXT_HTML_TYPE)
                .entity(Templates.list("campaigns", query, STATUSES, found, rows, anyRunning(found), notice, problem))
                .build();
    }

    private List<CampaignRow> rows(Page<Campaign> found) {
        List<CampaignRow> rows = new ArrayList<>(found.items().size());
        for (Campaign c : found.items()) {
            CampaignApi.Stats stats = null;
            try {
                stats = campaigns.stats(c.id());
            } catch (UpstreamException | ProcessingException e) {
                // the row shows dashes; the campaign itself is still listed
            }
            rows.add(new CampaignRow(c, stats));
        }
        return rows;
    }

    private static boolean anyRunning(Page<Campaign> page) {
        return page.items().stream().anyMatch(Campaign::isRunning);
    }

}
