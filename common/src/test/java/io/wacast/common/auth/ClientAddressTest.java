package io.wacast.common.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;

import org.junit.jupiter.api.Test;

class ClientAddressTest {

    private final ClientAddress trusting = new ClientAddress(Optional.of("s3cret-token"));

    @Test
    void theForwardedAddressIsBelievedOnlyWithTheInternalToken() {
        assertThat(trusting.resolve("10.1.1.1", "203.0.113.9", "s3cret-token")).isEqualTo("203.0.113.9");
        assertThat(trusting.resolve("10.1.1.1", "203.0.113.9", "wrong")).isEqualTo("10.1.1.1");
        assertThat(trusting.resolve("10.1.1.1", "203.0.113.9", null)).isEqualTo("10.1.1.1");
        assertThat(trusting.resolve("10.1.1.1", null, "s3cret-token")).isEqualTo("10.1.1.1");
    }

    @Test
    void withoutAConfiguredTokenNoForwarderIsBelieved() {
        ClientAddress none = new ClientAddress(Optional.empty());
        assertThat(none.resolve("10.1.1.1", "203.0.113.9", "")).isEqualTo("10.1.1.1");
        assertThat(new ClientAddress(Optional.of(" ")).resolve("10.1.1.1", "203.0.113.9", " ")).isEqualTo("10.1.1.1");
    }

    @Test
    void aForwardedValueThatIsNotAnAddressIsIgnored() {
        assertThat(trusting.resolve("10.1.1.1", "evil\nforged log line", "s3cret-token")).isEqualTo("10.1.1.1");
        assertThat(trusting.resolve("10.1.1.1", "2001:db8::1", "s3cret-token")).isEqualTo("2001:db8::1");
    }
}
