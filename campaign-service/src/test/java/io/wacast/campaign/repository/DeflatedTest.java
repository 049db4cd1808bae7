package io.wacast.campaign.repository;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;

import org.junit.jupiter.api.Test;

class DeflatedTest {

    @Test
    void aBatchOfJobsComesBackAsItWentInAndSmaller() {
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < 2_000; i++) {
            lines.append(i == 0 ? "" : "\n").append("+9196").append(String.format("%08d", i)).append('\t')
                    .append("{\"jobId\":\"wc:7:").append(i).append("\",\"variables\":{\"body.1\":\"Ünïcödé ").append(i).append("\"}}");
        }
        byte[] deflated = Deflated.of(lines);

        assertThat(Deflated.text(deflated)).isEqualTo(lines.toString());
        assertThat(deflated.length).isLessThan(lines.length() / 4);
    }

    @Test
    void aTruncatedOrForeignRowIsAnErrorNotAShorterBatch() {
        byte[] deflated = Deflated.of("+919600000001\t{\"jobId\":\"wc:7:1\"}\n+919600000002\t{\"jobId\":\"wc:7:2\"}");

        assertThatThrownBy(() -> Deflated.text(Arrays.copyOf(deflated, deflated.length - 6)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("truncated");
        assertThatThrownBy(() -> Deflated.text("not deflated at all".getBytes()))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("not deflated");
    }
}
