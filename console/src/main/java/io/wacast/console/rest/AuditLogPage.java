package io.wacast.console.rest;

import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.List;

import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.rest.client.inject.RestClient;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.wacast.console.client.CampaignApi;
import io.wacast.console.client.CampaignApi.AuditEntry;
import io.wacast.console.client.Page;
import io.wacast.console.client.UpstreamException;
import io.wacast.console.session.CurrentOperator;
import io.wacast.console.view.Banner;
import io.wacast.console.view.Formats;

/**
 * The audit log of every operator change in every service (docs/DESIGN.md D21): who, what, when and from
 * where, newest first, narrowed by service, actor and days in the operator's own time zone. Admins only,
 * like the API it reads.
 */
@Path("/audit-log")
@Produces(MediaType.TEXT_HTML)
public class AuditLogPage {

    static final int PAGE_SIZE = 50;

    static final List<String> SERVICES = List.of("campaign-service", "catalog-service");

    /**
     * The filter as typed: days are the operator's calendar days ({@code from} inclusive, {@code to}
     * inclusive), sent to the API as the instants they start and end at in the operator's zone.
     */
    public record Filter(String service, String actor, String from, String to, String fromError, String toError) {

        /** The query string of this filter, for the pager's links. */
        public String query() {
            return "service=" + Formats.urlEncode(service) + "&actor=" + Formats.urlEncode(actor) + "&from="
                    + Formats.urlEncode(from) + "&to=" + Formats.urlEncode(to);
        }

        public boolean narrows() {
            return !service.isEmpty() || !actor.isEmpty() || !from.isEmpty() || !to.isEmpty();
        }
    }

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance list(String nav, Page<AuditEntry> page, Filter filter, List<String> services,
                Banner problem);

        static native TemplateInstance forbidden(String nav, Banner problem);
    }

    @RestClient
    CampaignApi campaigns;

    private final CurrentOperator operator;

    AuditLogPage(CurrentOperator operator) {
        this.operator = operator;
    }

    @GET
    public Response list(@QueryParam("service") String service, @QueryParam("actor") String actor,
            @QueryParam("from") String from, @QueryParam("to") String to,
            @QueryParam("page") @DefaultValue("0") int page) {
        if (!operator.getIsAdmin()) {
            return forbidden(null);
        }
        String theService = SERVICES.contains(strip(service)) ? strip(service) : "";
        String fromText = strip(from);
        String toText = strip(to);
        LocalDate fromDay = day(fromText);
        LocalDate toDay = day(toText);
        String fromError = !fromText.isEmpty() && fromDay == null ? "A day such as 2026-12-05." : null;
        String toError = !toText.isEmpty() && toDay == null ? "A day such as 2026-12-05." : null;
        if (fromDay != null && toDay != null && toDay.isBefore(fromDay)) {
            toError = "On or after the first day.";
        }
        Filter filter = new Filter(theService, strip(actor), fromText, toText, fromError, toError);
        int current = Math.max(0, page);
        Page<AuditEntry> found = new Page<>(List.of(), current, PAGE_SIZE, 0);
        Banner problem = null;
        int status = 200;
        if (fromError != null || toError != null) {
            status = 400;
        } else {
            ZoneId zone = operator.getZone();
            String since = fromDay == null ? null : fromDay.atStartOfDay(zone).toInstant().toString();
            String until = toDay == null ? null : toDay.plusDays(1).atStartOfDay(zone).toInstant().toString();
            try {
                found = campaigns.auditLog(blankToNull(theService), blankToNull(filter.actor()), since, until, current,
                        PAGE_SIZE);
            } catch (UpstreamException e) {
                if (e.status() == 403) {
                    return forbidden(Banner.of(e));
                }
                problem = Banner.of(e);
                status = Pages.statusFor(e);
            } catch (ProcessingException e) {
                problem = Banner.unreachable("The campaign service");
                status = 502;
            }
        }
        return Response.status(status).type(MediaType.TEXT_HTML_TYPE)
                .entity(Templates.list("audit-log", found, filter, SERVICES, problem)).build();
    }

    private static LocalDate day(String text) {
        if (text.isEmpty()) {
            return null;
        }
        try {
            LocalDate day = LocalDate.parse(text);
            return day.getYear() < 2000 || day.getYear() > 9998 ? null : day;
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static String strip(String value) {
        return value == null ? "" : value.strip();
    }

    private static String blankToNull(String value) {
        return value.isEmpty() ? null : value;
    }

    private static Response forbidden(Banner problem) {
        return Response.status(403).type(MediaType.TEXT_HTML_TYPE).entity(Templates.forbidden("audit-log", problem)).build();
    }
}
