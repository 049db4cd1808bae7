package io.wacast.console.rest;

import java.io.InputStream;
import java.util.List;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.rest.client.inject.RestClient;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.wacast.console.client.AudienceApi;
import io.wacast.console.client.AudienceApi.Contact;
import io.wacast.console.client.CampaignApi;
import io.wacast.console.client.Page;
import io.wacast.console.client.UpstreamException;
import io.wacast.console.view.Banner;

/**
 * The contact book: contacts with filters and paging, one contact with its consent record, and the CSV
 * import with its row report. A contact is opened by a form post: its number never travels in a URL.
 */
@Path("/contacts")
@Produces(MediaType.TEXT_HTML)
public class ContactsPage {

    static final int PAGE_SIZE = 50;
    static final List<String> CONSENTS = List.of("opted_in", "opted_out", "none");

    /** The list's filter, echoed in links. */
    public record Query(String tag, String country, String consent, String attribute, int page) {

        public String params(int toPage) {
            StringBuilder q = new StringBuilder("page=").append(toPage);
            append(q, "tag", tag);
            append(q, "country", country);
            append(q, "consent", consent);
            append(q, "attribute", attribute);
            return q.toString();
        }

        public boolean isFiltered() {
            return tag != null || country != null || consent != null || attribute != null;
        }

        private static void append(StringBuilder q, String name, String value) {
            if (value != null) {
                q.append('&').append(name).append('=').append(Links.encode(value));
            }
        }
    }

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance list(String nav, Query query, List<String> consents, Page<Contact> page, Banner problem);

        static native TemplateInstance detail(String nav, Contact contact, Banner problem);

        static native TemplateInstance importer(String nav, CampaignApi.Report report, String rejectedCsv, Banner problem);

        static native TemplateInstance importer$report(CampaignApi.Report report, String rejectedCsv);

    }

    @RestClient
    AudienceApi audiences;

    @GET
    public Response list(@QueryParam("tag") String tag, @QueryParam("country") String country,
            @QueryParam("consent") String consent, @QueryParam("attribute") String attribute,
            @QueryParam("page") @DefaultValue("0") int page) {
        Query query = new Query(Pages.blankToNull(tag), Pages.blankToNull(country), Pages.blankToNull(consent),
                Pages.blankToNull(attribute), Math.max(0, page));
        Page<Contact> found = new Page<>(List.of(), query.page(), PAGE_SIZE, 0);
        Banner problem = null;
        int status = 200;
        try {
            found = audiences.contacts(query.page(), PAGE_SIZE, query.tag() == null ? List.of() : List.of(query.tag()),
                    query.country(), query.consent(), query.attribute() == null ? List.of() : List.of(query.attribute()));
        } catch (UpstreamException | ProcessingException e) {
            problem = Banner.of(e, "The campaign service");
            status = Pages.statusFor(e);
        }
        return Pages.html(status, Templates.list("contacts", query, CONSENTS, found, problem));
    }

    /** One contact, by its number sent as a form field. */
    @POST
    @Path("show")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response show(@FormParam("phone") String phone) {
        try {
            return Pages.html(200, Templates.detail("contacts", audiences.contact(phone == null ? "" : phone.strip()), null));
        } catch (UpstreamException | ProcessingException e) {
            return Pages.html(Pages.statusFor(e), Templates.detail("contacts", null, Banner.of(e, "The campaign service")));
        }
    }

    @GET
    @Path("import")
    public Response importer() {
        return Pages.html(200, Templates.importer("contacts", null, null, null));
    }

    /** The CSV as the browser sends it (the upload script posts the file with a progress bar). */
    @POST
    @Path("import")
    @Consumes({ "text/csv", MediaType.TEXT_PLAIN, MediaType.APPLICATION_OCTET_STREAM })
    public Response upload(@QueryParam("consented") String consented, @QueryParam("evidence") String evidence, InputStream csv) {
        try {
            CampaignApi.Report report = audiences.importContacts("true".equals(consented), Pages.blankToNull(evidence), csv);
            return Response.ok(Templates.importer$report(report, WizardPage.rejectedCsv(report))).build();
        } catch (UpstreamException e) {
            return Response.status(e.status() < 500 ? e.status() : 502).type(MediaType.TEXT_HTML_TYPE)
                    .entity(WizardPage.Templates.refused(Banner.of(e), e)).build();
        } catch (ProcessingException e) {
            return Response.status(502).type(MediaType.TEXT_HTML_TYPE)
                    .entity(WizardPage.Templates.refused(Banner.unreachable("The campaign service"), null)).build();
        }
    }
}
