package io.wacast.console.rest;

import java.net.URI;
import java.util.List;

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
import io.wacast.console.client.CampaignApi;
import io.wacast.console.client.CampaignApi.OptOut;
import io.wacast.console.client.Page;
import io.wacast.console.client.UpstreamException;
import io.wacast.console.view.Banner;
import io.wacast.console.view.Notices;

/**
 * The suppression list: numbers no campaign messages. Operators add a number or take one off; the
 * number travels as a form field, never in a URL.
 */
@Path("/opt-outs")
@Produces(MediaType.TEXT_HTML)
public class OptOutsPage {

    static final int PAGE_SIZE = 50;

    /** The add form as typed, and the upstream's complaint about each field. */
    public record OptOutForm(String phoneNumber, String reason, String phoneError, String reasonError) {

        static OptOutForm empty() {
            return new OptOutForm("", "", null, null);
        }
    }

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance list(String nav, Page<OptOut> page, OptOutForm form, String notice,
                Banner problem);
    }

    @RestClient
    CampaignApi campaigns;

    @GET
    public Response list(@QueryParam("page") @DefaultValue("0") int page, @QueryParam("notice") String notice) {
        return render(200, Math.max(0, page), OptOutForm.empty(), Notices.text(notice), null);
    }

    @POST
    public Response add(@FormParam("phoneNumber") String phoneNumber, @FormParam("reason") String reason) {
        String phone = phoneNumber == null ? "" : phoneNumber.strip();
        String why = reason == null || reason.isBlank() ? null : reason.strip();
        try {
            campaigns.addOptOut(new CampaignApi.OptOutRequest(phone, why));
            return Response.seeOther(URI.create("/opt-outs?notice=opt-out-added")).build();
        } catch (UpstreamException e) {
            OptOutForm form = new OptOutForm(phone, why == null ? "" : why, e.errorFor("phoneNumber"), e.errorFor("reason"));
            return render(Pages.statusFor(e), 0, form, null, Banner.of(e));
        } catch (ProcessingException e) {
            return render(502, 0, new OptOutForm(phone, why == null ? "" : why, null, null), null,
                    Banner.unreachable("The campaign service"));
        }
    }

    @POST
    @Path("remove")
    public Response remove(@FormParam("phoneNumber") String phoneNumber, @FormParam("page") @DefaultValue("0") int page) {
        int back = Math.max(0, page);
        try {
            campaigns.removeOptOut(phoneNumber == null ? "" : phoneNumber.strip());
            return Response.seeOther(URI.create("/opt-outs?page=" + back + "&notice=opt-out-removed")).build();
        } catch (UpstreamException | ProcessingException e) {
            return render(Pages.statusFor(e), back, OptOutForm.empty(), null, Banner.of(e, "The campaign service"));
        }
    }

    private Response render(int status, int page, OptOutForm form, String notice, Banner problem) {
        Page<OptOut> found = new Page<>(List.of(), page, PAGE_SIZE, 0);
        try {
            found = campaigns.optOuts(page, PAGE_SIZE);
        } catch (UpstreamException | ProcessingException e) {
            problem = problem != null ? problem : Banner.of(e, "The campaign service");
            status = status == 200 ? Pages.statusFor(e) : status;
        }
        return Response.status(status).type(MediaType.TEXT_HTML_TYPE)
                .entity(Templates.list("opt-outs", found, form, notice, problem)).build();
    }

}
