package io.wacast.simulator.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class FirstListEntryConverterTest {

    private final FirstListEntryConverter converter = new FirstListEntryConverter();

    @Test
    void signsWithTheCurrentSecretOfARotationPair() {
        assertThat(converter.convert("current-secret, previous-secret")).isEqualTo("current-secret");
    }

    @Test
    void keepsASingleSecretAsItIs() {
        assertThat(converter.convert("only-secret")).isEqualTo("only-secret");
    }

    @Test
    void refusesAnEmptyCurrentSecret() {
        assertThatThrownBy(() -> converter.convert(" ,previous")).isInstanceOf(IllegalArgumentException.class);
    }
}
