package io.wacast.campaign.rest;

import java.time.Instant;
import java.util.Set;

import jakarta.inject.Inject;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;

import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

import io.wacast.campaign.repository.AuditRepository;
import io.wacast.campaign.repository.AuditRepository.AuditEntry;
import io.wacast.campaign.service.ApiKeyService.Caller;
import io.wacast.common.auth.AuditedPath;

/**
 * Writes every change asked of {@code /api} (any method but GET, HEAD and OPTIONS), refused ones too,
 * to the audit log once its answer is known: who (the key's name, id and role), what (method, path
 * with phone numbers masked, status), when, and from where. Never a body. A failure to write the entry
 * is logged and does not turn the operator's answer into an error: the change itself has committed.
 */
public class AuditTrail {

    private static final Logger LOG = Logger.getLogger(AuditTrail.class);
    private static final Set<String> READS = Set.of("GET", "HEAD", "OPTIONS");
    static final String ANONYMOUS = "anonymous";
    static final String SERVICE = "campaign-service";

    @Inject
    AuditRepository audit;

    @Inject
    CurrentCaller current;

    @ServerResponseFilter
    public void record(ContainerRequestContext request, ContainerResponseContext response) {
        String path = request.getUriInfo().getPath();
        if (READS.contains(request.getMethod()) || !(path.startsWith("/api/") || path.startsWith("api/"))) {
            return;
        }
        Caller who = current.orNull();
        try {
            audit.record(new AuditEntry(0, SERVICE, Instant.now(), who == null ? ANONYMOUS : who.name(),
                    who == null ? null : who.keyId(), who == null ? null : who.role().value(), current.address(),
                    request.getMethod(),
                    AuditedPath.of(request.getUriInfo().getRequestUri().getRawPath(),
                            request.getUriInfo().getRequestUri().getRawQuery()),
                    response.getStatus()), null);
        } catch (RuntimeException e) {
            LOG.errorf("could not write the audit entry of %s %s (status %d): %s", request.getMethod(),
                    AuditedPath.of(request.getUriInfo().getRequestUri().getRawPath(), null), response.getStatus(),
                    e.getMessage());
        }
    }
}
