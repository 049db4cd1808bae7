package io.wacast.catalog.rest;

import io.wacast.catalog.domain.OrderStatus;
import io.wacast.catalog.rest.Views.OrderView;
import io.wacast.catalog.service.Drafts.OrderDraft;
import io.wacast.catalog.service.Drafts.StatusChange;
import io.wacast.catalog.service.OrderService;
import io.wacast.catalog.service.Page;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;

/** Orders from WhatsApp, carts and operators; {@code POST /{id}/status} moves one along its state machine. */
@Path("/api/whatsapp/orders")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class OrderResource {

    @Inject
    OrderService orders;

    @POST
    public Response place(@Valid @NotNull OrderDraft draft) {
        return Response.status(201).entity(OrderView.of(orders.place(draft))).build();
    }

    @GET
    public Page<OrderView> list(@RestQuery String customerPhone, @RestQuery String customerUserId, @RestQuery String status, @RestQuery Long campaignId,
            @RestQuery Boolean flagged, @RestQuery @Min(0) Integer page, @RestQuery @Min(1) Integer size) {
        OrderStatus wanted = status == null || status.isBlank() ? null : QueryEnums.parse(OrderStatus.class, "status", status);
        return orders.list(customerPhone, customerUserId, wanted, campaignId, flagged, page, size).map(OrderView::of);
    }

    @GET
    @Path("{id}")
    public OrderView get(@RestPath long id) {
        return OrderView.of(orders.get(id));
    }

    @POST
    @Path("{id}/status")
    public OrderView changeStatus(@RestPath long id, @Valid @NotNull StatusChange change) {
        return OrderView.of(orders.changeStatus(id, change.status()));
    }
}
