package io.wacast.webhook.rest;

import io.wacast.webhook.service.WebhookIngest;
import io.wacast.webhook.service.WebhookTooLargeException;
import jakarta.inject.Inject;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Refuses a body announced larger than the limit before a byte of it is buffered. Chunked bodies
 * have no length up front; {@link WebhookIngest} checks those once read.
 */
public class BodySizeFilter {

    @Inject
    WebhookIngest ingest;

    @ServerRequestFilter(preMatching = true)
    public void refuseAnnouncedOversizedBodies(ContainerRequestContext request) {
        String length = request.getHeaderString(HttpHeaders.CONTENT_LENGTH);
        if (length == null) {
            return;
        }
        try {
            if (Long.parseLong(length.strip()) > ingest.maxBodyBytes()) {
                throw new WebhookTooLargeException(ingest.maxBodyBytes());
            }
        } catch (NumberFormatException notANumber) {
            // Vert.x refuses a malformed Content-Length before this filter runs.
        }
    }
}
