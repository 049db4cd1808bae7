package io.wacast.catalog.rest;

import io.vertx.core.http.HttpServerRequest;
import io.wacast.catalog.client.KeyStore;
import io.wacast.catalog.config.ApiConfig;
import io.wacast.catalog.domain.ApiRole;
import io.wacast.catalog.service.Caller;
import io.wacast.catalog.service.KeyVerifier;
import io.wacast.common.WireNames;
import io.wacast.common.auth.BearerToken;
import io.wacast.common.auth.ClientAddress;
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
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * {@code Authorization: Bearer <key>} on every {@code /api} call, verified against the one key store
 * of wacast, campaign-service (docs/DESIGN.md D21): 401 without a valid key, 429 when the operator's
 * address failed too often there, 403 when the key's role does not allow the call (viewers only read;
 * admin-only resources), 503 when the key store cannot be asked. Keys are issued, rotated and revoked
 * in campaign-service only. Runs on the worker thread of the (blocking) endpoint.
 */
public class ApiKeyFilter {

    private static final Logger LOG = Logger.getLogger(ApiKeyFilter.class);
    private static final Set<String> READS = Set.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.OPTIONS);

    @Inject
    KeyVerifier keys;

    @Inject
    Caller caller;

    private final ClientAddress addresses;

    ApiKeyFilter(ApiConfig config) {
        this.addresses = new ClientAddress(config.internalToken());
    }

    @ServerRequestFilter(priority = Priorities.AUTHENTICATION)
    public Optional<Response> authenticate(ContainerRequestContext request, ResourceInfo resource, HttpServerRequest http) {
        String path = "/" + request.getUriInfo().getPath().replaceFirst("^/", "");
        if (!path.startsWith("/api/")) {
            return Optional.empty();
        }
        String address = addresses.resolve(http.remoteAddress() == null ? null : http.remoteAddress().hostAddress(),
                request.getHeaderString(ClientAddress.FORWARDED_FOR), request.getHeaderString(ClientAddress.INTERNAL_TOKEN));
        caller.from(address);
        String presented = BearerToken.from(request.getHeaderString(HttpHeaders.AUTHORIZATION));
        if (presented == null) {
            return Optional.of(problem(401, "unauthorized", "Unauthorized", "send an API key as 'Authorization: Bearer <key>'", path));
        }
        KeyStore.Answer answer;
        try {
            answer = keys.verify(presented, address);
        } catch (KeyStore.UnavailableException e) {
            LOG.warnf("refused %s %s: %s", request.getMethod(), path, e.getMessage());
            return Optional.of(Response.fromResponse(problem(503, "key-store-unavailable", "Key store unavailable",
                    "API keys cannot be verified right now (campaign-service does not answer); try again shortly", path))
                    .header(HttpHeaders.RETRY_AFTER, 5).build());
        }
        if (answer instanceof KeyStore.Throttled throttled) {
            long seconds = Math.max(1, throttled.retryAfter().toSeconds());
            return Optional.of(Response.fromResponse(problem(429, "too-many-failed-authentications",
                    "Too many failed authentications",
                    "too many requests with a missing or wrong API key came from this address; try again in " + seconds + " s",
                    path)).header(HttpHeaders.RETRY_AFTER, seconds).build());
        }
        if (!(answer instanceof KeyStore.Owner owner)) {
            return Optional.of(problem(401, "unauthorized", "Unauthorized", "the API key is unknown, revoked or expired", path));
        }
        ApiRole role = WireNames.parse(ApiRole.class, owner.role());
        caller.actAs(owner.name(), role, owner.keyId()); // also who a refusal below is audited as
        boolean adminOnly = resource.getResourceClass() != null && resource.getResourceClass().isAnnotationPresent(AdminOnly.class);
        if ((adminOnly && role != ApiRole.ADMIN) || (role == ApiRole.VIEWER && !READS.contains(request.getMethod()))) {
            return Optional.of(problem(403, "forbidden", "Forbidden",
                    "API key '" + owner.name() + "' (" + role.wireName() + ") may not " + request.getMethod() + " " + path,
                    path));
        }
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
