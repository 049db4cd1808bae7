package io.wacast.systemtests;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The recipients of one test campaign as the CSV the operator uploads: Indian mobiles unique to the
 * campaign (the suppression list outlives campaigns, and a STOP reply of an earlier run must not
 * suppress a number of this one), the plain ones ending in 1000–9999 — clear of every fault the
 * simulator injects by the last four digits — and a few chosen to fail on purpose, shuffled in.
 */
final class RecipientList {

    /** Simulator fault suffixes this suite uses (meta-simulator README, "Error injection"). */
    static final String UNDELIVERABLE = "0026"; // accepted, then a failed webhook with 131026
    static final String MARKETING_LIMIT = "0049"; // 400, 131049: failed, not retried
    static final String OPTED_OUT = "0050"; // 400, 131050: opted out, suppressed
    static final String FIRST_ATTEMPT_FAILS = "0500"; // 500, 131000 once, accepted on the retry
    static final String ALWAYS_FAILS = "0000"; // 500, 131000 on every attempt: failed after the retries

    /** At most ten numbers per fault: the digit before the suffix is what tells them apart. */
    static final int MAX_PER_FAULT = 10;

    private final List<String> phones;
    private final Map<String, Integer> faults;

    private RecipientList(List<String> phones, Map<String, Integer> faults) {
        this.phones = phones;
        this.faults = faults;
    }

    /**
     * {@code plain} recipients that go through untouched, plus {@code perFault} numbers ending in each
     * of {@code faultSuffixes}, for campaign {@code campaignId}.
     */
    static RecipientList of(long campaignId, int plain, int perFault, String... faultSuffixes) {
        if (plain > 9_000 || perFault > MAX_PER_FAULT) {
            throw new IllegalArgumentException("too many recipients for one campaign's number range");
        }
        // 97/98/99 and three digits of the campaign id: unique per campaign for 3,000 campaigns in one database
        String prefix = "+919" + (7 + (campaignId / 1000) % 3) + String.format("%03d", campaignId % 1000);
        List<String> phones = new ArrayList<>();
        for (int i = 0; i < plain; i++) {
            phones.add(prefix + (11_000 + i)); // 11000..19999: last four digits 1000..9999
        }
        Map<String, Integer> faults = new LinkedHashMap<>();
        for (String suffix : faultSuffixes) {
            for (int d = 0; d < perFault; d++) {
                phones.add(prefix + d + suffix);
            }
            faults.put(suffix, perFault);
        }
        Collections.shuffle(phones, new Random(campaignId));
        return new RecipientList(List.copyOf(phones), Map.copyOf(faults));
    }

    int size() {
        return phones.size();
    }

    int withFault(String suffix) {
        return faults.getOrDefault(suffix, 0);
    }

    /** {@code phone,name,body.1}: the campaign supplies the other variables. */
    String csv() {
        StringBuilder csv = new StringBuilder("phone,name,body.1\n");
        for (int i = 0; i < phones.size(); i++) {
            csv.append(phones.get(i)).append(",Traveller ").append(i).append(",Bali\n");
        }
        return csv.toString();
    }
}
