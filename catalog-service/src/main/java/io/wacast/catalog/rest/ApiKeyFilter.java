package io.wacast.catalog.rest;

import io.wacast.catalog.domain.ApiRole;
import io.wacast.catalog.service.ApiKeyService;
import io.wacast.catalog.service.Caller;
import io.wacast.common.problem.Problem;
import jakarta.inject.Inject;
import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * {@code Authorization: Bearer <key>} on every {@code /api} call: 401 without a valid key, 403 when
 * the key's role does not allow the call (viewers only read; only admins manage keys). Runs on the
 * worker thread of the (blocking) endpoint, so it may look the key up in the database.
 */
public class ApiKeyFilter {

    private static final Set<String> READS = Set.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.OPTIONS);

    @Inject
    ApiKeyService keys;

    @Inject
    Caller caller;

    @ServerRequestFilter(priority = Priorities.AUTHENTICATION)
    public Optional<Response> authenticate(ContainerRequestContext request, ResourceInfo resource) {
        String path = "/" + request.getUriInfo().getPath().replaceFirst("^/", "");
        if (!path.startsWith("/api/")) {
            return Optional.empty();
        }
        String header = request.getHeaderString(HttpHeaders.AUTHORIZATION);
        String presented = header != null && header.regionMatches(true, 0, "Bearer ", 0, 7) ? header.substring(7).trim() : null;
        Optional<ApiKeyService.Authenticated> who = keys.authenticate(presented);
        if (who.isEmpty()) {
            return Optional.of(problem(401, "unauthorized", "Unauthorized",
                    presented == null ? "send an API key as 'Authorization: Bearer <key>'" : "the API key is unknown or revoked",
                    path));
        }
        ApiRole role = who.get().role();
        boolean adminOnly = resource.getResourceClass() != null && resource.getResourceClass().isAnnotationPresent(AdminOnly.class);
        if ((adminOnly && role != ApiRole.ADMIN) || (role == ApiRole.VIEWER && !READS.contains(request.getMethod()))) {
            return Optional.of(problem(403, "forbidden", "Forbidden",
                    "API key '" + who.get().name() + "' (" + role.wireName() + ") may not " + request.getMethod() + " " + path,
                    path));
        }
        caller.actAs(who.get().name(), role);
        return Optional.empty();
    }

    private static Response problem(int status, String slug, String title, String detail, String path) {
        Response.ResponseBuilder response = Response.status(status).type(Problem.MEDIA_TYPE)
                .entity(Problem.of(slug, title, status, detail, path, List.of()));
        if (status == 401) {
            response.header(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"wacast\"");
        }
        return response.build();
    }
}
