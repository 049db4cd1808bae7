package io.wacast.campaign.rest;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import com.fasterxml.jackson.annotation.JsonInclude;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.wacast.campaign.domain.ApiKey;
import io.wacast.campaign.domain.ApiRole;
import io.wacast.campaign.service.ApiKeyService;
import io.wacast.common.text.SingleLine;

/**
 * Admin-only management of the operator API keys of every service (docs/DESIGN.md D21); a new key's
 * plaintext is returned once.
 */
@Path("/api/" + ApiKeyAuthentication.API_KEYS_PATH)
@AdminOnly
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "API keys")
public class ApiKeyResource {

    /** @param expiresAt when the key stops working; none means until revoked */
    public record CreateApiKey(@NotBlank @Size(max = 100) @SingleLine String name, @NotNull ApiRole role,
            Instant expiresAt) {
    }

    /**
     * @param graceHours how long the old key keeps working beside the new one (default
     *        {@code wacast.api.rotation-grace}; 0 ends it at once)
     * @param expiresAt the new key's expiry; none means until revoked
     */
    public record RotateApiKey(@Min(0) @Max(720) Integer graceHours, Instant expiresAt) {
    }

    /**
     * @param state {@code active}, {@code expired} or {@code revoked}
     * @param rotatedFrom the key this one replaced
     * @param key present only in the answer to a creation or rotation
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ApiKeyView(long id, String name, ApiRole role, String state, Instant createdAt, String createdBy,
            Instant expiresAt, Instant revokedAt, String revokedBy, Long rotatedFrom, String key) {

        static ApiKeyView of(ApiKey apiKey, String key) {
            return new ApiKeyView(apiKey.id, apiKey.name, apiKey.role, apiKey.stateAt(Instant.now()), apiKey.createdAt,
                    apiKey.createdBy, apiKey.expiresAt, apiKey.revokedAt, apiKey.revokedBy, apiKey.rotatedFrom, key);
        }
    }

    private final ApiKeyService apiKeys;
    private final CurrentCaller caller;

    ApiKeyResource(ApiKeyService apiKeys, CurrentCaller caller) {
        this.apiKeys = apiKeys;
        this.caller = caller;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Issue a key; the answer is the only time its plaintext is shown")
    public Response create(@Valid @NotNull CreateApiKey request) {
        ApiKeyService.IssuedKey issued = apiKeys.issue(request.name().strip(), request.role(), request.expiresAt(),
                caller.get().name());
        return created(issued);
    }

    @GET
    @Operation(summary = "List keys (never their plaintext)")
    public List<ApiKeyView> list() {
        return apiKeys.list().stream().map(apiKey -> ApiKeyView.of(apiKey, null)).toList();
    }

    @POST
    @Path("/{id}/rotate")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Issue a replacement key (same name and role); the old one works on for the grace period")
    public Response rotate(@PathParam("id") long id, @Valid RotateApiKey request) {
        Integer graceHours = request == null ? null : request.graceHours();
        ApiKeyService.IssuedKey issued = apiKeys.rotate(id, graceHours == null ? null : Duration.ofHours(graceHours),
                request == null ? null : request.expiresAt(), caller.get().name());
        return created(issued);
    }

    @DELETE
    @Path("/{id}")
    @Operation(summary = "Revoke a key; requests with it get 401 from then on, on every service")
    public Response revoke(@PathParam("id") long id) {
        apiKeys.revoke(id, caller.get().name());
        return Response.noContent().build();
    }

    private static Response created(ApiKeyService.IssuedKey issued) {
        return Response.created(URI.create("/api/" + ApiKeyAuthentication.API_KEYS_PATH + "/" + issued.apiKey().id))
                .entity(ApiKeyView.of(issued.apiKey(), issued.key()))
                .build();
    }
}
