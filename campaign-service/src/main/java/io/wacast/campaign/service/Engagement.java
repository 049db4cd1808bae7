package io.wacast.campaign.service;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.Currency;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import io.wacast.common.event.InboundEvent;
import io.wacast.common.event.InboundKind;
import io.wacast.common.event.OrderEvent;

/**
 * A user's answer to the campaigns, as the applier credits it (docs/DESIGN.md §4, "Replies, buttons
 * and orders"): an inbound message (a reply, a button press, a STOP) or an order. It is credited to the
 * campaign whose message it quotes ({@code contextWamid}), else to the latest campaign that messaged
 * the number within the window of its type.
 *
 * @param messageId Meta's id of the inbound message: the identity that keeps a redelivery from counting twice
 * @param phone the user's number in E.164; null for a user known only by BSUID whose number is not
 *     known (such an answer is credited only when it quotes a campaign's message)
 * @param kind for a reply, what the user sent: {@code text}, {@code button}, {@code interactive},
 *     {@code media}, {@code location}, {@code contacts} or {@code other}; null for an order
 * @param payload a button press's payload (also of an opt-out button), else null
 * @param responds whether the reply makes its recipient {@code responded} (a STOP does not)
 * @param text the reply's text; kept only when the operator turned storage on
 * @param revenue an order's value per currency in minor units, summed over its items
 */
public record Engagement(Type type, String eventId, String messageId, String phone, String contextWamid, String kind,
        String payload, boolean responds, String text, Map<String, Long> revenue, Instant at) {

    public enum Type {
        REPLY,
        ORDER
    }

    /** The same answer from the number a BSUID maps to. */
    Engagement withPhone(String mapped) {
        return new Engagement(type, eventId, messageId, mapped, contextWamid, kind, payload, responds, text, revenue, at);
    }

    /** The same answer without its text, to keep it waiting when the operator keeps no reply text. */
    Engagement withoutText() {
        return new Engagement(type, eventId, messageId, phone, contextWamid, kind, payload, responds, null, revenue, at);
    }

    private static final Set<String> MEDIA = Set.of("image", "video", "audio", "document", "sticker");

    /** The inbound message as a reply, or null for what is not one (WhatsApp's preference changes, reactions). */
    static Engagement of(InboundEvent event, String phone, Instant at) {
        if (event.kind() == null || event.kind() == InboundKind.OTHER
                || "user_preferences".equals(event.messageType())) {
            return null;
        }
        String type = event.messageType() == null ? "other" : event.messageType().toLowerCase(Locale.ROOT);
        String kind = type.equals("text") || type.equals("button") || type.equals("interactive")
                || type.equals("location") || type.equals("contacts") ? type : MEDIA.contains(type) ? "media" : "other";
        // an interactive reply of a flow (nfm_reply) carries its response JSON as payload: not a button
        boolean press = event.payload() != null && !event.payload().isEmpty()
                && (type.equals("button") || (type.equals("interactive") && event.kind() != InboundKind.REPLY));
        boolean responds = event.kind() == InboundKind.REPLY || event.kind() == InboundKind.BUTTON;
        return new Engagement(Type.REPLY, event.eventId(), identity(event.messageId(), event.eventId()), phone,
                blankToNull(event.contextWamid()), kind, press ? event.payload() : null, responds, event.text(), null, at);
    }

    static Engagement of(OrderEvent event, String phone, Instant at) {
        return new Engagement(Type.ORDER, event.eventId(), identity(event.messageId(), event.eventId()), phone,
                blankToNull(event.contextWamid()), null, null, false, null, revenue(event.items()), at);
    }

    /**
     * Price × quantity summed per currency, then in the currency's minor units (ISO 4217 digits; two for
     * a code Java does not know), rounded half-even once per currency. Items without a price, currency
     * or positive quantity add nothing.
     */
    static Map<String, Long> revenue(List<OrderEvent.Item> items) {
        Map<String, BigDecimal> sums = new TreeMap<>();
        for (OrderEvent.Item item : items) {
            if (item == null || item.itemPrice() == null || item.currency() == null || item.quantity() <= 0
                    || item.currency().strip().length() != 3) {
                continue;
            }
            sums.merge(item.currency().strip().toUpperCase(Locale.ROOT),
                    item.itemPrice().multiply(BigDecimal.valueOf(item.quantity())), BigDecimal::add);
        }
        Map<String, Long> minor = new TreeMap<>();
        sums.forEach((currency, sum) -> minor.put(currency,
                sum.movePointRight(fractionDigits(currency)).setScale(0, RoundingMode.HALF_EVEN).longValueExact()));
        return minor;
    }

    private static int fractionDigits(String code) {
        try {
            int digits = Currency.getInstance(code).getDefaultFractionDigits();
            return digits < 0 ? 2 : digits;
        } catch (IllegalArgumentException unknown) {
            return 2;
        }
    }

    private static String identity(String messageId, String eventId) {
        String id = messageId == null || messageId.isBlank() ? "event:" + eventId : messageId;
        return id.length() <= 191 ? id : id.substring(0, 191);
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }
}
