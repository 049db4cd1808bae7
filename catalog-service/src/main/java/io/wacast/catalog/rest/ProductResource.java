package io.wacast.catalog.rest;

import io.wacast.catalog.domain.Availability;
import io.wacast.catalog.rest.Views.ProductView;
import io.wacast.catalog.service.Drafts.ProductDraft;
import io.wacast.catalog.service.Drafts.VariantDraft;
import io.wacast.catalog.service.Page;
import io.wacast.catalog.service.ProductService;
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

/** Products with their variants and stock; search by name or retailer id within a catalog. */
@Path("/api/whatsapp/products")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class ProductResource {

    @Inject
    ProductService products;

    @POST
    public Response create(@Valid @NotNull ProductDraft draft) {
        return Response.status(201).entity(ProductView.of(products.create(draft))).build();
    }

    @GET
    public Page<ProductView> search(@RestQuery Long catalogId, @RestQuery String q, @RestQuery String availability,
            @RestQuery @Min(0) Integer page, @RestQuery @Min(1) Integer size) {
        Availability wanted = availability == null || availability.isBlank() ? null : QueryEnums.parse(Availability.class,
                "availability", availability);
        return products.search(catalogId, q, wanted, page, size).map(ProductView::of);
    }

    @GET
    @Path("{id}")
    public ProductView get(@RestPath long id) {
        return ProductView.of(products.get(id));
    }

    @PUT
    @Path("{id}")
    public ProductView update(@RestPath long id, @Valid @NotNull ProductDraft draft) {
        return ProductView.of(products.update(id, draft));
    }

    @DELETE
    @Path("{id}")
    public Response delete(@RestPath long id) {
        products.delete(id);
        return Response.noContent().build();
    }

    @POST
    @Path("{id}/variants")
    public Response addVariant(@RestPath long id, @Valid @NotNull VariantDraft draft) {
        return Response.status(201).entity(ProductView.of(products.addVariant(id, draft))).build();
    }

    @PUT
    @Path("{id}/variants/{variantId}")
    public ProductView updateVariant(@RestPath long id, @RestPath long variantId, @Valid @NotNull VariantDraft draft) {
        return ProductView.of(products.updateVariant(id, variantId, draft));
    }

    @DELETE
    @Path("{id}/variants/{variantId}")
    public Response deleteVariant(@RestPath long id, @RestPath long variantId) {
        products.deleteVariant(id, variantId);
        return Response.noContent().build();
    }
}
