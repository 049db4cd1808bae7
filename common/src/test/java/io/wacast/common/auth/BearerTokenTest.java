package io.wacast.common.auth;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class BearerTokenTest {

    @Test
    void readsTheKeyOfABearerHeaderOnly() {
        assertThat(BearerToken.from("Bearer wck_abc")).isEqualTo("wck_abc");
        assertThat(BearerToken.from("bearer  wck_abc ")).isEqualTo("wck_abc");
        assertThat(BearerToken.from("Basic dXNlcjpwYXNz")).isNull();
        assertThat(BearerToken.from("Bearer ")).isNull();
        assertThat(BearerToken.from(null)).isNull();
    }
}
