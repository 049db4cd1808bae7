package io.wacast.console.session;

import java.time.Instant;

/**
 * Who is signed in: the API key they signed in with (sent upstream, never shown), the key's name and
 * role as the campaign-service reported them, and when the sign-in expires.
 */
public record Operator(String apiKey, String name, String role, Instant expiresAt) {

    /** Admins and operators may change things; viewers only read. */
    public boolean mayChange() {
        return "admin".equals(role) || "operator".equals(role);
    }

    public boolean isAdmin() {
        return "admin".equals(role);
    }

    @Override
    public String toString() {
        return "Operator[name=" + name + ", role=" + role + "]"; // never the key
    }
}
