package io.wacast.campaign.rest;

import java.time.Instant;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.wacast.campaign.repository.ParkedEventRepository.ParkedEvent;
import io.wacast.campaign.service.ParkedEvents;

/**
 * Outcomes and webhook events the applier parked (docs/DESIGN.md §7), newest first; admins only, as
 * a payload may name a user. An admin replays one once its cause is fixed.
 */
@Path("/api/whatsapp/parked-events")
@AdminOnly
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Parked events")
public class ParkedEventResource {

    public record ParkedEventView(long id, String topic, int partition, long offset, String eventType, String payload,
            String reason, Instant parkedAt, Instant replayedAt, String replayedBy) {

        static ParkedEventView of(ParkedEvent e) {
            return new ParkedEventView(e.id(), e.origin().topic(), e.origin().partition(), e.origin().offset(),
                    e.origin().eventType(), e.payload(), e.reason(), e.parkedAt(), e.replayedAt(), e.replayedBy());
        }
    }

    private final ParkedEvents parked;
    private final CurrentCaller caller;

    ParkedEventResource(ParkedEvents parked, CurrentCaller caller) {
        this.parked = parked;
        this.caller = caller;
    }

    @GET
    @Operation(summary = "List parked events, newest first")
    public PageView<ParkedEventView> list(@QueryParam("page") @DefaultValue("0") @Min(0) int page,
            @QueryParam("size") @DefaultValue("50") @Min(1) @Max(1000) int size) {
        QueryParams.checkPage(page, size);
        ParkedEvents.ParkedPage found = parked.list(page, size);
        return new PageView<>(found.items().stream().map(ParkedEventView::of).toList(), found.page(), found.size(),
                found.total());
    }

    @POST
    @Path("/{id}/replay")
    @Operation(summary = "Apply a parked event again (409 if replayed before, 422 with the reason if it still fails)")
    public ParkedEventView replay(@PathParam("id") long id) {
        return ParkedEventView.of(parked.replay(id, caller.get().name()));
    }
}
