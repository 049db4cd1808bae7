package io.wacast.common.meta;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wacast.common.meta.MetaErrorPolicy.Action;
import io.wacast.common.meta.MetaErrorPolicy.Decision;
import io.wacast.common.testing.Generated;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class MetaErrorPolicyTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        // docs/DESIGN.md §6, every row
        "130429, BACK_OFF_NUMBER",
        "131056, RETRY_RECIPIENT_LATER",
        "131057, PAUSE_NUMBER",
        "131000, RETRY_TRANSIENT",
        "131026, FAIL_WITH_ONE_RETRY",
        "131049, FAIL_MARKETING_LIMIT",
        "131050, OPT_OUT",
        "131047, FAIL",
        "131048, FAIL_AND_PAUSE_CAMPAIGN",
        "100,    FAIL_AND_PAUSE_CAMPAIGN",
        "132000, FAIL_AND_PAUSE_CAMPAIGN",
        "132001, FAIL_AND_PAUSE_CAMPAIGN",
        "132005, FAIL_AND_PAUSE_CAMPAIGN",
        "132007, FAIL_AND_PAUSE_CAMPAIGN",
        "132012, FAIL_AND_PAUSE_CAMPAIGN",
        "132015, FAIL_AND_PAUSE_CAMPAIGN",
        "132016, FAIL_AND_PAUSE_CAMPAIGN",
        "190,    STOP_ACCOUNT",
        "131031, STOP_ACCOUNT",
        "131042, STOP_ACCOUNT",
        "133010, STOP_ACCOUNT",
        "368,    STOP_ACCOUNT",
        // further codes documented by Meta
        "0,      STOP_ACCOUNT",
        "2,      RETRY_TRANSIENT",
        "3,      STOP_ACCOUNT",
        "4,      BACK_OFF_NUMBER",
        "10,     STOP_ACCOUNT",
        "200,    STOP_ACCOUNT",
        "299,    STOP_ACCOUNT",
        "80007,  BACK_OFF_NUMBER",
        "130472, FAIL",
        "130497, FAIL",
        "131008, FAIL_AND_PAUSE_CAMPAIGN",
        "131009, FAIL",
        "131016, RETRY_TRANSIENT",
        "131021, FAIL",
    })
    void everyKnownCodeHasItsAction(int code, Action expected) {
        Decision decision = MetaErrorPolicy.forCode(code);

        assertThat(decision.action()).isEqualTo(expected);
        assertThat(decision.meaning()).isEqualTo(MetaErrorPolicy.meaning(code)).doesNotContain("unknown");
        assertThat(MetaErrorPolicy.forHttp(400, code)).isEqualTo(decision);
    }

    @ParameterizedTest(name = "marketing_messages {0} -> {1}")
    @CsvSource({
        // the Marketing Messages API's own rows (docs/DESIGN.md §6)
        "200,    MARKETING_API_UNAVAILABLE",
        "131055, ROUTE_TO_MESSAGES",
        // every other code means what it means on /messages
        "130429, BACK_OFF_NUMBER",
        "131049, FAIL_MARKETING_LIMIT",
        "131050, OPT_OUT",
        "131009, FAIL",
        "100,    FAIL_AND_PAUSE_CAMPAIGN",
        "132015, FAIL_AND_PAUSE_CAMPAIGN",
        "190,    STOP_ACCOUNT",
        "201,    STOP_ACCOUNT",
    })
    void theMarketingMessagesApiHasItsOwnRowsAndTheCommonTableForTheRest(int code, Action expected) {
        Decision decision = MetaErrorPolicy.forMarketingMessages(400, code);

        assertThat(decision.action()).isEqualTo(expected);
        assertThat(decision.meaning()).doesNotContain("unknown");
    }

    @Test
    void theMarketingMessagesRowsRouteAtOnceAndNeverOnMessages() {
        for (int code : new int[] {200, 131055}) {
            Decision decision = MetaErrorPolicy.forMarketingMessages(403, code);
            assertThat(decision.retryable()).isTrue();
            assertThat(decision.pausesCampaign()).isFalse();
            assertThat(decision.stopsAccount()).isFalse();
            assertThat(MetaErrorPolicy.backoff(decision, 1, 0.7)).isZero();
        }
        assertThat(MetaErrorPolicy.forHttp(403, 200).action()).as("on /messages 200 is a permission error")
                .isEqualTo(Action.STOP_ACCOUNT);
        assertThat(MetaErrorPolicy.forHttp(400, 131055).action()).isEqualTo(Action.FAIL);
        assertThat(MetaErrorPolicy.forMarketingMessages(503, null).action()).isEqualTo(Action.RETRY_TRANSIENT);
        assertThat(MetaErrorPolicy.forMarketingMessages(401, null).action()).isEqualTo(Action.STOP_ACCOUNT);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 12345, 131999, 132999, 300})
    void unknownCodesFailWithoutRetry(int code) {
        Decision decision = MetaErrorPolicy.forCode(code);

        assertThat(decision.action()).isEqualTo(Action.FAIL);
        assertThat(decision.retryable()).isFalse();
        assertThat(decision.meaning()).isEqualTo("unknown Meta error " + code);
    }

    @Test
    void theRetryPoliciesFollowTheTable() {
        assertThat(MetaErrorPolicy.forCode(131000)).satisfies(d -> {
            assertThat(d.retryable()).isTrue();
            assertThat(d.maxAttempts()).isEqualTo(3);
        });
        assertThat(MetaErrorPolicy.forCode(131056).baseDelay()).isGreaterThanOrEqualTo(Duration.ofSeconds(6));
        assertThat(MetaErrorPolicy.forCode(131057).baseDelay()).isEqualTo(Duration.ofSeconds(60));
        assertThat(MetaErrorPolicy.forCode(131026).maxAttempts()).isEqualTo(2);
        assertThat(MetaErrorPolicy.forCode(131049).retryable()).isFalse();
        assertThat(MetaErrorPolicy.forCode(131050).retryable()).isFalse();
        assertThat(MetaErrorPolicy.forCode(131047).retryable()).isFalse();
    }

    @Test
    void campaignBreakingErrorsPauseTheCampaignAndAccountErrorsStopEverything() {
        assertThat(MetaErrorPolicy.forCode(132015)).satisfies(d -> {
            assertThat(d.pausesCampaign()).isTrue();
            assertThat(d.stopsAccount()).isFalse();
        });
        assertThat(MetaErrorPolicy.forCode(190)).satisfies(d -> {
            assertThat(d.pausesCampaign()).isTrue();
            assertThat(d.stopsAccount()).isTrue();
            assertThat(d.retryable()).isFalse();
        });
        assertThat(MetaErrorPolicy.forCode(131026).pausesCampaign()).isFalse();
    }

    @ParameterizedTest(name = "HTTP {0} without a code -> {1}")
    @CsvSource({
        "401, STOP_ACCOUNT",
        "429, BACK_OFF_NUMBER",
        "500, RETRY_TRANSIENT",
        "502, RETRY_TRANSIENT",
        "503, RETRY_TRANSIENT",
        "504, RETRY_TRANSIENT",
        "400, FAIL",
        "403, FAIL",
        "404, FAIL",
    })
    void httpStatusDecidesWithoutAMetaCode(int httpStatus, Action expected) {
        Decision decision = MetaErrorPolicy.forHttp(httpStatus, null);

        assertThat(decision.action()).isEqualTo(expected);
        assertThat(decision.meaning()).startsWith("HTTP " + httpStatus);
    }

    @Test
    void aKnownMetaCodeWinsOverTheHttpStatus() {
        assertThat(MetaErrorPolicy.forHttp(400, 131056).action()).isEqualTo(Action.RETRY_RECIPIENT_LATER);
        assertThat(MetaErrorPolicy.forHttp(400, 131050).action()).isEqualTo(Action.OPT_OUT);
        assertThat(MetaErrorPolicy.forHttp(500, 131047).action()).isEqualTo(Action.FAIL);
        assertThat(MetaErrorPolicy.forHttp(401, 190).meaning()).isEqualTo(MetaErrorPolicy.meaning(190));
    }

    @Test
    void anUnknownMetaCodeFallsBackToTheHttpStatus() {
        assertThat(MetaErrorPolicy.forHttp(503, 999999)).satisfies(d -> {
            assertThat(d.action()).isEqualTo(Action.RETRY_TRANSIENT);
            assertThat(d.meaning()).contains("HTTP 503").contains("999999");
        });
        assertThat(MetaErrorPolicy.forHttp(400, 999999).action()).isEqualTo(Action.FAIL);
    }

    @Test
    void aConnectionThatCouldNotBeMadeIsTransient() {
        assertThat(MetaErrorPolicy.forNetworkFailure().action()).isEqualTo(Action.RETRY_TRANSIENT);
        assertThat(MetaErrorPolicy.forNetworkFailure().meaning()).contains("network failure");
    }

    @Test
    void attemptsStopAfterTheMaximum() {
        Decision transient5xx = MetaErrorPolicy.forHttp(503, null);
        assertThat(transient5xx.shouldRetry(1)).isTrue();
        assertThat(transient5xx.shouldRetry(2)).isTrue();
        assertThat(transient5xx.shouldRetry(3)).isFalse();

        Decision undeliverable = MetaErrorPolicy.forCode(131026);
        assertThat(undeliverable.shouldRetry(1)).isTrue();
        assertThat(undeliverable.shouldRetry(2)).isFalse();

        assertThat(MetaErrorPolicy.forCode(131047).shouldRetry(0)).isFalse();
    }

    @Test
    void backoffGrowsExponentiallyWithEqualJitter() {
        Decision transient5xx = MetaErrorPolicy.forCode(131000);

        assertThat(MetaErrorPolicy.backoff(transient5xx, 1, 0.0)).isEqualTo(Duration.ofSeconds(2));
        assertThat(MetaErrorPolicy.backoff(transient5xx, 1, 1.0)).isEqualTo(Duration.ofSeconds(4));
        assertThat(MetaErrorPolicy.backoff(transient5xx, 2, 0.0)).isEqualTo(Duration.ofSeconds(4));
        assertThat(MetaErrorPolicy.backoff(transient5xx, 2, 0.5)).isEqualTo(Duration.ofSeconds(6));
        assertThat(MetaErrorPolicy.backoff(transient5xx, 3, 1.0)).isEqualTo(Duration.ofSeconds(16));
    }

    @Test
    void backoffIsCapped() {
        assertThat(MetaErrorPolicy.backoff(MetaErrorPolicy.forCode(131000), 30, 1.0)).isEqualTo(Duration.ofMinutes(15));
        assertThat(MetaErrorPolicy.backoff(MetaErrorPolicy.forCode(131057), 1, 0.0)).isEqualTo(Duration.ofSeconds(60));
        assertThat(MetaErrorPolicy.backoff(MetaErrorPolicy.forCode(131057), 9, 1.0)).isEqualTo(Duration.ofMinutes(2));
    }

    @ParameterizedTest
    @EnumSource(value = Action.class, names = {"FAIL", "OPT_OUT", "FAIL_MARKETING_LIMIT", "FAIL_AND_PAUSE_CAMPAIGN", "STOP_ACCOUNT"})
    void decisionsThatAreNotRetriedHaveNoBackoff(Action action) {
        Decision decision = decisionFor(action);

        assertThat(decision.retryable()).isFalse();
        assertThat(MetaErrorPolicy.backoff(decision, 1, 0.5)).isEqualTo(Duration.ZERO);
    }

    @Test
    void backoffRejectsNonsense() {
        Decision decision = MetaErrorPolicy.forCode(131000);

        assertThatThrownBy(() -> MetaErrorPolicy.backoff(decision, 0, 0.5)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> MetaErrorPolicy.backoff(decision, 1, 1.5)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> MetaErrorPolicy.backoff(decision, 1, Double.NaN)).isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest
    @MethodSource("retryableUpToFortyAttempts")
    void backoffNeverShrinksFromOneAttemptToTheNext(Decision decision, int attempt, double jitter) {
        assertThat(MetaErrorPolicy.backoff(decision, attempt + 1, jitter))
                .isGreaterThanOrEqualTo(MetaErrorPolicy.backoff(decision, attempt, jitter));
    }

    @ParameterizedTest
    @MethodSource("retryableUpToAThousandAttempts")
    void backoffStaysBetweenTheBaseDelayAndHalfAnHour(Decision decision, int attempt, double jitter) {
        assertThat(MetaErrorPolicy.backoff(decision, attempt, jitter))
                .isGreaterThanOrEqualTo(decision.baseDelay())
                .isLessThanOrEqualTo(Duration.ofMinutes(30));
    }

    @ParameterizedTest
    @MethodSource("upToAHundredAttempts")
    void pairRateRetriesWaitAtLeastSixSeconds(int attempt, double jitter) {
        assertThat(MetaErrorPolicy.backoff(MetaErrorPolicy.forCode(131056), attempt, jitter))
                .isGreaterThanOrEqualTo(Duration.ofSeconds(6));
    }

    @ParameterizedTest
    @MethodSource("upToAThousandAttempts")
    void transientBackoffIsBoundedByFifteenMinutes(int attempt, double jitter) {
        assertThat(MetaErrorPolicy.backoff(MetaErrorPolicy.forNetworkFailure(), attempt, jitter))
                .isLessThanOrEqualTo(Duration.ofMinutes(15));
    }

    static Stream<Arguments> retryableUpToFortyAttempts() {
        return Generated.cases(20_301, g -> Arguments.of(g.oneOf(retryable()), g.between(1, 40), g.unit()));
    }

    static Stream<Arguments> retryableUpToAThousandAttempts() {
        return Generated.cases(20_302, g -> Arguments.of(g.oneOf(retryable()), g.between(1, 1000), g.unit()));
    }

    static Stream<Arguments> upToAHundredAttempts() {
        return Generated.cases(20_303, g -> Arguments.of(g.between(1, 100), g.unit()));
    }

    static Stream<Arguments> upToAThousandAttempts() {
        return Generated.cases(20_304, g -> Arguments.of(g.between(1, 1000), g.unit()));
    }

    /** A decision of every retryable action. */
    private static List<Decision> retryable() {
        return Arrays.stream(Action.values()).filter(Action::retryable).map(MetaErrorPolicyTest::decisionFor).toList();
    }

    private static Decision decisionFor(Action action) {
        for (int code : new int[] {130429, 131056, 131057, 131000, 131026, 131049, 131050, 131047, 131048, 190}) {
            Decision decision = MetaErrorPolicy.forCode(code);
            if (decision.action() == action) {
                return decision;
            }
        }
        for (int code : new int[] {200, 131055}) {
            Decision decision = MetaErrorPolicy.forMarketingMessages(400, code);
            if (decision.action() == action) {
                return decision;
            }
        }
        throw new IllegalArgumentException("no code in the table for " + action);
    }
}
