package io.wacast.catalog.rest;

import io.wacast.catalog.rest.Views.CartView;
import io.wacast.catalog.rest.Views.OrderView;
import io.wacast.catalog.service.CartService;
import io.wacast.catalog.service.Drafts.CartDraft;
import io.wacast.catalog.service.Drafts.OrderLine;
import io.wacast.catalog.service.Drafts.QuantityChange;
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

/** Carts per customer phone; {@code POST /{id}/checkout} turns a cart into an order. */
@Path("/api/whatsapp/carts")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class CartResource {

    @Inject
    CartService carts;

    @POST
    public Response create(@Valid @NotNull CartDraft draft) {
        return Response.status(201).entity(CartView.of(carts.create(draft))).build();
    }

    @GET
    public Page<CartView> list(@RestQuery String customerPhone, @RestQuery @Min(0) Integer page,
            @RestQuery @Min(1) Integer size) {
        return carts.list(customerPhone, page, size).map(CartView::of);
    }

    @GET
    @Path("{id}")
    public CartView get(@RestPath long id) {
        return CartView.of(carts.get(id));
    }

    @POST
    @Path("{id}/items")
    public CartView addItem(@RestPath long id, @Valid @NotNull OrderLine line) {
        return CartView.of(carts.addItem(id, line));
    }

    @PUT
    @Path("{id}/items/{itemId}")
    public CartView changeQuantity(@RestPath long id, @RestPath long itemId, @Valid @NotNull QuantityChange change) {
        return CartView.of(carts.changeQuantity(id, itemId, change.quantity()));
    }

    @DELETE
    @Path("{id}/items/{itemId}")
    public CartView removeItem(@RestPath long id, @RestPath long itemId) {
        return CartView.of(carts.removeItem(id, itemId));
    }

    @POST
    @Path("{id}/checkout")
    public Response checkout(@RestPath long id) {
        return Response.status(201).entity(OrderView.of(carts.checkout(id))).build();
    }
}
