package io.wacast.simulator.config;

import io.wacast.common.problem.Problem.FieldError;
import java.math.BigDecimal;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;

/**
 * The knobs of the simulation as one immutable value, served and replaced whole by
 * {@code GET/PUT /sim/config}, so that a request in flight always sees one consistent set.
 */
public record SimulationSettings(
        int throughputPerSecond,
        PairRate pairRate,
        Latency latency,
        Webhooks webhooks,
        Outcomes outcomes,
        Delays delays,
        Chaos chaos,
        Injection injection,
        Order order,
        MarketingMessages marketingMessages,
        Users users,
        Replies replies) {

    /** Meta's limit on a quick-reply button's payload. */
    static final int MAX_BUTTON_PAYLOAD = 256;

    /**
     * Business-scoped user ids: {@code bsuidShare} of the recipients carry a BSUID in every webhook about
     * them (statuses, messages); {@code withoutPhoneShare} of those send their messages with the BSUID
     * alone, as a user with a username who never exposed a number. Who is which is decided by the number
     * itself, so every webhook about one user agrees.
     */
    public record Users(double bsuidShare, double withoutPhoneShare) {
    }

    /**
     * How a user who replies (outcome {@code reply}) answers: to a template with quick-reply buttons, the
     * share {@code buttonPress} presses one, chosen by {@code buttons} (a share per button label; a label
     * not listed is never pressed; none of the template's labels listed: each alike), the others write a
     * text; and of the texts and STOPs, the share {@code unquoted} does not quote our message (no
     * {@code context}: typed in the chat, not swiped to reply). A button press always quotes it, as on
     * WhatsApp.
     */
    public record Replies(double buttonPress, List<ButtonShare> buttons, double unquoted) {
        public Replies {
            buttons = buttons == null ? List.of() : List.copyOf(buttons);
        }
    }

    /**
     * A quick-reply button by its label ({@code text}) and its share; {@code payload} is what a press of it
     * reports in {@code button.payload} when the send set none (null: the label, as before).
     */
    public record ButtonShare(String text, String payload, double share) {

        @com.fasterxml.jackson.annotation.JsonCreator
        public ButtonShare {
        }

        /** A button whose presses report its label as their payload. */
        public ButtonShare(String text, double share) {
            this(text, null, share);
        }
    }

    /**
     * The Marketing Messages API ({@code /marketing_messages}): whether the business portfolio accepted its
     * terms of service; when not, every call to it is answered Meta's error 200.
     */
    public record MarketingMessages(boolean termsAccepted) {
    }

    /** Token bucket per recipient: {@code burst} messages at once, then one every {@code refillSeconds}. */
    public record PairRate(int burst, int refillSeconds) {
    }

    /** Log-normal answer time of the Graph API; zero median disables it. */
    public record Latency(int medianMs, int p99Ms) {
    }

    public record Webhooks(String url, int maxStatusesPerRequest, int retryInitialMs, int retryMaxMs, int timeoutMs) {
    }

    /**
     * Probabilities: {@code delivered} of a sent message, {@code read} of a delivered one, and of a
     * read one either a {@code reply}, an {@code optOut} (STOP) or an {@code order} (they add up to ≤ 1).
     */
    public record Outcomes(double delivered, double read, double reply, double optOut, double order) {
    }

    /** Uniform delays: {@code sent} after acceptance, each later stage after the previous one. */
    public record Delays(Range sent, Range delivered, Range read, Range inbound) {
    }

    public record Range(int minMs, int maxMs) {
    }

    /** Meta's delivery quirks: the same webhook twice, {@code read} before {@code delivered}. */
    public record Chaos(double duplicate, double reorder) {
    }

    public record Injection(boolean enabled, int slowResponseMs) {
    }

    /** What simulated users put in their carts. */
    public record Order(String catalogId, List<String> productRetailerIds, String currency, BigDecimal itemPrice) {
    }

    public static SimulationSettings from(SimulatorConfig config) {
        SimulatorConfig.Delays d = config.delays();
        SimulatorConfig.Webhook w = config.webhook();
        SimulatorConfig.Outcomes o = config.outcomes();
        return new SimulationSettings(
                config.throughputPerSecond(),
                new PairRate(config.pairRate().burst(), config.pairRate().refillSeconds()),
                new Latency(config.latency().medianMs(), config.latency().p99Ms()),
                new Webhooks(w.url(), w.maxStatusesPerRequest(), w.retryInitialMs(), w.retryMaxMs(), w.timeoutMs()),
                new Outcomes(o.delivered(), o.read(), o.reply(), o.optOut(), o.order()),
                new Delays(new Range(d.sentMinMs(), d.sentMaxMs()), new Range(d.deliveredMinMs(), d.deliveredMaxMs()),
                        new Range(d.readMinMs(), d.readMaxMs()), new Range(d.inboundMinMs(), d.inboundMaxMs())),
                new Chaos(config.chaos().duplicate(), config.chaos().reorder()),
                new Injection(config.injection().enabled(), config.injection().slowResponseMs()),
                new Order(config.order().catalogId(), List.copyOf(config.order().productRetailerIds()),
                        config.order().currency(), BigDecimal.valueOf(config.order().itemPrice())),
                new MarketingMessages(config.marketingMessages().termsAccepted()),
                new Users(config.users().bsuidShare(), config.users().withoutPhoneShare()),
                new Replies(config.replies().buttonPress(), List.of(), config.replies().unquoted()));
    }

    /** Every rule the settings break, as the field path and what is wrong; empty when valid. */
    public List<FieldError> violations() {
        List<FieldError> errors = new ArrayList<>();
        positive(errors, "throughputPerSecond", throughputPerSecond);
        if (pairRate == null || latency == null || webhooks == null || outcomes == null || delays == null
                || chaos == null || injection == null || order == null || marketingMessages == null || users == null
                || replies == null) {
            errors.add(FieldError.of("", "every section is required"));
            return errors;
        }
        positive(errors, "pairRate.burst", pairRate.burst);
        positive(errors, "pairRate.refillSeconds", pairRate.refillSeconds);
        notNegative(errors, "latency.medianMs", latency.medianMs);
        if (latency.p99Ms < latency.medianMs) {
            errors.add(FieldError.of("latency.p99Ms", "must be at least latency.medianMs"));
        }
        if (!isHttpUrl(webhooks.url)) {
            errors.add(FieldError.of("webhooks.url", "must be an http(s) URL"));
        }
        positive(errors, "webhooks.maxStatusesPerRequest", webhooks.maxStatusesPerRequest);
        positive(errors, "webhooks.retryInitialMs", webhooks.retryInitialMs);
        if (webhooks.retryMaxMs < webhooks.retryInitialMs) {
            errors.add(FieldError.of("webhooks.retryMaxMs", "must be at least webhooks.retryInitialMs"));
        }
        positive(errors, "webhooks.timeoutMs", webhooks.timeoutMs);
        probability(errors, "outcomes.delivered", outcomes.delivered);
        probability(errors, "outcomes.read", outcomes.read);
        probability(errors, "outcomes.reply", outcomes.reply);
        probability(errors, "outcomes.optOut", outcomes.optOut);
        probability(errors, "outcomes.order", outcomes.order);
        if (outcomes.reply + outcomes.optOut + outcomes.order > 1.0 + 1e-9) {
            errors.add(FieldError.of("outcomes", "reply + optOut + order must not exceed 1"));
        }
        range(errors, "delays.sent", delays.sent);
        range(errors, "delays.delivered", delays.delivered);
        range(errors, "delays.read", delays.read);
        range(errors, "delays.inbound", delays.inbound);
        probability(errors, "chaos.duplicate", chaos.duplicate);
        probability(errors, "chaos.reorder", chaos.reorder);
        notNegative(errors, "injection.slowResponseMs", injection.slowResponseMs);
        probability(errors, "users.bsuidShare", users.bsuidShare);
        probability(errors, "users.withoutPhoneShare", users.withoutPhoneShare);
        if (order.catalogId == null || order.catalogId.isBlank()) {
            errors.add(FieldError.of("order.catalogId", "must not be blank"));
        }
        if (order.productRetailerIds == null || order.productRetailerIds.isEmpty()) {
            errors.add(FieldError.of("order.productRetailerIds", "must name at least one product"));
        }
        if (order.currency == null || order.currency.length() != 3) {
            errors.add(FieldError.of("order.currency", "must be an ISO 4217 code"));
        }
        if (order.itemPrice == null || order.itemPrice.signum() < 0) {
            errors.add(FieldError.of("order.itemPrice", "must be zero or more"));
        }
        probability(errors, "replies.buttonPress", replies.buttonPress);
        probability(errors, "replies.unquoted", replies.unquoted);
        for (int i = 0; i < replies.buttons.size(); i++) {
            ButtonShare share = replies.buttons.get(i);
            if (share == null || share.text == null || share.text.isBlank()) {
                errors.add(FieldError.of("replies.buttons[" + i + "].text", "must name a quick-reply button"));
            } else if (!(share.share >= 0 && share.share < Double.POSITIVE_INFINITY)) {
                errors.add(FieldError.of("replies.buttons[" + i + "].share", "must be zero or more"));
            }
            if (share != null && share.payload != null && (share.payload.isBlank() || share.payload.length() > MAX_BUTTON_PAYLOAD)) {
                errors.add(FieldError.of("replies.buttons[" + i + "].payload",
                        "must be 1 to " + MAX_BUTTON_PAYLOAD + " characters when given"));
            }
        }
        return errors;
    }

    private static void positive(List<FieldError> errors, String field, int value) {
        if (value <= 0) {
            errors.add(FieldError.of(field, "must be positive"));
        }
    }

    private static void notNegative(List<FieldError> errors, String field, int value) {
        if (value < 0) {
            errors.add(FieldError.of(field, "must not be negative"));
        }
    }

    private static void probability(List<FieldError> errors, String field, double value) {
        if (!(value >= 0 && value <= 1)) {
            errors.add(FieldError.of(field, "must be a probability between 0 and 1"));
        }
    }

    private static void range(List<FieldError> errors, String field, Range range) {
        if (range == null) {
            errors.add(FieldError.of(field, "is required"));
        } else if (range.minMs < 0 || range.maxMs < range.minMs) {
            errors.add(FieldError.of(field, "needs 0 <= minMs <= maxMs"));
        }
    }

    private static boolean isHttpUrl(String url) {
        try {
            URI uri = URI.create(url);
            return ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null;
        } catch (RuntimeException e) {
            return false;
        }
    }
}
