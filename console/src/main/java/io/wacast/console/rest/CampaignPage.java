package io.wacast.console.rest;

import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.jboss.resteasy.reactive.RestStreamElementType;
import org.jboss.resteasy.reactive.client.SseEvent;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.smallrye.mutiny.Multi;
import io.wacast.console.client.AudienceApi;
import io.wacast.console.client.CampaignApi;
import io.wacast.console.client.CampaignApi.Campaign;
import io.wacast.console.client.CampaignApi.Recipient;
import io.wacast.console.client.CampaignApi.Stats;
import io.wacast.console.client.CampaignStream;
import io.wacast.console.client.Page;
import io.wacast.console.client.UpstreamException;
import io.wacast.console.session.CurrentOperator;
import io.wacast.console.view.Banner;
import io.wacast.console.view.Notices;

/**
 * One campaign: its analytics (live over server-sent events relayed from the campaign-service), its
 * recipients (filter, search, per-recipient preview, CSV export).
 */
@Path("/campaigns")
@Produces(MediaType.TEXT_HTML)
public class CampaignPage {

    static final int RECIPIENT_PAGE = 50;
    static final int EXPORT_PAGE = 1000;
    static final List<String> RECIPIENT_STATUSES = List.of("pending", "queued", "sending", "retry", "sent", "delivered",
            "read", "responded", "failed", "opted_out", "unknown", "cancelled");

    /** The recipients list's query, echoed in links. */
    public record RecipientQuery(String status, String phone, int page) {

        public String params(int toPage) {
            StringBuilder q = new StringBuilder("page=").append(toPage);
            if (status != null && !status.isBlank()) {
                q.append("&status=").append(Links.encode(status));
            }
            if (phone != null && !phone.isBlank()) {
                q.append("&phone=").append(Links.encode(phone));
            }
            return q.toString();
        }

        public boolean isFiltered() {
            return (status != null && !status.isBlank()) || (phone != null && !phone.isBlank());
        }
    }

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance detail(String nav, Campaign campaign, Stats stats, String statsJson, String notice,
                Banner problem, Targeted audience);

        static native TemplateInstance recipients(String nav, Campaign campaign, RecipientQuery query,
                List<String> statuses, Page<Recipient> page, Banner problem);

        static native TemplateInstance preview(CampaignApi.Preview preview);

        static native TemplateInstance unavailable(String nav, Banner problem);
    }

    @RestClient
    CampaignApi campaigns;

    @RestClient
    CampaignStream stream;

    @RestClient
    AudienceApi audiences;

    /** The saved audience a campaign targets, with its name (its count is loaded into the page after it). */
    public record Targeted(long id, String name, AudienceApi.Target target) {
    }

    private final CurrentOperator operator;
    private final ObjectMapper json;

    CampaignPage(CurrentOperator operator, ObjectMapper json) {
        this.operator = operator;
        this.json = json;
    }

    @GET
    @Path("{id: \\d+}")
    public Response detail(@PathParam("id") long id, @QueryParam("notice") String notice) {
        Campaign campaign;
        try {
            campaign = campaigns.campaign(id);
        } catch (UpstreamException | ProcessingException e) {
            return unavailable(e);
        }
        Stats stats = null;
        Banner problem = null;
        try {
            stats = campaigns.stats(id);
        } catch (UpstreamException | ProcessingException e) {
            problem = Banner.of(e, "The campaign service");
        }
        return Response.ok(Templates.detail("campaigns", campaign, stats, toJson(stats), Notices.text(notice), problem,
                targeted(id)))
                .build();
    }

    /**
     * The campaign's stats as server-sent events, relayed from the campaign-service: the first at once,
     * then at most one a second and only when something changed. The browser reconnects by itself
     * when the stream drops.
     */
    @GET
    @Path("{id: \\d+}/events")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @RestStreamElementType(MediaType.TEXT_PLAIN)
    public Multi<String> events(@PathParam("id") long id) {
        return stream.stats(id, "Bearer " + operator.apiKey())
                .filter(event -> event.data() != null && !event.data().isBlank())
                .map(SseEvent::data);
    }

    @GET
    @Path("{id: \\d+}/recipients")
    public Response recipients(@PathParam("id") long id, @QueryParam("status") String status,
            @QueryParam("phone") String phone, @QueryParam("page") @DefaultValue("0") int page) {
        RecipientQuery query = new RecipientQuery(Pages.blankToNull(status), Pages.blankToNull(phone), Math.max(0, page));
        Campaign campaign;
        try {
            campaign = campaigns.campaign(id);
        } catch (UpstreamException | ProcessingException e) {
            return unavailable(e);
        }
        Page<Recipient> found = new Page<>(List.of(), query.page(), RECIPIENT_PAGE, 0);
        Banner problem = null;
        int status200 = 200;
        try {
            found = campaigns.recipients(id, query.page(), RECIPIENT_PAGE, query.status(), query.phone());
        } catch (UpstreamException e) {
            problem = Banner.of(e);
            status200 = e.status() < 500 ? e.status() : 502;
        } catch (ProcessingException e) {
            problem = Banner.unreachable("The campaign service");
            status200 = 502;
        }
        return Response.status(status200).type(MediaType.TEXT_HTML_TYPE)
                .entity(Templates.recipients("campaigns", campaign, query, RECIPIENT_STATUSES, found, problem)).build();
    }

    /** The exact message one recipient gets, as a fragment for the recipients table. */
    @GET
    @Path("{id: \\d+}/recipients/{rid}/preview")
    public TemplateInstance preview(@PathParam("id") long id, @PathParam("rid") long recipientId) {
        return Templates.preview(campaigns.preview(id, recipientId));
    }

    /** The recipients (of one status, or all) as CSV, read from the API a thousand at a time. */
    @GET
    @Path("{id: \\d+}/recipients.csv")
    @Produces("text/csv")
    public Response export(@PathParam("id") long id, @QueryParam("status") String status) {
        String filter = Pages.blankToNull(status);
        Page<Recipient> first = campaigns.recipients(id, 0, EXPORT_PAGE, filter, null);
        StreamingOutput body = out -> {
            Writer writer = new OutputStreamWriter(out, StandardCharsets.UTF_8);
            try (CSVPrinter csv = new CSVPrinter(writer, CSVFormat.DEFAULT.builder()
                    .setHeader("id", "phone_number", "name", "status", "wamid", "last_error_code", "last_error_message",
                            "updated_at")
                    .get())) {
                Page<Recipient> page = first;
                while (true) {
                    for (Recipient r : page.items()) {
                        csv.printRecord(r.id(), r.phoneNumber(), r.name(), r.status(), r.wamid(), r.lastErrorCode(),
                                r.lastErrorMessage(), r.updatedAt());
                    }
                    if (!page.hasNext() || page.items().isEmpty()) {
                        break;
                    }
                    page = campaigns.recipients(id, page.page() + 1, EXPORT_PAGE, filter, null);
                }
            } catch (UpstreamException | ProcessingException e) {
                throw new IOException("the export stopped: the campaign service did not answer a page", e);
            }
        };
        String name = "campaign-" + id + "-recipients" + (filter == null ? "" : "-" + filter) + ".csv";
        return Response.ok(body, "text/csv; charset=UTF-8")
                .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"" + name + "\"")
                .build();
    }

    private Response unavailable(RuntimeException e) {
        int status = e instanceof UpstreamException u ? (u.status() < 500 ? u.status() : 502) : 502;
        return Response.status(status).type(MediaType.TEXT_HTML_TYPE)
                .entity(Templates.unavailable("campaigns", Banner.of(e, "The campaign service"))).build();
    }

    /**
     * A follow-up draft of this campaign's recipients in one outcome (those who pressed a button, whose
     * message failed, …), made by the campaign-service, which answers which were taken; the operator lands
     * on the draft. A refusal (a campaign that never sent, an unknown button) is shown on this page.
     */
    @POST
    @Path("{id: \\d+}/follow-ups")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response followUp(@PathParam("id") long id, @FormParam("outcome") String outcome,
            @FormParam("payload") String payload, @FormParam("afterHours") String afterHours) {
        Integer hours = null;
        if (afterHours != null && !afterHours.isBlank()) {
            try {
                hours = Integer.valueOf(afterHours.strip());
            } catch (NumberFormatException e) {
                return detail(id, 400, new Banner("The follow-up was not made.", "afterHours: a whole number of hours."));
            }
        }
        try {
            CampaignApi.FollowUpCreated created = campaigns.followUp(id,
                    new CampaignApi.FollowUpRequest(Pages.blankToNull(outcome), Pages.blankToNull(payload), hours));
            return Response.seeOther(URI.create("/campaigns/" + created.campaign().id() + "?notice=follow-up")).build();
        } catch (UpstreamException e) {
            return detail(id, e.status() >= 500 ? 502 : e.status(), Banner.of(e));
        } catch (ProcessingException e) {
            return detail(id, 502, Banner.unreachable("The campaign service"));
        }
    }

    /** The audience the campaign targets, or null when it targets none (404) or it cannot be read now. */
    private Targeted targeted(long id) {
        AudienceApi.Target target;
        try {
            target = audiences.targetOf(id);
        } catch (UpstreamException | ProcessingException none) {
            return null;
        }
        String name;
        try {
            name = audiences.audience(target.audienceId()).name();
        } catch (UpstreamException | ProcessingException e) {
            name = "audience " + target.audienceId();
        }
        return new Targeted(target.audienceId(), name, target);
    }

    private Response detail(long id, int status, Banner refusal) {
        Campaign campaign;
        try {
            campaign = campaigns.campaign(id);
        } catch (UpstreamException | ProcessingException e) {
            return unavailable(e);
        }
        Stats stats = null;
        try {
            stats = campaigns.stats(id);
        } catch (UpstreamException | ProcessingException e) {
            // the refusal is what the operator must read; the page shows its empty-stats card
        }
        return Response.status(status).type(MediaType.TEXT_HTML_TYPE)
                .entity(Templates.detail("campaigns", campaign, stats, toJson(stats), null, refusal, targeted(id))).build();
    }

    /** Stats for the page's script, safe inside a {@code <script type="application/json">}. */
    private String toJson(Stats stats) {
        if (stats == null) {
            return "null";
        }
        try {
            return json.writeValueAsString(stats).replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026");
        } catch (JsonProcessingException e) {
            return "null";
        }
    }

}
