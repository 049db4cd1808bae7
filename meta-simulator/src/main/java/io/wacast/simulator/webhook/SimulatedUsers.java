package io.wacast.simulator.webhook;

import io.wacast.common.phone.PhoneNumberResult;
import io.wacast.common.phone.PhoneNumbers;
import io.wacast.simulator.config.SimulationSettings;

/**
 * Who a simulated user is to Meta: their business-scoped user id (docs/META.md, "Business-scoped user
 * IDs": country, '.', digits) and whether they withhold their number. Both are derived from the number
 * alone, so every webhook about one user agrees, across restarts too.
 */
final class SimulatedUsers {

    /** A user's identifiers as Meta's webhooks show them; {@code bsuid} null without one. */
    record User(String waId, String bsuid, boolean withholdsNumber) {

        /** {@code from} / {@code wa_id} of the user's own messages: absent when the number is withheld. */
        String visibleWaId() {
            return withholdsNumber ? null : waId;
        }
    }

    private SimulatedUsers() {
    }

    static User of(String waId, SimulationSettings.Users users) {
        if (users == null || users.bsuidShare() <= 0) {
            return new User(waId, null, false);
        }
        long hash = mix(waId.hashCode());
        boolean hasBsuid = fraction(hash) < users.bsuidShare();
        if (!hasBsuid) {
            return new User(waId, null, false);
        }
        boolean withholds = fraction(mix(hash)) < users.withoutPhoneShare();
        return new User(waId, country(waId) + "." + Long.toUnsignedString(mix(hash ^ 0x5DEECE66DL)), withholds);
    }

    private static String country(String waId) {
        return PhoneNumbers.normalise("+" + waId, null) instanceof PhoneNumberResult.Valid valid
                && valid.regionCode() != null && valid.regionCode().length() == 2 ? valid.regionCode() : "US";
    }

    private static double fraction(long hash) {
        return (hash >>> 11) * 0x1.0p-53;
    }

    /** SplitMix64's finaliser: a well-spread 64-bit value from any seed. */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }
}
