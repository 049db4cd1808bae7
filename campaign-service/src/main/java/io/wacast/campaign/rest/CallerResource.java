package io.wacast.campaign.rest;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.wacast.campaign.service.ApiKeyService.Caller;

/**
 * Who the presented API key belongs to, so a console can greet the operator and offer only what the
 * key's role may do. Any role may ask; it is not under {@code api-keys}, which only admins may read.
 */
@Path("/api/whatsapp/me")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "API keys")
public class CallerResource {

    private final CurrentCaller caller;

    CallerResource(CurrentCaller caller) {
        this.caller = caller;
    }

    @GET
    @Operation(summary = "The name and role of the API key of this request")
    public Caller me() {
        return caller.get();
    }
}
