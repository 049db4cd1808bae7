package io.wacast.console.rest;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.CacheControl;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.rest.client.inject.RestClient;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.wacast.console.client.CampaignApi;
import io.wacast.console.client.CampaignApi.ApiKey;
import io.wacast.console.client.UpstreamException;
import io.wacast.console.session.CurrentOperator;
import io.wacast.console.view.Banner;
import io.wacast.console.view.Notices;

/**
 * Admins issue, rotate and revoke the API keys of every wacast service (campaign-service keeps them). A new key's secret is rendered once, straight
 * from the answer to the POST (never redirected to, never in a URL, never logged, never cached).
 */
@Path("/api-keys")
@Produces(MediaType.TEXT_HTML)
public class ApiKeysPage {

    static final List<String> ROLES = List.of("operator", "viewer", "admin");

    /** Lifetimes offered for a new or rotated key, in days; 0 is "never expires". */
    static final List<Integer> LIFETIMES = List.of(0, 30, 90, 365);

    /** The create form as typed, and the upstream's complaint about each field. */
    public record KeyForm(String name, String role, int lifetimeDays, String nameError, String roleError,
            String lifetimeError) {

        static KeyForm empty() {
            return new KeyForm("", "operator", 0, null, null, null);
        }
    }

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance list(String nav, List<ApiKey> keys, List<String> roles, List<Integer> lifetimes,
                KeyForm form, ApiKey issued, String notice, Banner problem);

        static native TemplateInstance forbidden(String nav, Banner problem);
    }

    @RestClient
    CampaignApi campaigns;

    private final CurrentOperator operator;

    ApiKeysPage(CurrentOperator operator) {
        this.operator = operator;
    }

    @GET
    public Response list(@QueryParam("notice") String notice) {
        if (!operator.getIsAdmin()) {
            return forbidden(null);
        }
        return render(200, KeyForm.empty(), null, Notices.text(notice), null);
    }

    @POST
    public Response create(@FormParam("name") String name, @FormParam("role") String role,
            @FormParam("lifetimeDays") String lifetimeDays) {
        String keyName = name == null ? "" : name.strip();
        String keyRole = role == null || role.isBlank() ? null : role.strip();
        int days = lifetime(lifetimeDays);
        try {
            ApiKey issued = campaigns.createApiKey(new CampaignApi.ApiKeyRequest(keyName, keyRole, expiry(days)));
            return render(201, KeyForm.empty(), issued, null, null);
        } catch (UpstreamException e) {
            if (e.status() == 403) {
                return forbidden(Banner.of(e));
            }
            KeyForm form = new KeyForm(keyName, keyRole == null ? "" : keyRole, days, e.errorFor("name"),
                    e.errorFor("role"), e.errorFor("expiresAt"));
            return render(Pages.statusFor(e), form, null, null, Banner.of(e));
        } catch (ProcessingException e) {
            return render(502, new KeyForm(keyName, keyRole == null ? "" : keyRole, days, null, null, null), null, null,
                    Banner.unreachable("The campaign service"));
        }
    }

    /**
     * Issues a replacement with the same name and role; the old key keeps working for 24 hours so
     * whatever uses it can move over. The new key's secret is shown once, like a new key's.
     */
    @POST
    @Path("{id}/rotate")
    public Response rotate(@PathParam("id") long id, @FormParam("lifetimeDays") String lifetimeDays) {
        try {
            ApiKey issued = campaigns.rotateApiKey(id, new CampaignApi.RotateRequest(ROTATION_GRACE_HOURS,
                    expiry(lifetime(lifetimeDays))));
            return render(201, KeyForm.empty(), issued, null, null);
        } catch (UpstreamException e) {
            return e.status() == 403 ? forbidden(Banner.of(e)) : render(Pages.statusFor(e), KeyForm.empty(), null, null, Banner.of(e));
        } catch (ProcessingException e) {
            return render(502, KeyForm.empty(), null, null, Banner.unreachable("The campaign service"));
        }
    }

    static final int ROTATION_GRACE_HOURS = 24;

    private static int lifetime(String days) {
        try {
            int value = days == null || days.isBlank() ? 0 : Integer.parseInt(days.strip());
            return LIFETIMES.contains(value) ? value : 0;
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static Instant expiry(int days) {
        return days == 0 ? null : Instant.now().plus(Duration.ofDays(days));
    }

    @POST
    @Path("{id}/revoke")
    public Response revoke(@PathParam("id") long id) {
        try {
            campaigns.revokeApiKey(id);
            return Response.seeOther(URI.create("/api-keys?notice=key-revoked")).build();
        } catch (UpstreamException e) {
            return e.status() == 403 ? forbidden(Banner.of(e)) : render(Pages.statusFor(e), KeyForm.empty(), null, null, Banner.of(e));
        } catch (ProcessingException e) {
            return render(502, KeyForm.empty(), null, null, Banner.unreachable("The campaign service"));
        }
    }

    private Response render(int status, KeyForm form, ApiKey issued, String notice, Banner problem) {
        List<ApiKey> keys = List.of();
        try {
            keys = campaigns.apiKeys();
        } catch (UpstreamException | ProcessingException e) {
            problem = problem != null ? problem : Banner.of(e, "The campaign service");
            status = status == 200 ? Pages.statusFor(e) : status;
        }
        CacheControl noStore = new CacheControl();
        noStore.setNoStore(true);
        return Response.status(status).type(MediaType.TEXT_HTML_TYPE).cacheControl(noStore)
                .entity(Templates.list("api-keys", keys, ROLES, LIFETIMES, form, issued, notice, problem)).build();
    }

    private static Response forbidden(Banner problem) {
        return Response.status(403).type(MediaType.TEXT_HTML_TYPE).entity(Templates.forbidden("api-keys", problem)).build();
    }

}
