package io.wacast.common.meta;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import io.wacast.common.WireNames;
import java.time.Duration;
import java.util.Map;

/**
 * What to do about an error from the Graph API (docs/DESIGN.md §6): retry, fail, opt the user out, pause
 * the campaign or stop the whole account. Pure, so the sender, the simulator's tests and the stats
 * API agree on every code.
 */
public final class MetaErrorPolicy {

    /** The reaction to an error; each fixes whether and how often the job is retried. */
    public enum Action {
        /** 130429: the number's throughput is exceeded; slow the whole number down, not only this job. */
        BACK_OFF_NUMBER(10, Duration.ofSeconds(1), Duration.ofMinutes(1)),
        /** 131056: about one message per 6 s to the same user. */
        RETRY_RECIPIENT_LATER(5, Duration.ofSeconds(6), Duration.ofMinutes(5)),
        /** 131057: the number is being upgraded to higher throughput, which takes up to a minute. */
        PAUSE_NUMBER(5, Duration.ofSeconds(60), Duration.ofMinutes(2)),
        RETRY_TRANSIENT(3, Duration.ofSeconds(2), Duration.ofMinutes(15)),
        /** 131026: most undeliverable users stay so; one late retry catches the rest. */
        FAIL_WITH_ONE_RETRY(2, Duration.ofMinutes(10), Duration.ofMinutes(30)),
        /** 131049: Meta's per-user marketing cap; reported apart from other failures. */
        FAIL_MARKETING_LIMIT,
        /** 131050: mark the recipient opted out and add the phone to the suppression list. */
        OPT_OUT,
        FAIL,
        /** Every other recipient would fail the same way, so the campaign pauses. */
        FAIL_AND_PAUSE_CAMPAIGN,
        /**
         * The token, account, payment or registration is broken: every campaign of the account stops
         * and ops are alerted. The recipient is not at fault, so the job can be sent again once the
         * account is fixed.
         */
        STOP_ACCOUNT,
        /**
         * The Marketing Messages API refused the number (its business portfolio has not accepted the
         * terms of service): configuration decides whether the job goes on through {@code /messages}
         * at once or fails and pauses its campaign (docs/DESIGN.md §5). Nothing was sent.
         */
        MARKETING_API_UNAVAILABLE(10, Duration.ZERO, Duration.ZERO),
        /**
         * The Marketing Messages API takes only marketing templates and Meta says this one is not
         * (its category changed after dispatch): the job goes on through {@code /messages} at once.
         */
        ROUTE_TO_MESSAGES(10, Duration.ZERO, Duration.ZERO);

        private final int maxAttempts;
        private final Duration baseDelay;
        private final Duration maxDelay;

        Action() {
            this(1, Duration.ZERO, Duration.ZERO);
        }

        Action(int maxAttempts, Duration baseDelay, Duration maxDelay) {
            this.maxAttempts = maxAttempts;
            this.baseDelay = baseDelay;
            this.maxDelay = maxDelay;
        }

        public boolean retryable() {
            return maxAttempts > 1;
        }

        public boolean pausesCampaign() {
            return this == FAIL_AND_PAUSE_CAMPAIGN || this == STOP_ACCOUNT;
        }

        public boolean stopsAccount() {
            return this == STOP_ACCOUNT;
        }

        Decision decision(String meaning) {
            return new Decision(this, retryable(), maxAttempts, baseDelay, meaning, pausesCampaign(), stopsAccount());
        }

        @JsonValue
        public String value() {
            return WireNames.of(this);
        }

        @JsonCreator
        public static Action fromString(String value) {
            return WireNames.parse(Action.class, value);
        }
    }

    /**
     * The policy for one error. {@code maxAttempts} counts every attempt including the first;
     * {@code baseDelay} is the shortest wait before a retry.
     */
    public record Decision(
            Action action,
            boolean retryable,
            int maxAttempts,
            Duration baseDelay,
            String meaning,
            boolean pausesCampaign,
            boolean stopsAccount) {

        public boolean shouldRetry(int attemptsSoFar) {
            return retryable && attemptsSoFar < maxAttempts;
        }
    }

    private record Rule(Action action, String meaning) {
    }

    private static final Map<Integer, Rule> RULES = Map.ofEntries(
            // docs/DESIGN.md §6
            rule(130429, Action.BACK_OFF_NUMBER, "throughput limit of the business number exceeded"),
            rule(131056, Action.RETRY_RECIPIENT_LATER, "too many messages to the same user (pair rate limit)"),
            rule(131057, Action.PAUSE_NUMBER, "business number in maintenance (throughput upgrade)"),
            rule(131000, Action.RETRY_TRANSIENT, "something went wrong at Meta"),
            rule(131026, Action.FAIL_WITH_ONE_RETRY, "message undeliverable"),
            rule(131049, Action.FAIL_MARKETING_LIMIT, "per-user marketing limit reached (healthy ecosystem)"),
            rule(131050, Action.OPT_OUT, "user stopped marketing messages"),
            rule(131047, Action.FAIL, "more than 24 hours since the user last replied"),
            rule(131048, Action.FAIL_AND_PAUSE_CAMPAIGN, "spam rate limit hit"),
            rule(100, Action.FAIL_AND_PAUSE_CAMPAIGN, "invalid parameter"),
            rule(132000, Action.FAIL_AND_PAUSE_CAMPAIGN, "template parameter count mismatch"),
            rule(132001, Action.FAIL_AND_PAUSE_CAMPAIGN, "template does not exist"),
            rule(132005, Action.FAIL_AND_PAUSE_CAMPAIGN, "template text too long"),
            rule(132007, Action.FAIL_AND_PAUSE_CAMPAIGN, "template format character policy violated"),
            rule(132012, Action.FAIL_AND_PAUSE_CAMPAIGN, "template parameter format mismatch"),
            rule(132015, Action.FAIL_AND_PAUSE_CAMPAIGN, "template is paused"),
            rule(132016, Action.FAIL_AND_PAUSE_CAMPAIGN, "template is disabled"),
            rule(190, Action.STOP_ACCOUNT, "access token expired or invalid"),
            rule(131031, Action.STOP_ACCOUNT, "business account locked"),
            rule(131042, Action.STOP_ACCOUNT, "business payment issue"),
            rule(133010, Action.STOP_ACCOUNT, "business number not registered"),
            rule(368, Action.STOP_ACCOUNT, "account temporarily blocked for policy violations"),
            // Also documented by Meta; classified in the spirit of the table above.
            rule(0, Action.STOP_ACCOUNT, "unable to authenticate the app user"),
            rule(2, Action.RETRY_TRANSIENT, "API temporarily unavailable or overloaded"),
            rule(3, Action.STOP_ACCOUNT, "app capability or permission missing"),
            rule(4, Action.BACK_OFF_NUMBER, "app API call limit reached"),
            rule(10, Action.STOP_ACCOUNT, "permission denied"),
            rule(80007, Action.BACK_OFF_NUMBER, "business account rate limit reached"),
            rule(130472, Action.FAIL, "user's number is part of a Meta experiment"),
            rule(130497, Action.FAIL, "business may not message users in this country"),
            rule(131008, Action.FAIL_AND_PAUSE_CAMPAIGN, "required parameter missing"),
            rule(131009, Action.FAIL, "parameter value not valid"),
            rule(131016, Action.RETRY_TRANSIENT, "service unavailable"),
            rule(131021, Action.FAIL, "recipient is the sending number"));

    /**
     * Answers of {@code POST /{phone-number-id}/marketing_messages} that mean something else there than
     * on {@code /messages}; every other code means the same on both (Meta: "MM API for WhatsApp uses the
     * same error codes as Cloud API"). docs/META.md, "Marketing Messages API".
     */
    private static final Map<Integer, Rule> MARKETING_MESSAGES_RULES = Map.ofEntries(
            rule(200, Action.MARKETING_API_UNAVAILABLE, "Marketing Messages API terms of service not accepted"),
            rule(131055, Action.ROUTE_TO_MESSAGES, "the Marketing Messages API takes only marketing templates"));

    private static Map.Entry<Integer, Rule> rule(int code, Action action, String meaning) {
        return Map.entry(code, new Rule(action, meaning));
    }

    /** Codes 200–299 are Graph API permission errors. */
    private static Rule ruleFor(int code) {
        if (code >= 200 && code <= 299) {
            return new Rule(Action.STOP_ACCOUNT, "API permission missing");
        }
        return RULES.get(code);
    }

    /** Unknown codes fail without retry: retrying what we do not understand risks a double send. */
    public static Decision forCode(int code) {
        Rule rule = ruleFor(code);
        return rule == null ? Action.FAIL.decision(meaning(code)) : rule.action().decision(rule.meaning());
    }

    /**
     * A known Meta code decides; otherwise the HTTP status does, so an unknown code on a 503 is still
     * retried.
     */
    public static Decision forHttp(int httpStatus, Integer metaCode) {
        if (metaCode != null && ruleFor(metaCode) != null) {
            return forCode(metaCode);
        }
        String meaning = "HTTP " + httpStatus + (metaCode == null ? "" : ", Meta error " + metaCode);
        if (httpStatus == 401) {
            return Action.STOP_ACCOUNT.decision(meaning + ": not authorised");
        }
        if (httpStatus == 429) {
            return Action.BACK_OFF_NUMBER.decision(meaning + ": too many requests");
        }
        if (httpStatus >= 500) {
            return Action.RETRY_TRANSIENT.decision(meaning + ": Meta server error");
        }
        return Action.FAIL.decision(meaning + ": request rejected");
    }

    /**
     * As {@link #forHttp}, for an answer of the Marketing Messages API ({@code /marketing_messages}):
     * its own rows first, then the common table.
     */
    public static Decision forMarketingMessages(int httpStatus, Integer metaCode) {
        Rule rule = metaCode == null ? null : MARKETING_MESSAGES_RULES.get(metaCode);
        return rule == null ? forHttp(httpStatus, metaCode) : rule.action().decision(rule.meaning());
    }

    /**
     * The connection could not be made (refused, connect timeout, unresolvable host), so the request
     * never reached Meta. There is deliberately no decision for a read timeout: Meta may have accepted
     * that message, so it ends {@code unknown} and is never retried (docs/DESIGN.md §6, §11).
     */
    public static Decision forNetworkFailure() {
        return Action.RETRY_TRANSIENT.decision("network failure calling Meta");
    }

    /** Human text for a code, as shown in the stats API's error breakdown. */
    public static String meaning(int code) {
        Rule rule = ruleFor(code);
        return rule == null ? "unknown Meta error " + code : rule.meaning();
    }

    /**
     * The wait before the next attempt, after {@code attempt} attempts (1 after the first failure):
     * exponential from the decision's base delay with equal jitter, so half the window is fixed and
     * half is spread by {@code jitter0to1}. Never below the base delay, never above the action's cap.
     * Zero for decisions that are not retried.
     */
    public static Duration backoff(Decision decision, int attempt, double jitter0to1) {
        if (attempt < 1) {
            throw new IllegalArgumentException("attempt must be at least 1: " + attempt);
        }
        if (!(jitter0to1 >= 0 && jitter0to1 <= 1)) {
            throw new IllegalArgumentException("jitter must be within [0, 1]: " + jitter0to1);
        }
        if (!decision.retryable()) {
            return Duration.ZERO;
        }
        long base = decision.baseDelay().toMillis();
        long cap = Math.max(decision.action().maxDelay.toMillis(), base);
        long window = Math.min(cap, base << Math.min(attempt, 30));
        long half = window / 2;
        return Duration.ofMillis(Math.max(base, half + Math.round(half * jitter0to1)));
    }

    private MetaErrorPolicy() {
    }
}
