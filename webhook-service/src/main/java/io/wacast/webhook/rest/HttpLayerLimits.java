package io.wacast.webhook.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.runtime.configuration.MemorySize;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.wacast.common.problem.Problem;
import io.wacast.common.problem.RequestLimits;
import io.wacast.webhook.config.WebhookConfig;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Answers a request URI, headers or an announced body above this service's limits with a problem,
 * before Quarkus's own upload limit (route order -2) would answer 413 with no body at all. Vert.x's
 * codec limits ({@code quarkus.http.limits.max-initial-line-length}, {@code max-header-size}) are
 * set above these, so only a request beyond those still gets Vert.x's bare 414 or 431.
 */
@Singleton
public class HttpLayerLimits {

    /** Just before Quarkus's upload limit ({@code RouteConstants.ROUTE_ORDER_UPLOAD_LIMIT}, -2). */
    static final int ROUTE_ORDER = -3;

    private final RequestLimits limits;
    private final ObjectMapper json;

    @Inject
    HttpLayerLimits(WebhookConfig config, ObjectMapper json,
            @ConfigProperty(name = "quarkus.http.limits.max-body-size") MemorySize httpBodyCap) {
        this.limits = new RequestLimits(config.http().maxUriLength(), config.http().maxHeaderSize().asLongValue(),
                httpBodyCap.asLongValue());
        this.json = json;
    }

    void install(@Observes Router router) {
        router.route().order(ROUTE_ORDER).handler(this::check);
    }

    private void check(RoutingContext context) {
        HttpServerRequest request = context.request();
        var refusal = limits.refusal(request.path(), request.uri().length(), request.headers(),
                request.getHeader(HttpHeaders.CONTENT_LENGTH));
        if (refusal.isEmpty()) {
            context.next();
            return;
        }
        Problem problem = refusal.get();
        String body;
        try {
            body = json.writeValueAsString(problem);
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
