package io.wacast.sender.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.wacast.common.event.OutcomeStatus;
import io.wacast.common.event.SendJob;
import io.wacast.common.meta.MetaErrorPolicy.Action;
import io.wacast.sender.client.Endpoint;
import io.wacast.sender.client.MetaAnswer;
import io.wacast.sender.config.SenderConfig.MarketingMessages;
import io.wacast.sender.config.SenderConfig.MarketingMessages.Fallback;
import io.wacast.sender.service.Verdict.LedgerEffect;

/** Which endpoint a job goes to, and what the Marketing Messages API's own answers make of it. */
class MarketingRoutingTest {

    private static final Instant NOW = Instant.parse("2026-12-05T10:00:00Z");
    private static final String ON = "100000000000001";
    private static final String OFF = "100000000000002";

    @ParameterizedTest(name = "{0} template on number {1} → {2}")
    @CsvSource({
            "marketing, " + ON + ", MARKETING_MESSAGES",
            "MARKETING, " + ON + ", MARKETING_MESSAGES",
            "utility, " + ON + ", MESSAGES",
            "authentication, " + ON + ", MESSAGES",
            "'', " + ON + ", MESSAGES",
            "marketing, " + OFF + ", MESSAGES",
            "utility, " + OFF + ", MESSAGES",
    })
    void theTemplatesLatestCategoryAndTheNumbersSettingDecideTheEndpoint(String category, String number,
            Endpoint expected) {
        MarketingRoutes routes = new MarketingRoutes(config(true, Map.of(OFF, false)));

        assertThat(routes.route(job(number, category.isEmpty() ? null : category, 1), NOW)).isEqualTo(expected);
    }

    @Test
    void aJobTheMarketingMessagesApiRefusedGoesToMessages() {
        MarketingRoutes routes = new MarketingRoutes(config(true, Map.of()));

        assertThat(routes.route(job(ON, "marketing", 2).viaMessagesApi(), NOW)).isEqualTo(Endpoint.MESSAGES);
    }

    @Test
    void aNumberTheApiRefusedSendsItsMarketingToMessagesUntilTheRecheck() {
        MarketingRoutes routes = new MarketingRoutes(config(true, Map.of()));
        routes.refused(ON, "terms not accepted", NOW);

        assertThat(routes.route(job(ON, "marketing", 1), NOW.plusSeconds(60))).isEqualTo(Endpoint.MESSAGES);
        assertThat(routes.route(job(OFF, "marketing", 1), NOW.plusSeconds(60))).as("other numbers are not affected")
                .isEqualTo(Endpoint.MARKETING_MESSAGES);
        assertThat(routes.route(job(ON, "marketing", 1), NOW.plus(Duration.ofMinutes(10))))
                .isEqualTo(Endpoint.MARKETING_MESSAGES);
    }

    @Test
    void withTheApiOffEverywhereEverythingGoesToMessages() {
        MarketingRoutes routes = new MarketingRoutes(config(false, Map.of(OFF, true)));

        assertThat(routes.route(job(ON, "marketing", 1), NOW)).isEqualTo(Endpoint.MESSAGES);
        assertThat(routes.route(job(OFF, "marketing", 1), NOW)).as("a number's own setting wins")
                .isEqualTo(Endpoint.MARKETING_MESSAGES);
    }

    @Test
    void termsNotAcceptedWithFallbackMessagesRetriesAtOnceThroughMessages() {
        SendJob job = job(ON, "marketing", 1);

        Verdict verdict = OutcomeRules.judge(job, Endpoint.MARKETING_MESSAGES, termsNotAccepted(), NOW, 0.5,
                Fallback.MESSAGES);

        assertThat(verdict.outcome().status()).isEqualTo(OutcomeStatus.RETRY_SCHEDULED);
        assertThat(verdict.outcome().action()).isEqualTo(Action.MARKETING_API_UNAVAILABLE);
        assertThat(verdict.outcome().errorCode()).isEqualTo(200);
        assertThat(verdict.outcome().retryAt()).isEqualTo(NOW);
        assertThat(verdict.ledgerEffect()).isEqualTo(LedgerEffect.ANSWERED);
        assertThat(verdict.retryJob().viaMessages()).isTrue();
        assertThat(verdict.retryJob().attempt()).isEqualTo(2);
        assertThat(verdict.retryJob().jobId()).isEqualTo(job.jobId());
        assertThat(verdict.stopsAccount()).isFalse();
        assertThat(verdict.numberPause()).isZero();
    }

    @Test
    void termsNotAcceptedWithFallbackFailDefersTheJobAndPausesTheCampaignWithTheReason() {
        Verdict verdict = OutcomeRules.judge(job(ON, "marketing", 1), Endpoint.MARKETING_MESSAGES, termsNotAccepted(),
                NOW, 0.5, Fallback.FAIL);

        assertThat(verdict.outcome().status()).isEqualTo(OutcomeStatus.DEFERRED);
        assertThat(verdict.outcome().action()).isEqualTo(Action.FAIL_AND_PAUSE_CAMPAIGN);
        assertThat(verdict.outcome().errorMessage()).contains("Marketing Messages API refused number " + ON)
                .contains("Meta error 200").contains("'fail'").contains("terms");
        assertThat(verdict.ledgerEffect()).as("nothing was sent: a later attempt may send it")
                .isEqualTo(LedgerEffect.RELEASED);
        assertThat(verdict.retryJob()).isNull();
        assertThat(verdict.stopsAccount()).isFalse();
    }

    @Test
    void aTemplateMetaNoLongerCountsAsMarketingGoesToMessagesWhateverTheFallback() {
        for (Fallback fallback : Fallback.values()) {
            Verdict verdict = OutcomeRules.judge(job(ON, "marketing", 1), Endpoint.MARKETING_MESSAGES,
                    new MetaAnswer.Rejected(400, 131055, null, "(#131055) Method not allowed"), NOW, 0.5, fallback);

            assertThat(verdict.outcome().status()).isEqualTo(OutcomeStatus.RETRY_SCHEDULED);
            assertThat(verdict.outcome().action()).isEqualTo(Action.ROUTE_TO_MESSAGES);
            assertThat(verdict.retryJob().viaMessages()).isTrue();
        }
    }

    @Test
    void theSameCodesOnMessagesKeepTheirCommonMeaning() {
        Verdict permission = OutcomeRules.judge(job(ON, "utility", 1), Endpoint.MESSAGES, termsNotAccepted(), NOW, 0.5,
                Fallback.MESSAGES);
        assertThat(permission.outcome().action()).isEqualTo(Action.STOP_ACCOUNT);
        assertThat(permission.stopsAccount()).isTrue();

        Verdict limit = OutcomeRules.judge(job(ON, "marketing", 1), Endpoint.MARKETING_MESSAGES,
                new MetaAnswer.Rejected(400, 131049, null, "healthy ecosystem"), NOW, 0.5, Fallback.MESSAGES);
        assertThat(limit.outcome().status()).isEqualTo(OutcomeStatus.FAILED);
        assertThat(limit.outcome().action()).isEqualTo(Action.FAIL_MARKETING_LIMIT);
    }

    @Test
    void aRefusedJobWithNoAttemptsLeftFails() {
        Verdict verdict = OutcomeRules.judge(job(ON, "marketing", 10), Endpoint.MARKETING_MESSAGES, termsNotAccepted(),
                NOW, 0.5, Fallback.MESSAGES);

        assertThat(verdict.outcome().status()).isEqualTo(OutcomeStatus.FAILED);
        assertThat(verdict.retryJob()).isNull();
    }

    private static MetaAnswer termsNotAccepted() {
        return new MetaAnswer.Rejected(403, 200, null,
                "(#200) You must accept the Marketing Messages API terms of service");
    }

    private static SendJob job(String number, String category, int attempt) {
        return new SendJob("e-" + attempt, 2, "wc:7:42", 7, 42, number, "+919978783238", "promo", "en_US",
                Map.of("body.1", "x"), attempt, null, NOW, false, category, false);
    }

    private static MarketingMessages config(boolean enabled, Map<String, Boolean> perNumber) {
        return new MarketingMessages() {
            @Override
            public boolean enabled() {
                return enabled;
            }

            @Override
            public Fallback fallback() {
                return Fallback.MESSAGES;
            }

            @Override
            public Duration recheckAfter() {
                return Duration.ofMinutes(10);
            }

            @Override
            public Map<String, NumberSettings> number() {
                Map<String, NumberSettings> settings = new java.util.HashMap<>();
                perNumber.forEach((id, on) -> settings.put(id, new NumberSettings() {
                    @Override
                    public Optional<Boolean> enabled() {
                        return Optional.of(on);
                    }

                    @Override
                    public Optional<Fallback> fallback() {
                        return Optional.empty();
                    }
                }));
                return settings;
            }
        };
    }
}
