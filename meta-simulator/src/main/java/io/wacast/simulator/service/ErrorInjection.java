package io.wacast.simulator.service;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Deterministic faults chosen by the last four digits of the recipient's number, so that a test or
 * a demo campaign gets known failures by picking its numbers (the table is the one in the README).
 * Most answer at the API; 131026 is accepted and fails later in a status webhook, as Meta does.
 */
public final class ErrorInjection {

    /** What happens to a call to a number with a given suffix. */
    public sealed interface Fault permits Fault.ApiError, Fault.FailedWebhook, Fault.SlowAnswer, Fault.FirstAttemptFails {

        /** The API answers with this error; nothing is sent. */
        record ApiError(int code) implements Fault {
        }

        /** The API accepts; the message then fails with a {@code failed} status carrying {@code code}. */
        record FailedWebhook(int code) implements Fault {
        }

        /** The API accepts but answers only after the configured slow-response time (client timeouts). */
        record SlowAnswer() implements Fault {
        }

        /** HTTP 500 (131000) on the first attempt of each campaign message, accepted on the next. */
        record FirstAttemptFails() implements Fault {
        }
    }

    private static final Map<String, Fault> BY_SUFFIX = new LinkedHashMap<>();

    static {
        BY_SUFFIX.put("0000", new Fault.ApiError(131000));
        BY_SUFFIX.put("0016", new Fault.ApiError(131016));
        BY_SUFFIX.put("0026", new Fault.FailedWebhook(131026));
        BY_SUFFIX.put("0047", new Fault.ApiError(131047));
        BY_SUFFIX.put("0048", new Fault.ApiError(131048));
        BY_SUFFIX.put("0049", new Fault.ApiError(131049));
        BY_SUFFIX.put("0050", new Fault.ApiError(131050));
        BY_SUFFIX.put("0056", new Fault.ApiError(131056));
        BY_SUFFIX.put("0057", new Fault.ApiError(131057));
        BY_SUFFIX.put("0190", new Fault.ApiError(190));
        BY_SUFFIX.put("0368", new Fault.ApiError(368));
        BY_SUFFIX.put("0408", new Fault.SlowAnswer());
        BY_SUFFIX.put("0429", new Fault.ApiError(130429));
        BY_SUFFIX.put("0500", new Fault.FirstAttemptFails());
    }

    public static Optional<Fault> forRecipient(String digits) {
        if (digits == null || digits.length() < 4) {
            return Optional.empty();
        }
        return Optional.ofNullable(BY_SUFFIX.get(digits.substring(digits.length() - 4)));
    }

    /** The whole table, suffix → fault, in the README's order. */
    public static Map<String, Fault> table() {
        return Map.copyOf(BY_SUFFIX);
    }

    private ErrorInjection() {
    }
}
