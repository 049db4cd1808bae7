package io.wacast.sender.client;

import java.time.Instant;

/**
 * What became of one call to the Graph API, as a domain result: Meta's permanent rejections are
 * answers like any other, only the transport decides between "never sent" and "maybe sent".
 */
public sealed interface MetaAnswer {

    /** Meta accepted the message (accepted, held_for_quality_assessment or paused). */
    record Accepted(String wamid, String messageStatus) implements MetaAnswer {
    }

    /** Meta answered with an error; {@code code} is null when the body carried no Meta error. */
    record Rejected(int httpStatus, Integer code, Integer subcode, String message) implements MetaAnswer {
    }

    /** The request provably never reached Meta (connection refused, connect timeout): safe to retry. */
    record NotSent(String reason) implements MetaAnswer {
    }

    /**
     * The request left but no usable answer came back (read timeout, connection reset, a 2xx we could
     * not read): Meta may have accepted it, so it must never be sent again automatically.
     */
    record Unanswered(String reason) implements MetaAnswer {
    }

    /**
     * The call did not leave: by the time the HTTP client could send it, its slot of the shared
     * schedule was more than the allowed lateness behind (the replica was descheduled or paused). The
     * caller gives the job another slot; a late call would bunch with the next ones at Meta.
     * {@code atWrite}: the call was on time when the event loop took it up and late at the write (it
     * waited for a connection); false: the event loop took it up late.
     */
    record MissedSlot(long lateByUs, boolean atWrite) implements MetaAnswer {
    }

    /** This replica did not call: the number's circuit breaker is open until {@code until}. */
    record BreakerOpen(Instant until) implements MetaAnswer {
    }
}
