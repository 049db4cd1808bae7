package io.wacast.catalog.rest;

import io.wacast.catalog.rest.Views.ApiKeyView;
import io.wacast.catalog.rest.Views.IssuedApiKeyView;
import io.wacast.catalog.service.ApiKeyService;
import io.wacast.catalog.service.Drafts.ApiKeyDraft;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import org.jboss.resteasy.reactive.RestPath;

/** Admins issue, list and revoke the API keys of operators and viewers. */
@Path("/api/whatsapp/api-keys")
@AdminOnly
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class ApiKeyResource {

    @Inject
    ApiKeyService keys;

    @POST
    public Response create(@Valid @NotNull ApiKeyDraft draft) {
        return Response.status(201).entity(IssuedApiKeyView.of(keys.create(draft))).build();
    }

    @GET
    public List<ApiKeyView> list() {
        return keys.list().stream().map(ApiKeyView::of).toList();
    }

    @DELETE
    @Path("{id}")
    public ApiKeyView revoke(@RestPath long id) {
        return ApiKeyView.of(keys.revoke(id));
    }
}
