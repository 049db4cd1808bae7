package io.wacast.sender.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.wacast.common.event.CampaignControl;
import io.wacast.common.event.OutcomeStatus;
import io.wacast.common.event.SendJob;
import io.wacast.common.meta.MetaErrorPolicy.Action;
import io.wacast.common.status.CampaignStatus;
import io.wacast.sender.client.MetaAnswer;
import io.wacast.sender.service.Verdict.LedgerEffect;

class OutcomeRulesTest {

    private static final Instant NOW = Instant.parse("2025-03-01T10:00:00Z");

    private static SendJob job(int attempt) {
        return new SendJob("e-" + attempt, 1, "wc:7:42", 7, 42, "100000000000001", "+919978783238", "promo", "en_US",
                Map.of("body.1", "x"), attempt, null, NOW, false, null, false);
    }

    @Test
    void anAcceptedAnswerIsSentWithWamidAndMessageStatus() {
        Verdict verdict = OutcomeRules.judge(job(1), new MetaAnswer.Accepted("wamid.1", "held_for_quality_assessment"), NOW, 0.5);
        assertThat(verdict.outcome().status()).isEqualTo(OutcomeStatus.SENT);
        assertThat(verdict.outcome().wamid()).isEqualTo("wamid.1");
        assertThat(verdict.outcome().messageStatus()).isEqualTo("held_for_quality_assessment");
        assertThat(verdict.outcome().jobId()).isEqualTo("wc:7:42");
        assertThat(verdict.outcome().attempt()).isEqualTo(1);
        assertThat(verdict.ledgerEffect()).isEqualTo(LedgerEffect.ANSWERED);
        assertThat(verdict.retryJob()).isNull();
    }

    @ParameterizedTest(name = "HTTP {0} code {1} on attempt {2} → {3} ({4})")
    @CsvSource({
            // status, code, attempt, outcome, action, retries, pause ms at least, stops account
            "429, 130429, 1, retry_scheduled, back_off_number, true, 250, false",
            "429, 130429, 10, failed, back_off_number, false, 250, false",
            "400, 131056, 1, retry_scheduled, retry_recipient_later, true, 0, false",
            "400, 131057, 1, retry_scheduled, pause_number, true, 60000, false",
            "500, 131000, 1, retry_scheduled, retry_transient, true, 0, false",
            "500, 131000, 3, failed, retry_transient, false, 0, false",
            "400, 131026, 1, retry_scheduled, fail_with_one_retry, true, 0, false",
            "400, 131026, 2, failed, fail_with_one_retry, false, 0, false",
            "400, 131049, 1, failed, fail_marketing_limit, false, 0, false",
            "400, 131050, 1, opted_out, opt_out, false, 0, false",
            "400, 131047, 1, failed, fail, false, 0, false",
            "400, 131048, 1, failed, fail_and_pause_campaign, false, 0, false",
            "400, 100, 1, failed, fail_and_pause_campaign, false, 0, false",
            "404, 132001, 1, failed, fail_and_pause_campaign, false, 0, false",
            "400, 132015, 1, failed, fail_and_pause_campaign, false, 0, false",
            "401, 190, 1, deferred, stop_account, false, 0, true",
            "400, 131031, 1, deferred, stop_account, false, 0, true",
            "400, 368, 1, deferred, stop_account, false, 0, true",
            "400, 999999, 1, failed, fail, false, 0, false",
            "503, 999999, 1, retry_scheduled, retry_transient, true, 0, false" })
    void metaErrorsFollowTheErrorPolicy(int http, int code, int attempt, String status, String action, boolean retries,
            long pauseMillis, boolean stopsAccount) {
        Verdict verdict = OutcomeRules.judge(job(attempt), new MetaAnswer.Rejected(http, code, null, "m"), NOW, 0.5);

        assertThat(verdict.outcome().status()).isEqualTo(OutcomeStatus.fromString(status));
        assertThat(verdict.outcome().action()).isEqualTo(Action.fromString(action));
        assertThat(verdict.outcome().errorCode()).isEqualTo(code);
        assertThat(verdict.outcome().errorMessage()).contains("HTTP " + http).endsWith(": m");
        assertThat(verdict.retryJob() != null).isEqualTo(retries);
        assertThat(verdict.numberPause()).isGreaterThanOrEqualTo(Duration.ofMillis(pauseMillis));
        assertThat(verdict.stopsAccount()).isEqualTo(stopsAccount);
        assertThat(verdict.ledgerEffect()).isEqualTo(stopsAccount ? LedgerEffect.RELEASED : LedgerEffect.ANSWERED);
    }

    @Test
    void aRetryIsTheNextAttemptOfTheSameJobDueAfterTheBackoff() {
        Verdict verdict = OutcomeRules.judge(job(1), new MetaAnswer.Rejected(400, 131056, null, "pair"), NOW, 0.0);
        assertThat(verdict.outcome().retryAt()).isAfterOrEqualTo(NOW.plusSeconds(6));
        assertThat(verdict.retryJob().jobId()).isEqualTo("wc:7:42");
        assertThat(verdict.retryJob().attempt()).isEqualTo(2);
        assertThat(verdict.retryJob().notBefore()).isEqualTo(verdict.outcome().retryAt());
        assertThat(verdict.retryJob().eventId()).isNotEqualTo(job(1).eventId());
        assertThat(verdict.outcome().attempt()).isEqualTo(1);
    }

    @Test
    void aReadTimeoutIsUnknownAndNeverRetried() {
        Verdict verdict = OutcomeRules.judge(job(1), new MetaAnswer.Unanswered("no answer within the call timeout"), NOW, 0.5);
        assertThat(verdict.outcome().status()).isEqualTo(OutcomeStatus.UNKNOWN);
        assertThat(verdict.ledgerEffect()).isEqualTo(LedgerEffect.UNKNOWN);
        assertThat(verdict.retryJob()).isNull();
    }

    @Test
    void aConnectFailureNeverLeftSoItIsRetriedAsTransient() {
        Verdict verdict = OutcomeRules.judge(job(1), new MetaAnswer.NotSent("connection failed"), NOW, 0.5);
        assertThat(verdict.outcome().status()).isEqualTo(OutcomeStatus.RETRY_SCHEDULED);
        assertThat(verdict.outcome().action()).isEqualTo(Action.RETRY_TRANSIENT);
        assertThat(verdict.outcome().errorCode()).isNull();
        assertThat(verdict.retryJob().attempt()).isEqualTo(2);
    }

    @ParameterizedTest
    @CsvSource({ "400, retry_transient", "404, retry_transient", "502, retry_transient", "401, stop_account",
            "429, back_off_number" })
    void anAnswerWithoutAMetaErrorIsJudgedByItsHttpStatus(int http, String action) {
        Verdict verdict = OutcomeRules.judge(job(1), new MetaAnswer.Rejected(http, null, null, "unexpected response: <html>"),
                NOW, 0.5);
        assertThat(verdict.outcome().action()).isEqualTo(Action.fromString(action));
        assertThat(verdict.outcome().status()).isNotEqualTo(OutcomeStatus.FAILED);
    }

    @Test
    void anOpenBreakerSchedulesTheRetryAfterTheBreakerCloses() {
        Instant until = NOW.plusSeconds(30);
        Verdict verdict = OutcomeRules.judge(job(1), new MetaAnswer.BreakerOpen(until), NOW, 0.5);
        assertThat(verdict.outcome().status()).isEqualTo(OutcomeStatus.RETRY_SCHEDULED);
        assertThat(verdict.outcome().retryAt()).isEqualTo(until.plusMillis(500));
        assertThat(verdict.retryJob().notBefore()).isEqualTo(until.plusMillis(500));
        assertThat(verdict.numberPause()).isZero();
    }

    @ParameterizedTest
    @CsvSource({ "paused, campaign is paused", "cancelled, campaign is cancelled", "sending, outside the campaign's send window" })
    void aCampaignThatMayNotSendDefersTheJobAndReleasesTheLedger(String status, String reason) {
        CampaignControl control = CampaignControl.of(7, "100000000000001", CampaignStatus.fromString(status), 0,
                new CampaignControl.SendWindow(1, 2, "UTC"), 3, NOW);
        Verdict verdict = OutcomeRules.deferred(job(1), control, NOW);
        assertThat(verdict.outcome().status()).isEqualTo(OutcomeStatus.DEFERRED);
        assertThat(verdict.outcome().errorMessage()).isEqualTo(reason);
        assertThat(verdict.ledgerEffect()).isEqualTo(LedgerEffect.RELEASED);
    }

    @Test
    void anInvalidJobFailsWithItsReason() {
        Verdict verdict = OutcomeRules.invalid(job(1), "unknown phone-number id 5", NOW);
        assertThat(verdict.outcome().status()).isEqualTo(OutcomeStatus.FAILED);
        assertThat(verdict.outcome().errorMessage()).isEqualTo("unknown phone-number id 5");
        assertThat(verdict.ledgerEffect()).isEqualTo(LedgerEffect.ANSWERED);
    }
}
