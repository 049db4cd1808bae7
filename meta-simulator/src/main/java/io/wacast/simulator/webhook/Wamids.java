package io.wacast.simulator.webhook;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.concurrent.ThreadLocalRandom;

/** Message ids shaped like Meta's ({@code wamid.} and base64), unique and opaque to their users. */
public final class Wamids {

    public static String next(String recipientDigits) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        String raw = recipientDigits + ":" + Long.toHexString(random.nextLong()).toUpperCase(java.util.Locale.ROOT)
                + Long.toHexString(random.nextLong()).toUpperCase(java.util.Locale.ROOT);
        return "wamid.HBgM" + Base64.getEncoder().encodeToString(raw.getBytes(StandardCharsets.US_ASCII));
    }

    private Wamids() {
    }
}
