package io.wacast.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wacast.common.status.RecipientStatus;
import org.junit.jupiter.api.Test;

class WireNamesTest {

    @Test
    void namesAreLowercaseSnakeCase() {
        assertThat(WireNames.of(RecipientStatus.OPTED_OUT)).isEqualTo("opted_out");
    }

    @Test
    void parsingIgnoresCaseAndSurroundingSpace() {
        assertThat(WireNames.parse(RecipientStatus.class, " Opted_Out ")).isEqualTo(RecipientStatus.OPTED_OUT);
    }

    @Test
    void unknownNamesAreRejectedWithTheExpectedValues() {
        assertThatThrownBy(() -> WireNames.parse(RecipientStatus.class, "gone"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unknown RecipientStatus 'gone'")
                .hasMessageContaining("pending, queued");
        assertThatThrownBy(() -> WireNames.parse(RecipientStatus.class, null))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
