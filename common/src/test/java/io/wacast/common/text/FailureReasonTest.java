package io.wacast.common.text;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;

import org.junit.jupiter.api.Test;

class FailureReasonTest {

    @Test
    void theInnermostCauseSpeaksWithoutItsNumbersOrLineBreaks() {
        Exception failure = new IllegalStateException("applying a batch failed",
                new SQLException("Duplicate entry '+4915112345678' for 4915112345678\nFORGED log line"));
        assertThat(FailureReason.of(failure, 200)).isEqualTo("Duplicate entry '…' for … FORGED log line");
    }

    @Test
    void idsThatAreNotNumbersStayReadable() {
        assertThat(FailureReason.safe("wamid.HBgM491511234567 of campaign 42 at offset 1234567", 200))
                .isEqualTo("wamid.HBgM491511234567 of campaign 42 at offset 1234567");
    }

    @Test
    void aLongReasonIsCutToItsLimitAndAMessagelessFailureIsNamed() {
        assertThat(FailureReason.safe("x".repeat(50), 10)).hasSize(10).endsWith("…");
        assertThat(FailureReason.of(new NullPointerException(), 100)).isEqualTo("failed without a message (NullPointerException)");
    }
}
