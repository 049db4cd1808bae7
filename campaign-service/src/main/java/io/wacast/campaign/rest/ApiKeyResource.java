package io.wacast.campaign.rest;

import java.net.URI;
import java.time.Instant;
import java.util.List;

import jakarta.validation.Valid;
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

/** Admin-only management of operator API keys; a new key's plaintext is returned once. */
@Path("/api/" + ApiKeyAuthentication.API_KEYS_PATH)
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "API keys")
public class ApiKeyResource {

    public record CreateApiKey(@NotBlank @Size(max = 100) @SingleLine String name, @NotNull ApiRole role) {
    }

    /** @param key present only in the answer to the creation */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ApiKeyView(long id, String name, ApiRole role, Instant createdAt, Instant revokedAt, String key) {

        static ApiKeyView of(ApiKey apiKey, String key) {
            return new ApiKeyView(apiKey.id, apiKey.name, apiKey.role, apiKey.createdAt, apiKey.revokedAt, key);
        }
    }

    private final ApiKeyService apiKeys;

    ApiKeyResource(ApiKeyService apiKeys) {
        this.apiKeys = apiKeys;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Issue a key; the answer is the only time its plaintext is shown")
    public Response create(@Valid @NotNull CreateApiKey request) {
        ApiKeyService.IssuedKey issued = apiKeys.issue(request.name().strip(), request.role());
        return Response.created(URI.create("/api/" + ApiKeyAuthentication.API_KEYS_PATH + "/" + issued.apiKey().id))
                .entity(ApiKeyView.of(issued.apiKey(), issued.key()))
                .build();
    }

    @GET
    @Operation(summary = "List keys (never their plaintext)")
    public List<ApiKeyView> list() {
        return apiKeys.list().stream().map(apiKey -> ApiKeyView.of(apiKey, null)).toList();
    }

    @DELETE
    @Path("/{id}")
    @Operation(summary = "Revoke a key; requests with it get 401 from then on")
    public Response revoke(@PathParam("id") long id) {
        apiKeys.revoke(id);
        return Response.noContent().build();
    }
}
