package io.wacast.console.session;

import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.NewCookie;

import io.wacast.console.config.ConsoleConfig;

/** The session cookie: sealed, HttpOnly, SameSite=Strict, Secure behind TLS. */
@ApplicationScoped
public class SessionCookies {

    private final SessionCodec codec;
    private final ConsoleConfig config;

    SessionCookies(SessionCodec codec, ConsoleConfig config) {
        this.codec = codec;
        this.config = config;
    }

    /** A cookie that signs this key in until the configured session age has passed. */
    public NewCookie signIn(String apiKey, String name, String role) {
        Instant expires = Instant.now().plus(config.sessionMaxAge());
        return cookie(codec.seal(new Operator(apiKey, name, role, expires)), (int) config.sessionMaxAge().toSeconds());
    }

    public NewCookie signOut() {
        return cookie("", 0);
    }

    private NewCookie cookie(String value, int maxAgeSeconds) {
        return new NewCookie.Builder(SessionFilter.SESSION_COOKIE)
                .value(value)
                .path("/")
                .maxAge(maxAgeSeconds)
                .httpOnly(true)
                .secure(config.secureCookies())
                .sameSite(NewCookie.SameSite.STRICT)
                .build();
    }
}
