package io.wacast.common.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class JobIdTest {

    @Test
    void roundTripsThroughItsWireForm() {
        String wire = JobId.of(42, 1_000_000_007L);
        assertThat(wire).isEqualTo("wc:42:1000000007");
        assertThat(JobId.parse(wire)).contains(new JobId(42, 1_000_000_007L));
    }

    @ParameterizedTest
    @NullSource
    @ValueSource(strings = {"", "wc:", "wc:1", "wc:x:2", "wc:1:y", "wc:0:5", "wc:-1:5", "other:1:2", "WC:1:2", "wc:1:2:3",
        "wc:99999999999999999999:1"})
    void rejectsForeignOrMalformedCallbackData(String value) {
        assertThat(JobId.parse(value)).isEmpty();
    }

    @Test
    void refusesNonPositiveIds() {
        assertThatThrownBy(() -> JobId.of(0, 1)).isInstanceOf(IllegalArgumentException.class);
    }
}
