package io.wacast.console.client;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;
import org.jboss.resteasy.reactive.client.SseEvent;

import io.quarkus.rest.client.reactive.ClientExceptionMapper;
import io.smallrye.mutiny.Multi;

/**
 * The campaign-service's live stats stream. Its own client (config key {@code campaign-stream}) because
 * a stream stays open as long as a campaign page does: no read timeout. The key is passed explicitly:
 * the stream is read after the page request that opened it has ended.
 */
@RegisterRestClient(configKey = "campaign-stream")
@Path("/api/whatsapp")
public interface CampaignStream {

    @GET
    @Path("/campaigns/{id}/stats/stream")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    Multi<SseEvent<String>> stats(@PathParam("id") long id, @HeaderParam("Authorization") String bearer);

    @ClientExceptionMapper
    static RuntimeException toException(Response response) {
        return response.getStatus() >= 400 ? Upstreams.problem(response) : null;
    }
}
