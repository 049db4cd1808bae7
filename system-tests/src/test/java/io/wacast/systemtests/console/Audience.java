package io.wacast.systemtests.console;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * Recipients of one console test campaign: Indian mobiles unique to the campaign (95/96 and three
 * digits of its id, clear of the 97–99 numbers of the other system tests), the plain ones ending in
 * 1000–9999, which the simulator accepts and delivers, and a few ending in a fault suffix of the
 * simulator (meta-simulator README, "Error injection"), shuffled in.
 */
final class Audience {

    /** Accepted, then a {@code failed} webhook (131026): failed after being sent. */
    static final String UNDELIVERABLE = "0026";
    /** Refused at the API with 131049: failed, never sent. */
    static final String MARKETING_LIMIT = "0049";
    /** Refused at the API with 131050: opted out. */
    static final String OPTED_OUT = "0050";

    private Audience() {
    }

    /** {@code plain} numbers the simulator accepts plus {@code perFault} (≤ 10) numbers for each suffix. */
    static List<String> of(long campaign, int plain, int perFault, String... faultSuffixes) {
        String prefix = "+919" + (5 + (campaign / 1000) % 2) + String.format("%03d", campaign % 1000);
        List<String> phones = new ArrayList<>();
        for (int i = 0; i < plain; i++) {
            phones.add(prefix + (11_000 + i));
        }
        for (String suffix : faultSuffixes) {
            for (int d = 0; d < perFault; d++) {
                phones.add(prefix + d + suffix);
            }
        }
        Collections.shuffle(phones, new Random(campaign));
        return List.copyOf(phones);
    }
}
