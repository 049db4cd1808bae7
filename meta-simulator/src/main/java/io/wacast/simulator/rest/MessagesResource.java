package io.wacast.simulator.rest;

import io.smallrye.mutiny.Uni;
import io.wacast.simulator.service.GraphEndpoint;
import io.wacast.simulator.service.MessageService;
import io.wacast.simulator.service.SendAnswer;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Duration;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Meta's send endpoint. The simulated latency is a timer, not a sleeping thread. */
@Path("/{version: v\\d+\\.\\d+}/{phoneNumberId}/messages")
@Tag(name = "Graph API")
public class MessagesResource {

    private final MessageService messages;

    public MessagesResource(MessageService messages) {
        this.messages = messages;
    }

    @POST
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Send a message", description = "Validates like Meta and answers accepted or Meta's error")
    public Uni<Response> send(@PathParam("version") String version, @PathParam("phoneNumberId") String phoneNumberId,
            @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, byte[] body) {
        return answer(messages.send(GraphEndpoint.MESSAGES, phoneNumberId, authorization, body));
    }

    /** The answer as Meta's HTTP response, after the simulated latency (a timer, no thread waits). */
    static Uni<Response> answer(SendAnswer answer) {
        Response response = answer instanceof SendAnswer.Accepted accepted
                ? Response.ok(accepted.response(), MediaType.APPLICATION_JSON_TYPE).build()
                : GraphErrorBody.response(((SendAnswer.Rejected) answer).error());
        Uni<Response> uni = Uni.createFrom().item(response);
        return answer.latencyMillis() <= 0 ? uni : uni.onItem().delayIt().by(Duration.ofMillis(answer.latencyMillis()));
    }
}
