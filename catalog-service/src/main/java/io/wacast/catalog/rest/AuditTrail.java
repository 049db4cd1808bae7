package io.wacast.catalog.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.wacast.catalog.service.Caller;
import io.wacast.common.auth.AuditedPath;
import io.wacast.common.event.AuditEvent;
import jakarta.inject.Inject;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import java.time.Instant;
import java.util.Set;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

/**
 * Publishes every change asked of {@code /api} (any method but GET, HEAD and OPTIONS), refused ones
 * too, as an {@link AuditEvent} to {@code wacast.audit}, once its answer is known; the campaign-service
 * writes it into the one audit log (docs/DESIGN.md D21). Never a body; phone numbers masked. A failure
 * to publish is logged and does not change the operator's answer: the change itself has committed.
 */
public class AuditTrail {

    private static final Logger LOG = Logger.getLogger(AuditTrail.class);
    private static final Set<String> READS = Set.of("GET", "HEAD", "OPTIONS");
    static final String SERVICE = "catalog-service";

    @Inject
    Caller caller;

    @Inject
    ObjectMapper json;

    @Inject
    @Channel("audit")
    Emitter<String> audit;

    @ServerResponseFilter
    public void record(ContainerRequestContext request, ContainerResponseContext response) {
        String path = "/" + request.getUriInfo().getPath().replaceFirst("^/", "");
        if (READS.contains(request.getMethod()) || !path.startsWith("/api/")) {
            return;
        }
        AuditEvent event = AuditEvent.of(SERVICE, Instant.now(), caller.authenticated() ? caller.name() : "anonymous",
                caller.keyId(), caller.role() == null ? null : caller.role().wireName(), caller.address(),
                request.getMethod(), AuditedPath.of(request.getUriInfo().getRequestUri().getRawPath(),
                        request.getUriInfo().getRequestUri().getRawQuery()),
                response.getStatus());
        try {
            audit.send(json.writeValueAsString(event)).whenComplete((ok, failure) -> {
                if (failure != null) {
                    LOG.errorf("could not publish the audit event of %s %s (status %d): %s", event.method(), event.path(),
                            event.status(), failure.getMessage());
                }
            });
        } catch (JsonProcessingException | RuntimeException e) {
            LOG.errorf("could not publish the audit event of %s %s (status %d): %s", event.method(), event.path(),
                    event.status(), e.getMessage());
        }
    }
}
