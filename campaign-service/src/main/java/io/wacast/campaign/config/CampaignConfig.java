package io.wacast.campaign.config;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.wacast.common.phone.PhoneNumbers;

/** Every tunable of the campaign engine, with defaults that work for a single business number. */
@ConfigMapping(prefix = "wacast.campaign")
public interface CampaignConfig {

    /** The business phone-number id a campaign sends from when it names none. */
    @WithDefault("100000000000001")
    String defaultPhoneNumberId();

    /** ISO 3166 region national numbers are read in (numbers without '+'). */
    @WithDefault("IN")
    String defaultRegion();

    /** Meta's throughput cap of a business number (messages/s) when {@link #numberCaps()} has no entry. */
    @WithDefault("80")
    int numberCapPerSecond();

    /** Throughput caps of numbers upgraded beyond the default, by phone-number id. */
    Map<String, Integer> numberCaps();

    /**
     * The registry of business numbers, by phone-number id ({@code wacast.campaign.numbers."<id>".…}):
     * display number, WABA, configured cap and the name of the secret holding its token. Written to
     * {@code whatsapp_numbers} at start and listed by {@code GET /api/whatsapp/numbers}.
     */
    Map<String, NumberRegistration> numbers();

    /** A number's cap once Meta reported its throughput upgrade (Meta's higher throughput). */
    @WithDefault("1000")
    int upgradedCapPerSecond();

    interface NumberRegistration {
        /** As Meta displays it (digits, {@code +} and separators allowed); names the number in Meta's number webhooks. */
        Optional<String> displayNumber();

        Optional<String> wabaId();

        /** Meta's cap of this number (msg/s); else {@link #numberCaps()}, else {@link #numberCapPerSecond()}. */
        java.util.OptionalInt throughput();

        /**
         * The name of the secret (environment variable) that holds this number's access token in the
         * sender, e.g. {@code WACAST_META_ACCESS_TOKEN_SHOP2}; never the token itself.
         */
        Optional<String> accessTokenRef();
    }

    Recipients recipients();

    Contacts contacts();

    interface Contacts {

        /**
         * Rows of a contacts import committed per transaction (§11 D28): an import of at most this many
         * rows is one transaction (all or nothing); a larger one commits every this many rows, each chunk
         * well inside the transaction timeout, and its {@code contact_imports} row says what is stored.
         */
        @WithDefault("20000")
        int importChunkRows();

        /**
         * Recipient rows dispatched within an audience's "not messaged" window up to which its count is the
         * rest of its filter minus the recently messaged among them (one probe per such number); beyond,
         * the contacts are scanned (§5 Audiences).
         */
        @WithDefault("100000")
        int recentMessageProbes();
    }

    Dispatch dispatch();

    Relay relay();

    AutoPause autoPause();

    Applier applier();

    Http http();

    UnknownResend unknownResend();

    Plan plan();

    FollowUps followUps();

    Engagement engagement();

    Signals signals();

    Meta meta();

    TemplateSync templateSync();

    default int capPerSecond(String phoneNumberId) {
        NumberRegistration registered = numbers().get(phoneNumberId);
        if (registered != null && registered.throughput().isPresent()) {
            return registered.throughput().getAsInt();
        }
        return numberCaps().getOrDefault(phoneNumberId, numberCapPerSecond());
    }

    /** The number's display digits from the registry, else from {@code signals.display-numbers}; null when neither. */
    default String displayDigitsOf(String phoneNumberId) {
        NumberRegistration registered = numbers().get(phoneNumberId);
        String display = registered != null && registered.displayNumber().isPresent() ? registered.displayNumber().get()
                : signals().displayNumbers().get(phoneNumberId);
        return display == null ? null : PhoneNumbers.digitsOf(display);
    }

    /** What the HTTP layer accepts before a request reaches a resource (HttpLayerLimits). */
    interface Http {

        @WithDefault("8192")
        int maxUriLength();

        @WithDefault("20K")
        MemorySize maxHeaderSize();

        /**
         * The largest JSON body: JSON is read whole into memory, so it is kept small; large recipient
         * lists go as a streamed CSV (recipients.max-upload-size).
         */
        @WithDefault("4M")
        MemorySize maxJsonBodySize();
    }

    interface Recipients {

        /** The largest CSV upload accepted; larger ones are refused with 413 and nothing is stored. */
        @WithDefault("256M")
        MemorySize maxUploadSize();

        /**
         * The longest CSV line (a quoted cell may span lines; they count together), in characters: the
         * parser never holds more of one row, so one huge quoted cell cannot fill the heap. A phone, a
         * name and 100 values of 1,024 characters fit.
         */
        @WithDefault("256K")
        MemorySize maxLineLength();

        /** Rows per JDBC batch when storing recipients. */
        @WithDefault("2000")
        int insertBatchSize();
    }

    interface Dispatch {

        @WithDefault("true")
        boolean enabled();

        /**
         * How often the engine starts due campaigns, dispatches and relays the outbox (a Quarkus
         * duration, at least 1s); within a tick it keeps going while campaigns have full batches.
         */
        @WithDefault("1s")
        String interval();

        /** Recipients moved to queued per campaign and round. */
        @WithDefault("2000")
        int batchSize();

        /** Jobs per campaign queued but without an outcome yet; dispatch waits above it. */
        @WithDefault("10000")
        int maxInFlight();
    }

    interface Relay {

        /** Outbox rows published per round. */
        @WithDefault("5000")
        int batchSize();

        /** How long the relay waits for the broker's acknowledgements of one round. */
        @WithDefault("30s")
        Duration ackTimeout();
    }

    interface AutoPause {

        /** Share of failures among recent attempts above which a sending campaign pauses itself. */
        @WithDefault("0.5")
        double failureRateThreshold();

        /** Attempts needed in the window before the failure rate is judged. */
        @WithDefault("50")
        int minAttempts();

        /** How far back "recent" reaches, in whole minutes of the timeline. */
        @WithDefault("5m")
        Duration window();
    }

    interface Applier {

        /** Whether this replica consumes {@code wacast.outcomes} and {@code wacast.events}. */
        @WithDefault("true")
        boolean enabled();

        /** Kafka consumer group shared by every campaign-service replica. */
        @WithDefault("wacast-campaign")
        String groupId();

        /** Where a new group starts: earliest replays what the topics retain, which is idempotent. */
        @WithDefault("earliest")
        String autoOffsetReset();

        /** Records per poll, applied in one transaction. */
        @WithDefault("2000")
        int batchSize();

        /** Wait before a failed batch (database down, deadlock) is applied again. */
        @WithDefault("1s")
        Duration retryBackoff();

        /**
         * Times a batch is tried before the applier looks for the event that fails it: the batch is
         * halved until that event fails alone, while the database answers everything else, and is
         * parked; every other event of the batch is applied (docs/DESIGN.md §7).
         */
        @WithDefault("3")
        int batchAttempts();

        /**
         * How long applied event ids are remembered. Meta redelivers webhooks for up to 7 days, and a
         * redelivery carries the same eventId, so this must be longer.
         */
        @WithDefault("192h")
        Duration processedRetention();

        /** How long parked events are kept (replayed or not): the ERROR line alerted when each was parked. */
        @WithDefault("2160h")
        Duration parkedRetention();
    }

    /**
     * The safety net for recipients whose attempt ended {@code unknown} (a sender died while its call to
     * Meta may have left): re-sent once when no webhook settled them but webhooks for messages sent
     * around them arrived ({@link io.wacast.campaign.service.UnknownResend}).
     */
    interface UnknownResend {

        /**
         * Whether unknown recipients are re-sent at all. Off for operators who prefer a certain loss to a
         * possible duplicate: an unknown then stays unknown (and counts as done) as before.
         */
        @WithDefault("true")
        boolean enabled();

        /** How long an unknown recipient waits for a webhook before it is decided on. */
        @WithDefault("15m")
        Duration after();

        /**
         * How long after it became unknown a recipient without evidence of flowing webhooks is kept
         * unknown for good instead of waiting any longer.
         */
        @WithDefault("1h")
        Duration giveUpAfter();

        /** How often the sweep looks for unknown recipients to decide on (a Quarkus duration). */
        @WithDefault("10s")
        String interval();
    }

    /**
     * What Meta's account-level webhooks ({@code wacast.account-signals}) may do to campaigns; a paused,
     * disabled, rejected or archived template always pauses the campaigns sending it.
     */
    interface Signals {

        /** Whether this replica consumes {@code wacast.account-signals}. */
        @WithDefault("true")
        boolean enabled();

        /** Kafka consumer group shared by every campaign-service replica. */
        @WithDefault("wacast-campaign-signals")
        String groupId();

        /** A marketing template whose quality drops to RED pauses the campaigns sending it. */
        @WithDefault("true")
        boolean pauseMarketingOnRedTemplate();

        /** A number Meta flags pauses the marketing campaigns sending from it. */
        @WithDefault("true")
        boolean pauseMarketingOnFlaggedNumber();

        /**
         * Business numbers by phone-number id, as Meta displays them (digits, e.g. {@code 15550000001}):
         * {@code phone_number_quality_update} names only the display number.
         */
        Map<String, String> displayNumbers();

        /** Attempts at applying one signal before it is logged and skipped. */
        @WithDefault("3")
        int attempts();
    }

    /** The Graph API account the templates are read from ({@code quarkus.rest-client.meta-graph.url} is the host). */
    interface Meta {

        /** The system-user token; without it the template sync is off. */
        Optional<String> accessToken();

        /** The WhatsApp Business Account whose templates are synced; without it the sync is off. */
        Optional<String> wabaId();

        @WithDefault("v23.0")
        String apiVersion();
    }

    /**
     * Reading the account's templates from Meta ({@code GET /{waba-id}/message_templates}) on start, on
     * {@code POST /api/whatsapp/templates/sync} and every {@code interval}.
     */
    interface TemplateSync {

        @WithDefault("true")
        boolean enabled();

        /** Whether the service syncs once when it starts (a failure is logged; the periodic sync follows). */
        @WithDefault("true")
        boolean onStart();

        /** How often (a Quarkus duration); the first periodic sync runs one interval after start. */
        @WithDefault("15m")
        String interval();

        /** Templates per page asked of Meta (its maximum is 1,000 here as in the simulator). */
        @WithDefault("100")
        int pageSize();

        /** Retries of a page Meta answers with 4 / 80007 / HTTP 429 (rate limited), backoff doubling. */
        @WithDefault("2")
        int rateLimitRetries();

        @WithDefault("1s")
        Duration rateLimitBackoff();

        /** After the retries are spent: no sync before this has passed (the endpoint answers 503). */
        @WithDefault("60s")
        Duration rateLimitCooldown();
    }

    /** The pre-flight plan ({@code GET /campaigns/{id}/plan}): what the operator blocks, knows and pays. */
    interface Plan {

        /** ISO 3166 regions (e.g. {@code DE}, {@code BR}) the operator never sends to; empty by default. */
        Optional<Set<String>> blockedCountries();

        /**
         * The business portfolio's messaging limit: unique users reachable with templates in a moving
         * 24 h, one of Meta's tiers {@code 250}, {@code 2000}, {@code 10000}, {@code 100000} or
         * {@code unlimited}. 250 is where Meta starts a new portfolio (docs/META.md).
         */
        @WithDefault("250")
        String messagingLimitTier();

        /**
         * A rate card CSV ({@code country,category,price,currency,valid_from}) replacing the one shipped
         * in the jar ({@code rate-card.csv}); read and validated at start.
         */
        Optional<String> rateCard();
    }

    /** Follow-ups ({@code POST /campaigns/{id}/follow-ups}). */
    interface FollowUps {

        /**
         * How long after a 131049 (Meta's per-user marketing limit) a recipient stays out of follow-ups
         * of its failures: sending again at once would only meet the same limit.
         */
        @WithDefault("24h")
        Duration marketingLimitQuietPeriod();
    }

    /** Replies, button presses and orders credited to campaigns (docs/DESIGN.md §4, "Replies, buttons and orders"). */
    interface Engagement {

        /**
         * A reply that quotes no message is credited to the latest campaign that messaged its number
         * this long before it (BSP dashboards' "replied within 72 h").
         */
        @WithDefault("72h")
        Duration replyWindow();

        /** An order that quotes no campaign message is credited to the latest campaign within this window. */
        @WithDefault("168h")
        Duration orderWindow();

        /**
         * Whether the text of attributed replies is stored. Off by default: a reply is personal data, and
         * the stats need only its kind, button payload and time.
         */
        @WithDefault("false")
        boolean storeReplyText();
    }
}
