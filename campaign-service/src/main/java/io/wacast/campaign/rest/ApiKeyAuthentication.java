package io.wacast.campaign.rest;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import jakarta.inject.Inject;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;

import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import io.vertx.core.http.HttpServerRequest;
import io.wacast.campaign.service.ApiKeyService;
import io.wacast.campaign.service.ApiKeyService.Caller;
import io.wacast.common.auth.BearerToken;
import io.wacast.common.auth.ClientAddress;
import io.wacast.common.auth.FailedAttempts;

/**
 * Guards {@code /api/**} with {@code Authorization: Bearer <key>}: 429 for an address that failed too
 * often, 401 without a valid key, 403 when the key's role may not do this. Health, metrics and OpenAPI
 * live under {@code /q} and stay open. Runs after matching, on the worker thread of the (blocking)
 * endpoint, so the key lookup may block. The console and catalog-service verify operators' keys
 * through {@code GET /api/whatsapp/me}, so this is the one auth path of wacast (docs/DESIGN.md D21).
 */
public class ApiKeyAuthentication {

    private static final Logger LOG = Logger.getLogger(ApiKeyAuthentication.class);
    static final String API_KEYS_PATH = "whatsapp/api-keys";
    private static final Set<String> READ_METHODS = Set.of("GET", "HEAD", "OPTIONS");

    @Inject
    ApiKeyService apiKeys;

    @Inject
    CurrentCaller current;

    @Inject
    FailedAuthentications failures;

    @Inject
    io.wacast.campaign.service.RequestActor actor;

    @ServerRequestFilter(priority = Priorities.AUTHENTICATION)
    public Optional<Response> authenticate(ContainerRequestContext request, ResourceInfo resource,
            HttpServerRequest http) {
        String path = request.getUriInfo().getPath();
        String relative = path.startsWith("/") ? path.substring(1) : path;
        if (!relative.startsWith("api/")) {
            return Optional.empty();
        }
        String address = failures.addresses().resolve(http.remoteAddress() == null ? null : http.remoteAddress().hostAddress(),
                request.getHeaderString(ClientAddress.FORWARDED_FOR), request.getHeaderString(ClientAddress.INTERNAL_TOKEN));
        current.setAddress(address);
        String instance = request.getUriInfo().getRequestUri().getRawPath();
        Optional<Duration> blocked = failures.attempts().blockedFor(address);
        if (blocked.isPresent()) {
            long seconds = Math.max(1, (blocked.get().toMillis() + 999) / 1000);
            return Optional.of(Response.fromResponse(Problems.response(429, "too-many-failed-authentications",
                    "Too many failed authentications",
                    "too many requests with a missing or wrong API key came from this address; try again in " + seconds
                            + " s",
                    instance, List.of())).header(HttpHeaders.RETRY_AFTER, seconds).build());
        }
        String key = BearerToken.from(request.getHeaderString(HttpHeaders.AUTHORIZATION));
        Optional<Caller> caller = apiKeys.authenticate(key);
        if (caller.isEmpty()) {
            failures.attempts().recordFailure(address);
            LOG.debugf("refused a request to %s from %s: %s", instance, address, key == null ? "no key" : "unknown key");
            Response problem = Problems.response(401, "unauthorized", "Unauthorized",
                    key == null ? "send an API key as 'Authorization: Bearer <key>'"
                            : "the API key is unknown, revoked or expired",
                    instance, List.of());
            return Optional.of(Response.fromResponse(problem).header(HttpHeaders.WWW_AUTHENTICATE, "Bearer").build());
        }
        Caller who = caller.get();
        current.set(who);
        actor.set(who.name());
        boolean adminOnly = resource.getResourceClass() != null && resource.getResourceClass().isAnnotationPresent(AdminOnly.class);
        if (adminOnly && !who.role().mayManageKeys()) {
            return Optional.of(forbidden("only admin keys may use " + instance, instance));
        }
        if (!READ_METHODS.contains(request.getMethod()) && !who.role().mayChange()) {
            return Optional.of(forbidden("a " + who.role().value() + " key may only read", instance));
        }
        return Optional.empty();
    }

    private static Response forbidden(String detail, String instance) {
        return Problems.response(403, "forbidden", "Forbidden", detail, instance, List.of());
    }
}
