package io.wacast.console.rest;

import java.util.List;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.rest.client.inject.RestClient;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.wacast.console.client.CampaignApi;
import io.wacast.console.client.UpstreamException;
import io.wacast.console.view.Banner;

/**
 * The business numbers campaigns send from and the portfolios they belong to, as configured and as
 * Meta's webhooks last described them: each number's cap, whether Meta flagged it or raised its
 * throughput, its messaging-limit tier; each portfolio's limit, restrictions and ban state. What an
 * operator checks first when a campaign paused itself or sends slower than expected.
 */
@Path("/numbers")
@Produces(MediaType.TEXT_HTML)
public class NumbersPage {

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance list(String nav, CampaignApi.Numbers numbers, Banner problem);
    }

    @RestClient
    CampaignApi campaigns;

    @GET
    public Response list() {
        try {
            return Pages.html(200, Templates.list("numbers", campaigns.numbers(), null));
        } catch (UpstreamException | ProcessingException e) {
            return Pages.html(Pages.statusFor(e), Templates.list("numbers", new CampaignApi.Numbers(List.of(), List.of()),
                    Banner.of(e, "The campaign service")));
        }
    }
}
