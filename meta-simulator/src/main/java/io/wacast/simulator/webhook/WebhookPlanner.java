package io.wacast.simulator.webhook;

import io.wacast.simulator.config.SettingsStore;
import io.wacast.simulator.config.SimulationSettings;
import io.wacast.simulator.service.GraphError;
import io.wacast.simulator.stats.SimulatorStats;
import io.wacast.simulator.stats.WebhookKind;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Decides the life of an accepted message as Meta would report it: {@code sent}, then perhaps
 * {@code delivered}, {@code read} and a reply, an opt-out or an order, each after a random delay;
 * or a single {@code failed} for an undeliverable one. It also plays Meta's quirks: a status
 * delivered twice, {@code read} before {@code delivered}.
 */
@ApplicationScoped
public class WebhookPlanner {

    private static final long DUPLICATE_LAG_MAX_MS = 2_000;

    private final SettingsStore settings;
    private final SimulatorStats stats;
    private final WebhookDeliverer deliverer;
    /** Users who wrote to us, by wa_id, with when: their 24-hour customer-service window is open. */
    private final Map<Long, Long> lastInboundAt = new ConcurrentHashMap<>();

    public WebhookPlanner(SettingsStore settings, SimulatorStats stats, WebhookDeliverer deliverer) {
        this.settings = settings;
        this.stats = stats;
        this.deliverer = deliverer;
    }

    private record Timed(PlannedEvent event, long atMillis) {
    }

    public void plan(AcceptedMessage message) {
        SimulationSettings s = settings.get();
        ThreadLocalRandom random = ThreadLocalRandom.current();
        int generation = stats.generation();
        long now = System.currentTimeMillis();
        List<Timed> events = new ArrayList<>();

        long sentAt = now + between(random, s.delays().sent());
        if (message.failureCode() != null) {
            events.add(new Timed(status(generation, message, WebhookKind.FAILED, sentAt, message.failureCode()), sentAt));
        } else {
            events.add(new Timed(status(generation, message, WebhookKind.SENT, sentAt, null), sentAt));
            if (random.nextDouble() < s.outcomes().delivered()) {
                long deliveredAt = sentAt + between(random, s.delays().delivered());
                boolean read = random.nextDouble() < s.outcomes().read();
                long readAt = deliveredAt + between(random, s.delays().read());
                long deliveredSendAt = deliveredAt;
                long readSendAt = readAt;
                if (read && random.nextDouble() < s.chaos().reorder()) {
                    deliveredSendAt = readAt;
                    readSendAt = deliveredAt;
                    stats.reorderInjected();
                }
                events.add(new Timed(status(generation, message, WebhookKind.DELIVERED, deliveredAt, null), deliveredSendAt));
                if (read) {
                    events.add(new Timed(status(generation, message, WebhookKind.READ, readAt, null), readSendAt));
                    long inboundAt = readAt + between(random, s.delays().inbound());
                    PlannedEvent inbound = inbound(generation, message, s, random, inboundAt);
                    if (inbound != null) {
                        events.add(new Timed(inbound, inboundAt));
                    }
                }
            }
        }
        for (Timed timed : events) {
            deliverer.schedule(timed.event(), timed.atMillis() - now);
            if (random.nextDouble() < s.chaos().duplicate()) {
                stats.duplicateInjected();
                deliverer.schedule(timed.event().asDuplicate(), timed.atMillis() - now + random.nextLong(DUPLICATE_LAG_MAX_MS));
            }
        }
    }

    /** Whether the user wrote to the business within the last 24 hours (free-form messages allowed). */
    public boolean customerServiceWindowOpen(long recipient) {
        Long at = lastInboundAt.get(recipient);
        return at != null && System.currentTimeMillis() - at < 24 * 3_600_000L;
    }

    public void reset() {
        lastInboundAt.clear();
    }

    /** Forgets the users whose customer-service window has closed. */
    public void evictClosedWindows() {
        long cutoff = System.currentTimeMillis() - 24 * 3_600_000L;
        lastInboundAt.values().removeIf(at -> at < cutoff);
    }

    private PlannedEvent status(int generation, AcceptedMessage m, WebhookKind kind, long atMillis, Integer errorCode) {
        String name = kind.name().toLowerCase(java.util.Locale.ROOT);
        WebhookPayload.Conversation conversation = null;
        WebhookPayload.Pricing pricing = null;
        List<WebhookPayload.Error> errors = null;
        if (kind == WebhookKind.SENT || kind == WebhookKind.DELIVERED) {
            conversation = new WebhookPayload.Conversation(conversationId(m),
                    kind == WebhookKind.SENT ? seconds(atMillis + 24 * 3_600_000L) : null,
                    new WebhookPayload.Origin(m.category()));
            pricing = new WebhookPayload.Pricing(true, "PMP", m.category(), "regular");
        }
        if (errorCode != null) {
            GraphError error = GraphError.of(errorCode);
            errors = List.of(new WebhookPayload.Error(errorCode, error.title(), error.title(),
                    new WebhookPayload.ErrorData(error.details()),
                    "https://developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes/"));
        }
        // sent to the number: recipient_id is always there, recipient_user_id when the user has a BSUID
        // (failed statuses of messages sent to a number carry none, as Meta documents)
        SimulatedUsers.User user = SimulatedUsers.of(m.recipient(), settings.get().users());
        WebhookPayload.Status status = new WebhookPayload.Status(m.wamid(), name, seconds(atMillis), m.recipient(),
                m.callbackData(), conversation, pricing, errors, kind == WebhookKind.FAILED ? null : user.bsuid());
        return new PlannedEvent(generation, m.number(), kind, m.campaignId(), errorCode, false, status, null, null);
    }

    private PlannedEvent inbound(int generation, AcceptedMessage m, SimulationSettings s, ThreadLocalRandom random,
            long atMillis) {
        double roll = random.nextDouble();
        SimulationSettings.Outcomes o = s.outcomes();
        WebhookKind kind;
        if (roll < o.reply()) {
            kind = WebhookKind.REPLY;
        } else if (roll < o.reply() + o.optOut()) {
            kind = WebhookKind.OPT_OUT;
        } else if (roll < o.reply() + o.optOut() + o.order()) {
            kind = WebhookKind.ORDER;
        } else {
            return null;
        }
        WebhookPayload.Context context = new WebhookPayload.Context(m.number().displayDigits(), m.wamid());
        String id = Wamids.next(m.recipient());
        String timestamp = seconds(atMillis);
        SimulatedUsers.User user = SimulatedUsers.of(m.recipient(), s.users());
        String from = user.visibleWaId();
        ReplyChoice.Pressed pressed = kind == WebhookKind.REPLY ? ReplyChoice.pressedButton(m.quickReplies(), s.replies(), random) : null;
        WebhookPayload.Context textContext = ReplyChoice.quotes(s.replies(), random) ? context : null;
        WebhookPayload.Message message = switch (kind) {
            case REPLY -> pressed == null
                    ? new WebhookPayload.Message(from, id, timestamp, "text", textContext,
                            new WebhookPayload.Text("Interested! Please share more details."), null, null, user.bsuid())
                    : new WebhookPayload.Message(from, id, timestamp, "button", context, null,
                            new WebhookPayload.Button(pressed.payload(), pressed.text()), null, user.bsuid());
            case OPT_OUT -> new WebhookPayload.Message(from, id, timestamp, "text", textContext,
                    new WebhookPayload.Text("STOP"), null, null, user.bsuid());
            default -> new WebhookPayload.Message(from, id, timestamp, "order", context, null, null,
                    order(s.order(), random), user.bsuid());
        };
        lastInboundAt.put(Long.parseLong(m.recipient()), atMillis);
        String suffix = m.recipient().substring(Math.max(0, m.recipient().length() - 4));
        WebhookPayload.Contact contact = new WebhookPayload.Contact(new WebhookPayload.Profile("Sim User " + suffix,
                user.withholdsNumber() ? "sim_user_" + suffix : null), from, user.bsuid());
        return new PlannedEvent(generation, m.number(), kind, m.campaignId(), null, false, null, message, contact);
    }

    private static WebhookPayload.Order order(SimulationSettings.Order config, ThreadLocalRandom random) {
        List<String> products = config.productRetailerIds();
        String product = products.get(random.nextInt(products.size()));
        return new WebhookPayload.Order(config.catalogId(), "I would like to book this",
                List.of(new WebhookPayload.ProductItem(product, 1 + random.nextInt(3), config.itemPrice(),
                        config.currency())));
    }

    /** One conversation per user and category per day is how Meta opened them; close enough here. */
    private static String conversationId(AcceptedMessage m) {
        return Integer.toHexString((m.recipient() + m.category()).hashCode() & 0x7fffffff)
                + Long.toHexString(System.currentTimeMillis() / 86_400_000L);
    }

    private static long between(ThreadLocalRandom random, SimulationSettings.Range range) {
        return range.maxMs() <= range.minMs() ? range.minMs() : random.nextLong(range.minMs(), range.maxMs() + 1L);
    }

    private static String seconds(long epochMillis) {
        return String.valueOf(Instant.ofEpochMilli(epochMillis).getEpochSecond());
    }
}
