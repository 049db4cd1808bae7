package io.wacast.simulator.template;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import io.wacast.simulator.config.BusinessNumber;

/** The per-call text scans that replaced regexes: the same answers, without a Pattern. */
class TemplateParametersTest {

    @Test
    void theHighestPlaceholderCounts() {
        assertThat(Template.placeholders(null)).isZero();
        assertThat(Template.placeholders("Hi there")).isZero();
        assertThat(Template.placeholders("Hi {{1}}, your {{3}} and {{2}}")).isEqualTo(3);
        assertThat(Template.placeholders("{{{1}}} {{12}}")).isEqualTo(12);
        assertThat(Template.placeholders("{{}} {{a}} {{1 }} {2}} {{4}")).isZero();
        assertThat(Template.placeholders("ends with {{")).isZero();
    }

    @Test
    void theDisplayNumberIsItsDigits() {
        assertThat(new BusinessNumber("1", "+1 (555) 000-0001", "w").displayDigits()).isEqualTo("15550000001");
    }
}
