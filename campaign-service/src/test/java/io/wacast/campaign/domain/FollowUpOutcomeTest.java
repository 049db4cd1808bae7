package io.wacast.campaign.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.wacast.common.meta.MetaErrorPolicy;

class FollowUpOutcomeTest {

    private static final Instant NOW = Instant.parse("2026-12-05T12:00:00Z");
    private static final Instant QUIET_SINCE = NOW.minusSeconds(24 * 3600);

    @ParameterizedTest
    @ValueSource(ints = {130429, 4, 80007, 131056, 131057, 131000, 2, 131016, 131026, 131048, 100, 132000, 132015, 190, 131031})
    void failuresAnotherCampaignMayOvercomeAreTaken(int code) {
        assertThat(FollowUpOutcome.FAILED.judge(code, NOW.minusSeconds(60), QUIET_SINCE, NOW))
                .isEqualTo(FollowUpOutcome.Verdict.TAKE);
    }

    @ParameterizedTest
    @ValueSource(ints = {131050, 131047, 130472, 130497, 131009, 131021, 999_999, 1})
    void failuresThatWouldFailAgainAreNotRetryable(int code) {
        assertThat(FollowUpOutcome.FAILED.judge(code, NOW.minusSeconds(30 * 24 * 3600), QUIET_SINCE, NOW))
                .isEqualTo(FollowUpOutcome.Verdict.NOT_RETRYABLE);
    }

    @Test
    void aFailureWithoutAMetaCodeIsNotRetryable() {
        assertThat(FollowUpOutcome.FAILED.judge(null, NOW, QUIET_SINCE, NOW)).isEqualTo(FollowUpOutcome.Verdict.NOT_RETRYABLE);
    }

    @Test
    void theMarketingLimitWaitsForTheQuietPeriod() {
        assertThat(FollowUpOutcome.FAILED.judge(131049, QUIET_SINCE.plusSeconds(1), QUIET_SINCE, NOW))
                .isEqualTo(FollowUpOutcome.Verdict.TOO_RECENT);
        assertThat(FollowUpOutcome.FAILED.judge(131049, QUIET_SINCE, QUIET_SINCE, NOW))
                .isEqualTo(FollowUpOutcome.Verdict.TAKE);
    }

    /** Over generated codes: never 131050, and exactly the policy's verdicts that do not blame the user. */
    @Test
    void retryableAgreesWithTheErrorPolicyForEveryCode() {
        Random random = new Random(16);
        for (int i = 0; i < 20_000; i++) {
            int code = i < 300 ? i : random.nextInt(200_000);
            MetaErrorPolicy.Action action = MetaErrorPolicy.forCode(code).action();
            boolean userAtFault = action == MetaErrorPolicy.Action.FAIL || action == MetaErrorPolicy.Action.OPT_OUT;
            assertThat(FollowUpOutcome.retryable(code)).as("code %d (%s)", code, action).isEqualTo(!userAtFault);
        }
        assertThat(FollowUpOutcome.retryable(131050)).isFalse();
    }
}
