package io.wacast.simulator.config;

/**
 * A business phone number of the simulated account: its Graph id, the number users see (E.164) and
 * the WhatsApp Business Account that owns it (the {@code entry[].id} of its webhooks).
 */
public record BusinessNumber(String phoneNumberId, String displayPhoneNumber, String wabaId) {

    /** The display number as Meta writes it in webhook metadata and {@code context.from}: digits only. */
    public String displayDigits() {
        return displayPhoneNumber.replaceAll("\\D", "");
    }

    public static BusinessNumber from(SimulatorConfig.BusinessNumber config) {
        return new BusinessNumber(config.phoneNumberId(), config.displayPhoneNumber(), config.wabaId());
    }
}
