package io.wacast.simulator.rest;

import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;
import io.wacast.simulator.service.GraphEndpoint;
import io.wacast.simulator.service.MessageService;
import io.wacast.simulator.trace.CallTrace;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Meta's Marketing Messages API for WhatsApp: the same payload and answers as {@code /messages}, for
 * marketing templates only, once the business portfolio accepted its terms ({@code /sim/config}
 * {@code marketingMessages.termsAccepted}).
 */
@Path("/{version: v\\d+\\.\\d+}/{phoneNumberId}/marketing_messages")
@Tag(name = "Graph API")
public class MarketingMessagesResource {

    private final MessageService messages;
    private final CallTrace trace;

    public MarketingMessagesResource(MessageService messages, CallTrace trace) {
        this.messages = messages;
        this.trace = trace;
    }

    @POST
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Send a marketing template message",
            description = "Answers like /messages, plus 200 (terms not accepted), 131055 (not a marketing template)"
                    + " and 100 (not a template)")
    public Uni<Response> send(@PathParam("version") String version, @PathParam("phoneNumberId") String phoneNumberId,
            @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, RoutingContext context, byte[] body) {
        return MessagesResource.answer(MessagesResource.send(messages, trace, GraphEndpoint.MARKETING_MESSAGES,
                phoneNumberId, authorization, context, body));
    }
}
