package io.wacast.console.session;

import java.net.URI;
import java.time.Instant;
import java.util.Optional;

import jakarta.inject.Inject;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Cookie;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Every page but the sign-in page needs a session: without one a page request is sent to
 * {@code /login} (a form post too: the sign-in expired), an htmx request gets {@code HX-Redirect}, a
 * script or stream request a bare 401.
 * Static assets and {@code /q} are served before this filter runs.
 */
public class SessionFilter {

    public static final String SESSION_COOKIE = "wacast_session";
    public static final String ZONE_COOKIE = "wacast_tz";

    @Inject
    SessionCodec codec;

    @Inject
    CurrentOperator current;

    @ServerRequestFilter
    public Optional<Response> requireSession(ContainerRequestContext request) {
        Cookie zone = request.getCookies().get(ZONE_COOKIE);
        current.zone(zone == null ? null : zone.getValue());
        String path = "/" + request.getUriInfo().getPath().replaceFirst("^/", "");
        Cookie cookie = request.getCookies().get(SESSION_COOKIE);
        Optional<Operator> operator = codec.open(cookie == null ? null : cookie.getValue(), Instant.now());
        operator.ifPresent(current::signIn);
        if (operator.isPresent() || path.equals("/login")) {
            return Optional.empty();
        }
        if (request.getHeaderString("HX-Request") != null) {
            return Optional.of(Response.status(401).header("HX-Redirect", "/login").build());
        }
        String accept = request.getHeaderString("Accept");
        boolean page = "GET".equals(request.getMethod()) || (accept != null && accept.contains("text/html"));
        if (page && !path.endsWith("/events")) {
            return Optional.of(Response.seeOther(URI.create("/login")).build());
        }
        return Optional.of(Response.status(401).build());
    }
}
