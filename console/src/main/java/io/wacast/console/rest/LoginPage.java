package io.wacast.console.rest;

import java.net.URI;

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
import io.wacast.console.client.UpstreamException;
import io.wacast.console.session.CurrentOperator;
import io.wacast.console.session.SessionCookies;
import io.wacast.console.view.Banner;
import io.wacast.console.view.Notices;

/**
 * Sign in with an API key: the campaign-service says whose key it is and with which role; the key then
 * lives only in the sealed session cookie. Sign out forgets it.
 */
@Path("/")
@Produces(MediaType.TEXT_HTML)
public class LoginPage {

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance login(String nav, String error, Banner problem, String notice);
    }

    @RestClient
    CampaignApi campaigns;

    private final SessionCookies cookies;
    private final CurrentOperator operator;

    LoginPage(SessionCookies cookies, CurrentOperator operator) {
        this.cookies = cookies;
        this.operator = operator;
    }

    @GET
    public Response home() {
        return Response.seeOther(URI.create(operator.isSignedIn() ? "/campaigns" : "/login")).build();
    }

    @GET
    @Path("login")
    public Response form(@QueryParam("notice") String notice) {
        if (operator.isSignedIn()) {
            return Response.seeOther(URI.create("/campaigns")).build();
        }
        return Pages.html(200, Templates.login("", null, null, Notices.text(notice)));
    }

    @POST
    @Path("login")
    @Produces(MediaType.TEXT_HTML)
    public Response signIn(@FormParam("apiKey") String apiKey) {
        String key = apiKey == null ? "" : apiKey.trim();
        if (key.isEmpty()) {
            return Pages.html(400, Templates.login("", "Enter your API key.", null, null));
        }
        try {
            CampaignApi.Me me = campaigns.me("Bearer " + key);
            return Response.seeOther(URI.create("/campaigns")).cookie(cookies.signIn(key, me.name(), me.role())).build();
        } catch (UpstreamException e) {
            return e.status() == 401
                    ? Pages.html(401, Templates.login("", "That API key is unknown or has been revoked.", null, null))
                    : Pages.html(502, Templates.login("", null, Banner.of(e), null));
        } catch (ProcessingException e) {
            return Pages.html(503, Templates.login("", null, Banner.unreachable("The campaign service"), null));
        }
    }

    @POST
    @Path("logout")
    public Response signOut() {
        return Response.seeOther(URI.create("/login?notice=signed-out")).cookie(cookies.signOut()).build();
    }

}
