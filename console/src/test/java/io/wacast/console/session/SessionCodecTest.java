package io.wacast.console.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;

import org.junit.jupiter.api.Test;

import io.wacast.console.config.ConsoleConfig;

class SessionCodecTest {

    static ConsoleConfig config(String secret) {
        return new ConsoleConfig() {
            public String sessionSecret() { return secret; }
            public Duration sessionMaxAge() { return Duration.ofHours(12); }
            public boolean secureCookies() { return false; }
            public String campaignUrl() { return "http://campaign"; }
            public String catalogUrl() { return "http://catalog"; }
            public java.util.Optional<String> internalToken() { return java.util.Optional.empty(); }
        };
    }

    final SessionCodec codec = new SessionCodec(config("a-session-secret-of-at-least-32-characters"));
    final Instant now = Instant.parse("2026-12-05T12:00:00Z");
    final Operator alice = new Operator("wck_secret_key_123", "alice\nwith a newline", "operator", now.plusSeconds(3600));

    @Test
    void a_sealed_session_opens_to_the_same_operator() {
        assertThat(codec.open(codec.seal(alice), now)).contains(alice);
    }

    @Test
    void the_cookie_never_shows_the_key_or_the_name() {
        String cookie = codec.seal(alice);
        String decoded = new String(Base64.getUrlDecoder().decode(cookie), StandardCharsets.ISO_8859_1);
        assertThat(cookie + decoded).doesNotContain("wck_secret_key_123").doesNotContain("alice");
        assertThat(codec.seal(alice)).as("a fresh IV every time").isNotEqualTo(cookie);
    }

    @Test
    void an_expired_tampered_or_foreign_cookie_is_no_session() {
        String cookie = codec.seal(alice);
        assertThat(codec.open(cookie, now.plusSeconds(3600))).isEmpty();
        byte[] raw = Base64.getUrlDecoder().decode(cookie);
        raw[raw.length - 1] ^= 1;
        assertThat(codec.open(Base64.getUrlEncoder().withoutPadding().encodeToString(raw), now)).isEmpty();
        SessionCodec other = new SessionCodec(config("another-secret-of-at-least-32-characters!"));
        assertThat(other.open(cookie, now)).isEmpty();
        assertThat(codec.open("not base64 at all %%%", now)).isEmpty();
        assertThat(codec.open("", now)).isEmpty();
        assertThat(codec.open(null, now)).isEmpty();
    }

    @Test
    void a_short_secret_is_refused_at_start() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new SessionCodec(config("short")))
                .hasMessageContaining("at least 32 characters");
    }

    @Test
    void the_operator_never_prints_its_key() {
        assertThat(alice.toString()).doesNotContain("wck_secret_key_123");
    }
}
