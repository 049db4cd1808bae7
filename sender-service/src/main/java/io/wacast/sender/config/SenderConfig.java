package io.wacast.sender.config;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * How hard and how safely one sender replica drains {@code wacast.send-jobs}. Every replica must
 * run with the same throughput settings: they share one token schedule per number in the database.
 */
@ConfigMapping(prefix = "wacast.sender")
public interface SenderConfig {

    /** Business phone-number ids this deployment may send from; jobs for any other id fail. */
    @WithDefault("100000000000001")
    List<String> phoneNumberIds();

    /** Meta's throughput cap per business number, messages per second. */
    @WithDefault("80")
    int defaultThroughput();

    /** Per-number override of {@link #defaultThroughput()}, e.g. {@code wacast.sender.throughput."100000000000001"=1000}. */
    Map<String, Integer> throughput();

    /**
     * A number's cap once Meta reports a throughput upgrade ({@code phone_number_quality_update}
     * THROUGHPUT_UPGRADE on {@code wacast.account-signals}): Meta's higher throughput, 1,000 msg/s.
     */
    @WithDefault("1000")
    int upgradedThroughput();

    /**
     * Business numbers by phone-number id as Meta displays them (digits), e.g.
     * {@code wacast.sender.display-numbers."100000000000001"=15550000001}: Meta's number webhooks name
     * only the display number. A number without an entry never has its throughput raised by a webhook.
     */
    Map<String, String> displayNumbers();

    /** Whether this replica reads {@code wacast.account-signals} for throughput upgrades. */
    @WithDefault("true")
    boolean throughputSignals();

    /**
     * Share of the cap the shared schedule hands out. Calls leave at most {@link #tokenLateness()} after
     * their slot and arrive with network jitter; the margin keeps every one-second window at Meta under
     * the cap. At 0.975 a call may leave ~18 ms late: on a busy host (two shared cores, a CPU-limited pod)
     * a replica's threads are often woken 10-20 ms late, and at 0.985 (~7 ms) so many slots were missed
     * that fewer messages went than at 0.975 (docs/DESIGN.md §11 D36).
     */
    @WithDefault("0.975")
    double budgetUtilisation();

    /** Tokens one replica leases from the shared schedule in one database round trip (upper bound). */
    @WithDefault("25")
    int leaseSlice();

    /**
     * How much the way from this replica to Meta (network, Meta's front end, the receiving event loop)
     * may spread calls that left at their slots. The schedule keeps room for it: a call may leave as
     * late after its slot as the rest of the margin allows ({@link #tokenLateness()}).
     */
    @WithDefault("PT0.008S")
    Duration arrivalSpread();

    /**
     * A slot not used this long after it is dropped, so late calls never bunch up. Unset (the default),
     * it is all the margin {@link #budgetUtilisation()} leaves beside {@link #arrivalSpread()}:
     * {@code cap × interval − 1 s − spread} (at 0.975 about 18 ms for every cap). Set, it must leave
     * every one-second window within the cap: a sender refuses to start otherwise.
     */
    Optional<Duration> tokenLateness();

    /**
     * How far ahead of now the shared schedule of a number is ever booked. A replica leases its next
     * slots only once the schedule is booked less than this ahead, so a replica that stalls holds only
     * the slots of this short stretch and the replicas that are on time take the rest.
     */
    @WithDefault("PT0.02S")
    Duration leaseHorizon();

    /**
     * How long before its slot the firer hands a call to the HTTP client's event loop, which writes it at
     * the slot, never before. The hop between the two threads then happens ahead of the slot instead of
     * inside its lateness: on a busy host either thread can be woken a few ms late, and a call handed over
     * at its slot left in time only when both were on time (BENCHMARKS.md, "three replicas sharing a cap").
     */
    @WithDefault("PT0.003S")
    Duration handAhead();

    /**
     * How many claimed jobs are marked as departing in the ledger ahead of their slot, in time of the
     * number's throughput. Only a departing job may become {@code unknown} when its replica dies; every
     * other claim of a dead replica is taken over and sent by a live one. The larger, the more a database
     * stall is absorbed; the smaller, the fewer unknowns a crash leaves (about this × the rate).
     */
    @WithDefault("PT0.05S")
    Duration departureLookahead();

    /**
     * A replica whose heartbeat in the ledger is older than this is dead: the jobs it claimed and had
     * not yet marked as departing are taken over by the replica that reads them again.
     */
    @WithDefault("PT5S")
    Duration ownerTimeout();

    /** Meta calls in flight at once in this replica (non-blocking, so this costs no threads). */
    @WithDefault("400")
    int maxInFlight();

    /** Jobs held by this replica at once (queued, waiting for tokens, in flight); above it the consumer pauses. */
    @WithDefault("4000")
    int maxPendingJobs();

    /** How long the claimed-but-not-yet-sent queue of a number may be, in seconds of its throughput. */
    @WithDefault("PT0.3S")
    Duration claimAhead();

    /** A job whose {@code notBefore} is further away than this is re-published rather than held in memory. */
    @WithDefault("PT10S")
    Duration maxHold();

    /** Kafka consumer group of the send-jobs consumer; every replica of a deployment uses the same one. */
    @WithDefault("wacast-sender")
    String consumerGroup();

    /**
     * Kafka session timeout of the send-jobs consumer: how soon the partitions of a replica that died
     * without leaving the group move to the others (at least the broker's minimum, 6 s by default).
     */
    @WithDefault("PT10S")
    Duration sessionTimeout();

    /** Where a new consumer group starts: earliest in production so no job is skipped. */
    @WithDefault("earliest")
    String autoOffsetReset();

    /** How often due retries are looked for in the ledger and re-published. */
    @WithDefault("PT0.5S")
    Duration retryScanInterval();

    /** How long 190/401 keeps an account's number stopped before one probe call is allowed again. */
    @WithDefault("PT5M")
    Duration accountStopDuration();

    CircuitBreaker circuitBreaker();

    /** Where marketing templates go: Meta's Marketing Messages API or {@code /messages} (docs/DESIGN.md §5). */
    MarketingMessages marketingMessages();

    interface MarketingMessages {

        /** Whether marketing templates go to {@code /marketing_messages}; off, they go to {@code /messages}. */
        @WithDefault("true")
        boolean enabled();

        /**
         * What a marketing job does when the Marketing Messages API refuses its number (terms of service
         * not accepted): go on through {@code /messages} at once, or stop: the job is deferred and its
         * campaign paused with the reason, to be resumed once the terms are accepted.
         */
        @WithDefault("messages")
        Fallback fallback();

        /** After a refusal with fallback {@code messages}: how long the number's marketing goes straight to {@code /messages}. */
        @WithDefault("PT10M")
        Duration recheckAfter();

        /** Per-number overrides: {@code wacast.sender.marketing-messages.number."<id>".enabled=false}, {@code .fallback=fail}. */
        Map<String, NumberSettings> number();

        interface NumberSettings {
            Optional<Boolean> enabled();

            Optional<Fallback> fallback();
        }

        enum Fallback {
            MESSAGES, FAIL
        }

        default boolean enabledFor(String phoneNumberId) {
            NumberSettings own = number().get(phoneNumberId);
            return own == null ? enabled() : own.enabled().orElse(enabled());
        }

        default Fallback fallbackFor(String phoneNumberId) {
            NumberSettings own = number().get(phoneNumberId);
            return own == null ? fallback() : own.fallback().orElse(fallback());
        }
    }

    /** What the database keeps, and for how long (docs/DESIGN.md §7, Retention). */
    Retention retention();

    interface Retention {
        /**
         * Settled ledger rows older than this are deleted. Longer than the send-jobs topic keeps a
         * record (7 days), so no redelivered job can find its row gone and be sent again.
         */
        @WithDefault("P14D")
        Duration ledger();

        /** Token schedules idle (next free slot in the past) this long are deleted; they lease alike from now. */
        @WithDefault("PT1H")
        Duration idleBudget();
    }

    /** How a replica's pace on a number's schedule follows Meta's 130429 (docs/DESIGN.md §5, §6). */
    Throttle throttle();

    interface Throttle {
        /** The factor one 130429 burst multiplies the pace by. */
        @WithDefault("0.95")
        double cut();

        /** The slowest pace, as a share of {@link #budgetUtilisation()} of the cap. */
        @WithDefault("0.5")
        double floor();

        /** The share the pace grows by after each {@link #recoverEvery()} without a 130429. */
        @WithDefault("0.01")
        double recoverStep();

        @WithDefault("PT5S")
        Duration recoverEvery();
    }

    interface CircuitBreaker {
        /** Consecutive 5xx, timeouts or network failures of one number that open its breaker. */
        @WithDefault("20")
        int failureThreshold();

        /** How long an open breaker rejects calls before letting one probe through. */
        @WithDefault("PT30S")
        Duration openFor();
    }

    default int throughputOf(String phoneNumberId) {
        return throughput().getOrDefault(phoneNumberId, defaultThroughput());
    }
}
