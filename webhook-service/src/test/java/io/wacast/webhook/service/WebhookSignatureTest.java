package io.wacast.webhook.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class WebhookSignatureTest {

    private static final String BODY = "{\"object\":\"whatsapp_business_account\",\"entry\":[]}";
    /** {@code printf '%s' "$BODY" | openssl dgst -sha256 -hmac current-secret}. */
    private static final String OPENSSL_SIGNATURE =
            "sha256=f7c6bbac89e1b9714c73e4f3051401d9d9032509536c15b04033072ae559f1bc";

    private final WebhookSignature signature = new WebhookSignature(List.of("current-secret", "previous-secret"));

    static Stream<Arguments> vectors() {
        String tampered = BODY.replace("[]", "[ ]");
        return Stream.of(
                Arguments.of("the openssl vector", BODY, OPENSSL_SIGNATURE, true),
                Arguments.of("upper-case hex", BODY, "sha256=" + OPENSSL_SIGNATURE.substring(7).toUpperCase(), true),
                Arguments.of("the previous secret during a rotation", BODY,
                        WebhookSignature.sign(bytes(BODY), "previous-secret"), true),
                Arguments.of("a body changed by one space", tampered, OPENSSL_SIGNATURE, false),
                Arguments.of("a secret that is not configured", BODY, WebhookSignature.sign(bytes(BODY), "other"), false),
                Arguments.of("no header", BODY, null, false),
                Arguments.of("an empty header", BODY, "", false),
                Arguments.of("the hex without its sha256= prefix", BODY, OPENSSL_SIGNATURE.substring(7), false),
                Arguments.of("a sha1 signature", BODY, "sha1=" + OPENSSL_SIGNATURE.substring(7), false),
                Arguments.of("a truncated signature", BODY, OPENSSL_SIGNATURE.substring(0, 60), false),
                Arguments.of("non-hex characters", BODY, OPENSSL_SIGNATURE.substring(0, 69) + "zz", false));
    }

    @ParameterizedTest(name = "{0} -> {3}")
    @MethodSource("vectors")
    void acceptsOnlyAnHmacOfTheExactBytesWithAConfiguredSecret(String name, String body, String header,
            boolean accepted) {
        assertThat(signature.matches(bytes(body), header)).isEqualTo(accepted);
    }

    @Test
    void signsLikeOpenssl() {
        assertThat(WebhookSignature.sign(bytes(BODY), "current-secret")).isEqualTo(OPENSSL_SIGNATURE);
        assertThat(WebhookSignature.sign(bytes("The quick brown fox jumps over the lazy dog"), "key"))
                .isEqualTo("sha256=f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8");
    }

    @Test
    void refusesToStartWithoutASecret() {
        assertThatThrownBy(() -> new WebhookSignature(List.of())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new WebhookSignature(List.of("ok", " "))).isInstanceOf(IllegalArgumentException.class);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
