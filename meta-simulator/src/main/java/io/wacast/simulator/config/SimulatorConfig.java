package io.wacast.simulator.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithConverter;
import io.smallrye.config.WithDefault;
import java.util.List;

/**
 * Start-up configuration of the simulator. Everything that shapes the simulation is only the
 * initial value of {@link SimulationSettings}, which tests and benchmarks change at runtime through
 * {@code PUT /sim/config}; secrets, business numbers and memory bounds are fixed at start.
 */
@ConfigMapping(prefix = "wacast.sim")
public interface SimulatorConfig {

    /** The bearer token senders must present ({@code WACAST_META_ACCESS_TOKEN}). */
    String accessToken();

    /**
     * Signs {@code X-Hub-Signature-256} ({@code WACAST_META_APP_SECRET}). During a rotation the
     * variable holds {@code current,previous} for the webhook-service; Meta signs with the current
     * secret only, and so does the simulator: the first entry.
     */
    @WithConverter(FirstListEntryConverter.class)
    String appSecret();

    /** The business phone numbers the simulated account owns. */
    List<BusinessNumber> numbers();

    /** Classpath resource with the seed template registry (Meta's {@code message_templates} shape). */
    @WithDefault("templates.json")
    String templatesResource();

    @WithDefault("80")
    int throughputPerSecond();

    PairRate pairRate();

    Latency latency();

    Webhook webhook();

    Outcomes outcomes();

    Delays delays();

    Chaos chaos();

    Injection injection();

    Order order();

    MarketingMessages marketingMessages();

    Users users();

    /**
     * Business-scoped user ids ({@code /sim/config} {@code users} changes them at run time): the share of
     * recipients Meta names by a BSUID as well, and of those the share that adopted a username and
     * withhold their number in the messages they send.
     */
    interface Users {
        @WithDefault("0")
        double bsuidShare();

        @WithDefault("0")
        double withoutPhoneShare();
    }

    Replies replies();

    /**
     * How many send calls the simulator keeps a trace of for {@code GET /sim/trace} (0: no trace; {@code WACAST_SIM_TRACE_CALLS}): when
     * each reached its HTTP server and its handler, with the slot and departure times a sender that traces
     * its calls sends along ({@code X-Wacast-Slot}, {@code X-Wacast-Checked}, {@code X-Wacast-Sent}, epoch
     * µs). Set beside each other they tell where calls bunch on their way to the throughput count.
     */
    @WithDefault("0")
    int traceCalls();

    /** A number's cap after the simulator played a THROUGHPUT_UPGRADE of it (Meta's higher throughput). */
    @WithDefault("1000")
    int upgradedThroughputPerSecond();

    /** How replying users answer; the button shares are set at run time ({@code PUT /sim/config}). */
    interface Replies {
        /** Of replies to a template with quick-reply buttons, the share that presses one. */
        @WithDefault("1.0")
        double buttonPress();

        /** Of text replies and STOPs, the share that does not quote the message. */
        @WithDefault("0.0")
        double unquoted();
    }

    /** The Marketing Messages API; {@code /sim/config} {@code marketingMessages} changes it at run time. */
    interface MarketingMessages {
        /** Whether the business portfolio accepted the Marketing Messages API's terms of service. */
        @WithDefault("true")
        boolean termsAccepted();
    }

    interface BusinessNumber {
        String phoneNumberId();

        String displayPhoneNumber();

        String wabaId();

        /** The bearer token calls for this number must carry; the account's {@code access-token} without it. */
        java.util.Optional<String> accessToken();

        /** This number's throughput cap (messages/s); the run-time {@code throughputPerSecond} without it. */
        java.util.OptionalInt throughputPerSecond();
    }

    interface PairRate {
        /** Messages to one user tolerated in a burst. */
        @WithDefault("5")
        int burst();

        /** One more message to the same user is allowed every this many seconds. */
        @WithDefault("6")
        int refillSeconds();
    }

    interface Latency {
        @WithDefault("30")
        int medianMs();

        @WithDefault("60")
        int p99Ms();
    }

    interface Webhook {
        @WithDefault("http://127.0.0.1:8083/webhooks/whatsapp")
        String url();

        @WithDefault("20")
        int maxStatusesPerRequest();

        @WithDefault("250")
        int retryInitialMs();

        @WithDefault("10000")
        int retryMaxMs();

        @WithDefault("5000")
        int timeoutMs();

        /** Webhook events waiting or being retried; above it new events are dropped and counted. */
        @WithDefault("200000")
        int queueCapacity();

        /** Concurrent webhook requests; Meta too delivers a number's webhooks over few connections. */
        @WithDefault("16")
        int maxInFlight();
    }

    interface Outcomes {
        @WithDefault("0.95")
        double delivered();

        @WithDefault("0.6")
        double read();

        @WithDefault("0.1")
        double reply();

        @WithDefault("0.02")
        double optOut();

        @WithDefault("0.03")
        double order();
    }

    interface Delays {
        @WithDefault("50")
        int sentMinMs();

        @WithDefault("250")
        int sentMaxMs();

        @WithDefault("200")
        int deliveredMinMs();

        @WithDefault("1500")
        int deliveredMaxMs();

        @WithDefault("1000")
        int readMinMs();

        @WithDefault("5000")
        int readMaxMs();

        @WithDefault("1000")
        int inboundMinMs();

        @WithDefault("5000")
        int inboundMaxMs();
    }

    interface Chaos {
        @WithDefault("0.01")
        double duplicate();

        @WithDefault("0.02")
        double reorder();
    }

    interface Injection {
        /** Error injection by the recipient number's last four digits (README table). */
        @WithDefault("true")
        boolean enabled();

        /** How long a number ending in 0408 waits before its (successful) answer. */
        @WithDefault("30000")
        int slowResponseMs();
    }

    interface Order {
        @WithDefault("100000000000009")
        String catalogId();

        @WithDefault("tour-bali-7n,tour-goa-3n")
        List<String> productRetailerIds();

        @WithDefault("INR")
        String currency();

        @WithDefault("45000")
        double itemPrice();
    }
}
