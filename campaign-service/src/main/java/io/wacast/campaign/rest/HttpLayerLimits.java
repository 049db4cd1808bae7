package io.wacast.campaign.rest;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.wacast.campaign.config.CampaignConfig;
import io.wacast.common.problem.Problem;
import io.wacast.common.problem.RequestLimits;

/**
 * Answers a request URI, headers or body above this service's limits with a problem, before Quarkus's
 * own upload limit (route order -2) would answer 413 with no body at all, and before a body is read.
 * A CSV upload (streamed) may be as large as {@code recipients.max-upload-size}; any other body is
 * read whole into memory, so it may have {@code http.max-json-body-size} at most and must announce its
 * length: a chunked JSON body is refused with 411, as it could not be bounded before it is read.
 * Vert.x's codec limits are set above these, so only a request beyond those gets its bare 414 or 431.
 */
@Singleton
public class HttpLayerLimits {

    /** Just before Quarkus's upload limit ({@code RouteConstants.ROUTE_ORDER_UPLOAD_LIMIT}, -2). */
    static final int ROUTE_ORDER = -3;

    private final RequestLimits json;
    private final RequestLimits csv;
    private final ObjectMapper mapper;

    HttpLayerLimits(CampaignConfig config, ObjectMapper mapper) {
        int uri = config.http().maxUriLength();
        long headers = config.http().maxHeaderSize().asLongValue();
        this.json = new RequestLimits(uri, headers, config.http().maxJsonBodySize().asLongValue());
        this.csv = new RequestLimits(uri, headers, config.recipients().maxUploadSize().asLongValue());
        this.mapper = mapper;
    }

    void install(@Observes Router router) {
        router.route().order(ROUTE_ORDER).handler(this::check);
    }

    private void check(RoutingContext context) {
        HttpServerRequest request = context.request();
        String contentType = request.getHeader(HttpHeaders.CONTENT_TYPE);
        boolean streamed = contentType != null && contentType.toLowerCase(Locale.ROOT).startsWith("text/csv");
        Optional<Problem> refusal = (streamed ? csv : json).refusal(request.path(), request.uri().length(),
                request.headers(), request.getHeader(HttpHeaders.CONTENT_LENGTH));
        if (refusal.isEmpty() && !streamed && request.getHeader(HttpHeaders.CONTENT_LENGTH) == null
                && request.headers().contains(HttpHeaders.TRANSFER_ENCODING, HttpHeaders.CHUNKED, true)) {
            refusal = Optional.of(Problem.of("length-required", "Length required", 411,
                    "a JSON body must announce its Content-Length (at most " + json.maxBodyBytes() + " bytes);"
                            + " send large recipient lists as a text/csv upload, which is streamed",
                    request.path(), List.of(Problem.FieldError.of("body", "Content-Length required"))));
        }
        if (refusal.isEmpty()) {
            context.next();
            return;
        }
        Problem problem = refusal.get();
        String body;
        try {
            body = mapper.writeValueAsString(problem);
        } catch (JsonProcessingException e) {
            body = "{\"status\":" + problem.status() + "}";
        }
        // The body is never read: close the connection rather than leave the rest of it on the wire.
        context.response().setStatusCode(problem.status())
                .putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE)
                .putHeader(HttpHeaders.CONNECTION, "close")
                .endHandler(ended -> request.connection().close())
                .end(body);
    }
}
