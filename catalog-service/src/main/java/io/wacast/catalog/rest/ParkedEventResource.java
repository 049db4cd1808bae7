package io.wacast.catalog.rest;

import io.wacast.catalog.rest.Views.ParkedEventView;
import io.wacast.catalog.service.Page;
import io.wacast.catalog.service.ParkedEvents;
import jakarta.inject.Inject;
import jakarta.validation.constraints.Min;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;

/** Order events the consumer parked after its retries, newest first; an admin replays one after fixing its cause. */
@Path("/api/whatsapp/parked-events")
@AdminOnly
@Produces(MediaType.APPLICATION_JSON)
public class ParkedEventResource {

    @Inject
    ParkedEvents parked;

    @GET
    public Page<ParkedEventView> list(@RestQuery @Min(0) Integer page, @RestQuery @Min(1) Integer size) {
        return parked.list(page, size).map(ParkedEventView::of);
    }

    @POST
    @Path("{id}/replay")
    public ParkedEventView replay(@RestPath long id) {
        return ParkedEventView.of(parked.replay(id));
    }
}
