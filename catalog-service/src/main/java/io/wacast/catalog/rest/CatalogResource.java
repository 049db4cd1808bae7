package io.wacast.catalog.rest;

import io.wacast.catalog.rest.Views.CatalogView;
import io.wacast.catalog.service.CatalogService;
import io.wacast.catalog.service.Drafts.CatalogDraft;
import io.wacast.catalog.service.Page;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;

/** Catalog CRUD and search. */
@Path("/api/whatsapp/catalogs")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class CatalogResource {

    @Inject
    CatalogService catalogs;

    @POST
    public Response create(@Valid @NotNull CatalogDraft draft) {
        return Response.status(201).entity(CatalogView.of(catalogs.create(draft))).build();
    }

    @GET
    public Page<CatalogView> list(@RestQuery String q, @RestQuery @Min(0) Integer page, @RestQuery @Min(1) Integer size) {
        return catalogs.list(q, page, size).map(CatalogView::of);
    }

    @GET
    @Path("{id}")
    public CatalogView get(@RestPath long id) {
        return CatalogView.of(catalogs.get(id));
    }

    @PUT
    @Path("{id}")
    public CatalogView update(@RestPath long id, @Valid @NotNull CatalogDraft draft) {
        return CatalogView.of(catalogs.update(id, draft));
    }

    @DELETE
    @Path("{id}")
    public Response delete(@RestPath long id) {
        catalogs.delete(id);
        return Response.noContent().build();
    }
}
