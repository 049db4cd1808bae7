package io.wacast.console.rest;

import java.net.URI;
import java.util.List;

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

import org.eclipse.microprofile.rest.client.inject.RestClient;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.wacast.console.client.AudienceApi;
import io.wacast.console.client.AudienceApi.Audience;
import io.wacast.console.client.Page;
import io.wacast.console.client.UpstreamException;
import io.wacast.console.view.AudienceForm;
import io.wacast.console.view.Banner;
import io.wacast.console.view.Notices;

/**
 * Audiences: the saved filters over the contact book. The editor shows how many contacts the filter
 * matches as it is typed (the API's count of an unsaved filter).
 */
@Path("/audiences")
@Produces(MediaType.TEXT_HTML)
public class AudiencesPage {

    static final int PAGE_SIZE = 50;

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance list(String nav, Page<Audience> page, long id, Long contacts, String notice, Banner problem);

        static native TemplateInstance list$count(long id, Long contacts);

        static native TemplateInstance list$chosen(Long id, Long contacts);

        static native TemplateInstance editor(String nav, Long id, AudienceForm form, UpstreamException errors, Long contacts,
                String notice, Banner problem);

        static native TemplateInstance editor$live(Long contacts, UpstreamException errors);
    }

    @RestClient
    AudienceApi audiences;

    @GET
    public Response list(@QueryParam("page") @DefaultValue("0") int page, @QueryParam("notice") String notice) {
        Page<Audience> found = new Page<>(List.of(), Math.max(0, page), PAGE_SIZE, 0);
        try {
            found = audiences.audiences(Math.max(0, page), PAGE_SIZE);
            return Pages.html(200, Templates.list("audiences", found, 0, null, Notices.text(notice), null));
        } catch (UpstreamException | ProcessingException e) {
            return Pages.html(Pages.statusFor(e), Templates.list("audiences", found, 0, null, null, Banner.of(e, "The campaign service")));
        }
    }

    /** One audience's count, loaded into its row after the page (a count can take a moment on a large book). */
    @GET
    @Path("{id: \\d+}/count")
    public Response count(@PathParam("id") long id) {
        try {
            return Pages.html(200, Templates.list$count(id, audiences.count(id).contacts()));
        } catch (UpstreamException | ProcessingException e) {
            return Pages.html(200, Templates.list$count(id, null));
        }
    }

    /**
     * The count of the audience a form's picker has chosen ({@code audienceId}), said as a sentence
     * under the picker (htmx, on load and on every change); nothing chosen, nothing said.
     */
    @GET
    @Path("count")
    public Response chosen(@QueryParam("audienceId") String audienceId) {
        if (audienceId == null || !audienceId.strip().matches("\\d{1,18}")) {
            return Pages.html(200, Templates.list$chosen(null, null));
        }
        long id = Long.parseLong(audienceId.strip());
        try {
            return Pages.html(200, Templates.list$chosen(id, audiences.count(id).contacts()));
        } catch (UpstreamException | ProcessingException e) {
            return Pages.html(200, Templates.list$chosen(id, -1L));
        }
    }

    @GET
    @Path("new")
    public Response create() {
        return Pages.html(200, Templates.editor("audiences", null, AudienceForm.empty(), null, null, null, null));
    }

    @GET
    @Path("{id: \\d+}")
    public Response edit(@PathParam("id") long id, @QueryParam("notice") String notice) {
        try {
            Audience audience = audiences.audience(id);
            return Pages.html(200, Templates.editor("audiences", id, AudienceForm.of(audience.name(), audience.description(),
                    audience.filter()), null, null, Notices.text(notice), null));
        } catch (UpstreamException | ProcessingException e) {
            return Pages.html(Pages.statusFor(e), Templates.editor("audiences", id, AudienceForm.empty(), null, null, null,
                    Banner.of(e, "The campaign service")));
        }
    }

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response save(MultivaluedMap<String, String> fields) {
        return save(null, fields);
    }

    @POST
    @Path("{id: \\d+}")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response update(@PathParam("id") long id, MultivaluedMap<String, String> fields) {
        return save(id, fields);
    }

    /** The live count of the editor's filter as typed (htmx, on every change). */
    @POST
    @Path("preview")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response preview(MultivaluedMap<String, String> fields) {
        try {
            long contacts = audiences.preview(new AudienceApi.FilterRequest(AudienceForm.of(fields).toFilter())).contacts();
            return Pages.html(200, Templates.editor$live(contacts, null));
        } catch (UpstreamException e) {
            return Pages.html(200, Templates.editor$live(null, e));
        } catch (ProcessingException e) {
            return Pages.html(200, Templates.editor$live(null, null));
        }
    }

    private Response save(Long id, MultivaluedMap<String, String> fields) {
        AudienceForm form = AudienceForm.of(fields);
        AudienceApi.AudienceRequest request = new AudienceApi.AudienceRequest(form.name(),
                Pages.blankToNull(form.description()), form.toFilter());
        try {
            Audience saved = id == null ? audiences.createAudience(request) : audiences.updateAudience(id, request);
            return Response.seeOther(URI.create("/audiences/" + saved.id() + "?notice=audience-saved")).build();
        } catch (UpstreamException e) {
            return Pages.html(Pages.statusFor(e), Templates.editor("audiences", id, form, e, null, null, Banner.of(e)));
        } catch (ProcessingException e) {
            return Pages.html(502, Templates.editor("audiences", id, form, null, null, null, Banner.unreachable("The campaign service")));
        }
    }
}
