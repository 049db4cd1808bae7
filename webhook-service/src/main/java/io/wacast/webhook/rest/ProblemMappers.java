package io.wacast.webhook.rest;

import io.wacast.common.problem.Problem;
import io.wacast.webhook.service.EventsUnavailableException;
import io.wacast.webhook.service.InvalidSignatureException;
import io.wacast.webhook.service.MalformedWebhookException;
import io.wacast.webhook.service.WebhookTooLargeException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.List;
import java.util.Locale;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * Every error of this service as {@code application/problem+json}. There is deliberately no mapper
 * for {@code Exception}: anything unexpected stays a bare 500 without class names or stack traces.
 */
public class ProblemMappers {

    /** Seconds Meta (or anyone else) should wait before delivering again after a 503. */
    private static final String RETRY_AFTER_SECONDS = "5";

    @ServerExceptionMapper
    public Response invalidSignature(InvalidSignatureException e, UriInfo uri) {
        return problem(Problem.of("invalid-signature", "Invalid signature", 401, e.getMessage(), path(uri),
                List.of(Problem.FieldError.of(WhatsAppWebhookResource.SIGNATURE_HEADER, e.getMessage()))));
    }

    @ServerExceptionMapper
    public Response malformed(MalformedWebhookException e, UriInfo uri) {
        return problem(Problem.of("malformed-json", "Malformed JSON", 400, e.getMessage(), path(uri),
                List.of(Problem.FieldError.of("body", e.getMessage()))));
    }

    @ServerExceptionMapper
    public Response tooLarge(WebhookTooLargeException e, UriInfo uri) {
        return problem(Problem.of("payload-too-large", "Payload too large", 413, e.getMessage(), path(uri),
                List.of(Problem.FieldError.of("body", "at most " + e.limitBytes() + " bytes"))));
    }

    @ServerExceptionMapper
    public Response unavailable(EventsUnavailableException e, UriInfo uri) {
        Response response = problem(Problem.of("events-unavailable", "Events cannot be stored right now", 503,
                "Kafka did not acknowledge the events of this delivery; deliver it again later", path(uri), null));
        return Response.fromResponse(response).header(HttpHeaders.RETRY_AFTER, RETRY_AFTER_SECONDS).build();
    }

    /** 403 of the handshake, 404, 405, 406, 415 and the other statuses JAX-RS raises itself. */
    @ServerExceptionMapper
    public Response http(WebApplicationException e, UriInfo uri) {
        int status = e.getResponse().getStatus();
        String reason = e.getResponse().getStatusInfo().getReasonPhrase();
        String title = reason == null || reason.isBlank() ? "HTTP " + status : reason;
        String slug = title.toLowerCase(Locale.ROOT).replace(' ', '-');
        return problem(Problem.of(slug, title, status, e.getMessage(), path(uri), null));
    }

    private static Response problem(Problem problem) {
        return Response.status(problem.status()).type(Problem.MEDIA_TYPE).entity(problem).build();
    }

    private static String path(UriInfo uri) {
        return uri == null ? null : uri.getPath();
    }
}
