package io.wacast.common.problem;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RequestLimitsTest {

    private final RequestLimits limits = new RequestLimits(8192, 20_480, 1024);

    @Test
    void aRequestWithinEveryLimitIsNotRefused() {
        assertThat(limits.refusal("/a", 8192, 20_480, 1024L)).isEmpty();
        assertThat(limits.refusal("/a", 10, 10, null)).isEmpty();
    }

    @Test
    void eachLimitIsNamedWithItsStatus() {
        assertThat(limits.refusal("/a", 8193, 0, null)).get().extracting(Problem::status).isEqualTo(414);
        assertThat(limits.refusal("/a", 10, 20_481, null)).get().extracting(Problem::status).isEqualTo(431);
        Problem tooLarge = limits.refusal("/a", 10, 10, 1025L).orElseThrow();
        assertThat(tooLarge.status()).isEqualTo(413);
        assertThat(tooLarge.detail()).contains("1024");
        assertThat(tooLarge.errors()).extracting(Problem.FieldError::field).containsExactly("body");
    }

    @Test
    void aTooLongPathIsCutShortInTheAnswer() {
        Problem problem = limits.refusal("/" + "x".repeat(10_000), 10_001, 0, null).orElseThrow();
        assertThat(problem.instance()).hasSizeLessThan(210);
    }
}
