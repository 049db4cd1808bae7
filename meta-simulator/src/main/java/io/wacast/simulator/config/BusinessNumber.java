package io.wacast.simulator.config;

import io.wacast.common.phone.PhoneNumbers;

/**
 * A business phone number of the simulated account: its Graph id, the number users see (E.164), the
 * WhatsApp Business Account that owns it (the {@code entry[].id} of its webhooks), and, when it has
 * its own, the bearer token its calls must carry and its throughput cap (null: the account's).
 */
public record BusinessNumber(String phoneNumberId, String displayPhoneNumber, String wabaId, String accessToken,
        Integer throughputPerSecond) {

    public BusinessNumber(String phoneNumberId, String displayPhoneNumber, String wabaId) {
        this(phoneNumberId, displayPhoneNumber, wabaId, null, null);
    }

    /** The display number as Meta writes it in webhook metadata and {@code context.from}: digits only. */
    public String displayDigits() {
        return PhoneNumbers.digitsOf(displayPhoneNumber);
    }

    public static BusinessNumber from(SimulatorConfig.BusinessNumber config) {
        return new BusinessNumber(config.phoneNumberId(), config.displayPhoneNumber(), config.wabaId(),
                config.accessToken().orElse(null),
                config.throughputPerSecond().isPresent() ? config.throughputPerSecond().getAsInt() : null);
    }
}
