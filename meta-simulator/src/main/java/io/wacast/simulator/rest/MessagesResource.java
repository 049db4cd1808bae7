package io.wacast.simulator.rest;

import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;
import io.wacast.simulator.service.GraphEndpoint;
import io.wacast.simulator.service.GraphError;
import io.wacast.simulator.service.MessageService;
import io.wacast.simulator.service.SendAnswer;
import io.wacast.simulator.trace.CallTrace;
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
    private final CallTrace trace;

    public MessagesResource(MessageService messages, CallTrace trace) {
        this.messages = messages;
        this.trace = trace;
    }

    @POST
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Send a message", description = "Validates like Meta and answers accepted or Meta's error")
    public Uni<Response> send(@PathParam("version") String version, @PathParam("phoneNumberId") String phoneNumberId,
            @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, RoutingContext context, byte[] body) {
        return answer(send(messages, trace, GraphEndpoint.MESSAGES, phoneNumberId, authorization, context, body));
    }

    /** The call to {@code endpoint}, traced when the simulator keeps a call trace. */
    static SendAnswer send(MessageService messages, CallTrace trace, GraphEndpoint endpoint, String phoneNumberId,
            String authorization, RoutingContext context, byte[] body) {
        if (!trace.enabled()) {
            return messages.send(endpoint, phoneNumberId, authorization, body);
        }
        long handled = CallTrace.nowUs();
        SendAnswer answer = messages.send(endpoint, phoneNumberId, authorization, body);
        boolean refusedAtCap = answer instanceof SendAnswer.Rejected rejected
                && rejected.error().code() == GraphError.throughputExceeded().code();
        trace.record(context, phoneNumberId, handled, !refusedAtCap);
        return answer;
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
