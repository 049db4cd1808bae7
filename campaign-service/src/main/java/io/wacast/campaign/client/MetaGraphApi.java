package io.wacast.campaign.client;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/** The Graph API calls the campaign-service makes; wrapped by {@link MetaTemplates}. */
@RegisterRestClient(configKey = "meta-graph")
interface MetaGraphApi {

    /** One page of the account's templates (Meta's cursor paging); the raw body, read by the caller. */
    @GET
    @Path("/{version}/{wabaId}/message_templates")
    @Produces(MediaType.APPLICATION_JSON)
    String templates(@PathParam("version") String version, @PathParam("wabaId") String wabaId,
            @HeaderParam("Authorization") String authorization, @QueryParam("limit") int limit,
            @QueryParam("after") String after, @QueryParam("fields") String fields);
}
