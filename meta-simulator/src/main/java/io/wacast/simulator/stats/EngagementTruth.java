package io.wacast.simulator.stats;

import io.wacast.simulator.webhook.WebhookPayload;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Currency;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * What users answered one campaign, as the simulator delivered it: inbound messages by Meta's
 * {@code type} (a STOP is a text), button presses by payload and the orders' value per currency in
 * minor units (ISO 4217 digits, half-even per order and currency): the yardstick of the campaign's
 * {@code replies}, {@code buttons} and {@code revenue} stats. Injected duplicate copies are not counted.
 */
public final class EngagementTruth {

    private final Map<String, LongAdder> repliesByType = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> buttonsByPayload = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> revenueMinor = new ConcurrentHashMap<>();
    private final LongAdder unquoted = new LongAdder();

    void delivered(WebhookPayload.Message message) {
        if (message == null) {
            return;
        }
        if (message.order() != null) {
            Map<String, BigDecimal> sums = new TreeMap<>();
            for (WebhookPayload.ProductItem item : message.order().productItems()) {
                sums.merge(item.currency(), item.itemPrice().multiply(BigDecimal.valueOf(item.quantity())), BigDecimal::add);
            }
            sums.forEach((currency, sum) -> revenueMinor.computeIfAbsent(currency, c -> new LongAdder())
                    .add(sum.movePointRight(Currency.getInstance(currency).getDefaultFractionDigits())
                            .setScale(0, RoundingMode.HALF_EVEN).longValueExact()));
            return;
        }
        repliesByType.computeIfAbsent(message.type(), t -> new LongAdder()).increment();
        if (message.context() == null) {
            unquoted.increment();
        }
        if (message.button() != null && message.button().payload() != null) {
            buttonsByPayload.computeIfAbsent(message.button().payload(), p -> new LongAdder()).increment();
        }
    }

    /** @return replies by type, buttons by payload and revenue by currency, each sorted */
    Engagement view() {
        return new Engagement(sums(repliesByType), sums(buttonsByPayload), sums(revenueMinor), unquoted.sum());
    }

    private static Map<String, Long> sums(Map<String, LongAdder> adders) {
        Map<String, Long> out = new TreeMap<>();
        adders.forEach((key, adder) -> out.put(key, adder.sum()));
        return out;
    }

    /**
     * @param replies inbound messages (not orders) by Meta's type
     * @param buttons quick-reply presses by payload
     * @param revenueMinor order value per currency, in minor units
     * @param unquoted inbound messages (not orders) without {@code context}: credited by the reply window
     */
    public record Engagement(Map<String, Long> replies, Map<String, Long> buttons, Map<String, Long> revenueMinor,
            long unquoted) {
    }
}
