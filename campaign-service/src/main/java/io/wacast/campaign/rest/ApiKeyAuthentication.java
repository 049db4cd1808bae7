package io.wacast.campaign.rest;

import java.util.List;
import java.util.Optional;
import java.util.Set;

import jakarta.inject.Inject;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import io.wacast.campaign.service.ApiKeyService;
import io.wacast.campaign.service.ApiKeyService.Caller;

/**
 * Guards {@code /api/**} with {@code Authorization: Bearer <key>}: 401 without a valid key, 403 when
 * the key's role may not do this. Health, metrics and OpenAPI live under {@code /q} and stay open.
 * Runs after matching, on the worker thread of the (blocking) endpoint, so the key lookup may block.
 */
public class ApiKeyAuthentication {

    static final String API_KEYS_PATH = "whatsapp/api-keys";
    static final String PARKED_EVENTS_PATH = "whatsapp/parked-events";
    private static final Set<String> READ_METHODS = Set.of("GET", "HEAD", "OPTIONS");
    private static final String BEARER = "Bearer ";

    @Inject
    ApiKeyService apiKeys;

    @Inject
    CurrentCaller current;

    @ServerRequestFilter
    public Optional<Response> authenticate(ContainerRequestContext request) {
        String path = request.getUriInfo().getPath();
        String relative = path.startsWith("/") ? path.substring(1) : path;
        if (!relative.startsWith("api/")) {
            return Optional.empty();
        }
        String header = request.getHeaderString(HttpHeaders.AUTHORIZATION);
        String key = header != null && header.regionMatches(true, 0, BEARER, 0, BEARER.length())
                ? header.substring(BEARER.length()).trim()
                : null;
        Optional<Caller> caller = apiKeys.authenticate(key);
        String instance = request.getUriInfo().getRequestUri().getRawPath();
        if (caller.isEmpty()) {
            Response problem = Problems.response(401, "unauthorized", "Unauthorized",
                    key == null ? "send an API key as 'Authorization: Bearer <key>'" : "the API key is unknown or revoked",
                    instance, List.of());
            return Optional.of(Response.fromResponse(problem).header(HttpHeaders.WWW_AUTHENTICATE, "Bearer").build());
        }
        Caller who = caller.get();
        current.set(who);
        if (relative.startsWith("api/" + API_KEYS_PATH) && !who.role().mayManageKeys()) {
            return Optional.of(forbidden("only admin keys may manage API keys", instance));
        }
        if (relative.startsWith("api/" + PARKED_EVENTS_PATH) && !who.role().mayManageKeys()) {
            return Optional.of(forbidden("only admin keys may read or replay parked events", instance));
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
