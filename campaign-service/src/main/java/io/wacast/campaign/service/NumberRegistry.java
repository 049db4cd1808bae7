package io.wacast.campaign.service;

import java.time.Instant;
import java.util.Map;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import io.quarkus.runtime.StartupEvent;
import io.wacast.campaign.config.CampaignConfig;
import io.wacast.campaign.config.CampaignConfig.NumberRegistration;
import io.wacast.campaign.repository.SignalRepository;

/**
 * Writes the configured registry of business numbers ({@code wacast.campaign.numbers."<id>".…}) into
 * {@code whatsapp_numbers} at start, beside what Meta's webhooks said about them, so that
 * {@code GET /api/whatsapp/numbers} shows one registry: id, display number, WABA, cap, the name of the
 * secret holding the token (never the token: tokens live in the sender's secrets), quality and tier.
 * A registration that could hold a token instead of its name stops the start.
 */
@ApplicationScoped
public class NumberRegistry {

    private static final Logger LOG = Logger.getLogger(NumberRegistry.class);
    /** A secret's name: an environment-variable-like identifier, never a token (those are long and mixed case). */
    static final Pattern TOKEN_REF = Pattern.compile("[A-Z][A-Z0-9_]{0,127}");
    private static final Pattern PHONE_NUMBER_ID = Pattern.compile("[0-9]{1,64}");

    private final CampaignConfig config;
    private final SignalRepository signals;

    NumberRegistry(CampaignConfig config, SignalRepository signals) {
        this.config = config;
        this.signals = signals;
    }

    void register(@Observes StartupEvent event) {
        register(Instant.now());
    }

    /** Checks every registration, then writes those with a display number (Meta's webhooks name numbers by it). */
    void register(Instant now) {
        for (Map.Entry<String, NumberRegistration> entry : config.numbers().entrySet()) {
            String id = entry.getKey();
            NumberRegistration number = entry.getValue();
            if (!PHONE_NUMBER_ID.matcher(id).matches()) {
                throw new IllegalStateException("wacast.campaign.numbers: '" + id + "' is not a phone-number id (digits)");
            }
            number.accessTokenRef().ifPresent(ref -> {
                if (!TOKEN_REF.matcher(ref).matches()) {
                    throw new IllegalStateException("wacast.campaign.numbers.\"" + id + "\".access-token-ref must name the"
                            + " secret that holds the token (upper case, digits, '_', e.g. WACAST_META_ACCESS_TOKEN_SHOP2),"
                            + " never the token itself");
                }
            });
            if (number.throughput().isPresent() && number.throughput().getAsInt() <= 0) {
                throw new IllegalStateException("wacast.campaign.numbers.\"" + id + "\".throughput must be positive");
            }
            String display = config.displayDigitsOf(id);
            if (display == null || display.isEmpty()) {
                LOG.warnf("number %s has no display-number: registered in configuration only; Meta's number webhooks"
                        + " cannot be matched to it", id);
                continue;
            }
            signals.register(display, id, number.wabaId().orElse(null),
                    number.throughput().isPresent() ? number.throughput().getAsInt() : null,
                    number.accessTokenRef().orElse(null), now);
        }
        if (!config.numbers().isEmpty()) {
            LOG.infof("registered %d business numbers", config.numbers().size());
        }
    }
}
