package io.wacast.campaign.service;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.wacast.campaign.config.CampaignConfig;
import io.wacast.campaign.domain.PhoneHash;
import io.wacast.campaign.repository.EngagementRepository;
import io.wacast.campaign.repository.OutboxRepository;
import io.wacast.campaign.repository.RecipientRepository.Applicable;
import io.wacast.common.Topics;
import io.wacast.common.event.OrderAttribution;
import io.wacast.common.status.RecipientStatus;

/**
 * Credits replies, button presses and orders to the campaigns they answer (docs/DESIGN.md §4, §11 D18),
 * within a batch's transaction: by the wamid they quote or within the window, exactly once per inbound
 * message id whatever Kafka redelivers; an answer that quotes a wamid no recipient has yet waits for
 * it, and one that quotes nothing and finds no send to its number waits for one. Writes the credits, the recipients messaged, and each order's {@link OrderAttribution} through
 * the outbox (metric {@code wacast_applier_engagement_total{type,result}}).
 */
@ApplicationScoped
public class EngagementCredits {

    private final CampaignConfig config;
    private final EventTargets eventTargets;
    private final EngagementRepository engagement;
    private final OutboxRepository outbox;
    private final ObjectMapper json;
    private final Map<String, Counter> credits = new HashMap<>();

    EngagementCredits(CampaignConfig config, EventTargets targets, EngagementRepository engagement, OutboxRepository outbox,
            ObjectMapper json, MeterRegistry registry) {
        this.config = config;
        this.eventTargets = targets;
        this.engagement = engagement;
        this.outbox = outbox;
        this.json = json;
        for (Engagement.Type type : Engagement.Type.values()) {
            for (String result : List.of("context", "window", "awaiting", "unattributed", "duplicate")) {
                credits.put(type + "/" + result, Counter.builder("wacast.applier.engagement")
                        .description("Replies and orders the applier credited to campaigns, by how")
                        .tag("type", type.name().toLowerCase(Locale.ROOT)).tag("result", result)
                        .register(registry));
            }
        }
    }

    /** The message ids among these events' replies or orders ({@code type}) that were credited before. */
    Set<String> creditedBefore(List<Evidence> events, Engagement.Type type) {
        Set<String> ids = new HashSet<>();
        for (Evidence e : events) {
            if (e.engagement() != null && e.engagement().type() == type) {
                ids.add(e.engagement().messageId());
            }
        }
        return type == Engagement.Type.ORDER ? engagement.ordersRecorded(ids) : engagement.repliesRecorded(ids);
    }

    /**
     * Credits the event's reply or order by the wamid it quotes, or lets it wait for that wamid; one that
     * quotes nothing is credited by {@link #creditAwaiting} once the batch's own sends are known.
     */
    void credit(BatchChanges batch, Evidence e, EventTargets.Targets targets) {
        Engagement g = e.engagement();
        if (g.contextWamid() == null) {
            batch.unquoted.add(g);
        } else if (targets.creditedTo(e) != null) {
            credit(batch, g, targets.creditedTo(e), OrderAttribution.BY_CONTEXT);
        } else {
            await(batch, g);
        }
    }

    /**
     * Credits a reply or an order to the recipient (and so the campaign) it answers: counted once per
     * inbound message id, whatever redelivery brings it again; a reply that responds makes the
     * recipient {@code responded}. Without a recipient it is counted as unattributed.
     */
    private void credit(BatchChanges batch, Engagement g, Long recipientId, String by) {
        Applicable row = batch.row(recipientId);
        if (row == null) {
            credits.get(g.type() + "/unattributed").increment();
            return;
        }
        Set<String> recorded = g.type() == Engagement.Type.ORDER ? batch.ordersRecorded : batch.repliesRecorded;
        if (!recorded.add(g.messageId())) {
            credits.get(g.type() + "/duplicate").increment();
            return;
        }
        credits.get(g.type() + "/" + by).increment();
        long campaign = row.campaignId();
        batch.touched.add(campaign);
        if (g.type() == Engagement.Type.ORDER) {
            batch.orders.add(new EngagementRepository.Order(g.messageId(), campaign, row.id(), by, g.at()));
            batch.orderPhones.put(g.messageId(), g.phone() != null ? g.phone() : g.eventId()); // a BSUID not mapped yet
            batch.orderEventIds.put(g.messageId(), g.eventId());
            batch.engagementDeltas.add(campaign, EngagementRepository.Metric.ORDERS, "", 1);
            g.revenue().forEach((currency, minor) ->
                    batch.engagementDeltas.add(campaign, EngagementRepository.Metric.REVENUE, currency, minor));
            return;
        }
        batch.replies.add(new EngagementRepository.Reply(g.messageId(), campaign, row.id(), g.kind(), g.payload(), by,
                config.engagement().storeReplyText() ? g.text() : null, g.at()));
        batch.engagementDeltas.add(campaign, EngagementRepository.Metric.REPLY, g.kind(), 1);
        if (g.payload() != null) {
            batch.engagementDeltas.add(campaign, EngagementRepository.Metric.BUTTON, g.payload(), 1);
        }
        if (g.responds()) {
            Evidence responded = new Evidence(g.eventId(), null, null, Evidence.Effect.ADVANCE,
                    RecipientStatus.RESPONDED, null, null, null, null, null, null, g.at());
            Applicable next = RecipientSteps.advanced(row, responded);
            if (!next.equals(row)) {
                batch.move(row, next, g.at());
            }
        }
    }

    /** A reply or order that quotes a wamid no recipient has yet waits for it (the webhook overtook the outcome). */
    private void await(BatchChanges batch, Engagement g) {
        Long known = batch.wamidsRecordedHere().get(g.contextWamid());
        if (known != null) {
            credit(batch, g, known, OrderAttribution.BY_CONTEXT);
            return;
        }
        waitFor(batch, g);
    }

    /** Lets an answer wait (in {@code awaiting_attribution}, once the batch is written), counted as awaiting. */
    private void waitFor(BatchChanges batch, Engagement g) {
        credits.get(g.type() + "/awaiting").increment();
        batch.awaiting.add(g);
    }

    /**
     * After the batch's events: credits its answers that quote nothing to the latest campaign that messaged
     * their number within the window, this batch's sends included, or lets them wait for such a send (the
     * webhook overtook the outcome); then credits the answers that waited for a wamid or a number this batch
     * recorded.
     */
    void creditAwaiting(BatchChanges batch, EventTargets.Targets targets) {
        Map<String, List<EngagementRepository.Messaged>> sentHere = batch.messagedHere();
        for (Engagement g : batch.unquoted) {
            EngagementRepository.Messaged latest = latest(targets.latestSend(g),
                    eventTargets.latestAnswered(sentHere.getOrDefault(PhoneHash.of(g.phone()), List.of()), g));
            if (latest != null) {
                credit(batch, g, latest.recipientId(), OrderAttribution.BY_WINDOW);
            } else {
                waitFor(batch, g);
            }
        }
        Map<String, Long> recorded = batch.wamidsRecordedHere();
        // answers of this batch that came before the outcome recording their wamid, in the same batch
        for (Iterator<Engagement> it = batch.awaiting.iterator(); it.hasNext();) {
            Engagement g = it.next();
            Long recipient = g.contextWamid() == null ? null : recorded.get(g.contextWamid());
            if (recipient != null) {
                it.remove();
                credit(batch, g, recipient, OrderAttribution.BY_CONTEXT);
            }
        }
        for (EngagementRepository.Awaiting waiting : engagement.takeAwaiting(recorded.keySet())) {
            Engagement g = read(waiting);
            if (!creditedAlready(batch, g)) {
                credit(batch, g, recorded.get(waiting.contextWamid()), OrderAttribution.BY_CONTEXT);
            }
        }
        List<EngagementRepository.Awaiting> answered = new ArrayList<>();
        for (EngagementRepository.Awaiting waiting : engagement.awaitingSends(sentHere.keySet())) {
            Engagement g = read(waiting);
            EngagementRepository.Messaged send = eventTargets.latestAnswered(sentHere.get(waiting.phoneHash()), g);
            if (send == null) {
                continue; // sent after the answer: it answered another message, or none
            }
            answered.add(waiting);
            if (!creditedAlready(batch, g)) {
                credit(batch, g, send.recipientId(), OrderAttribution.BY_WINDOW);
            }
        }
        engagement.forget(answered);
    }

    /** Whether this inbound message id was credited before, in this batch or an earlier one. */
    private boolean creditedAlready(BatchChanges batch, Engagement g) {
        boolean order = g.type() == Engagement.Type.ORDER;
        if (order ? batch.ordersRecorded.contains(g.messageId()) : batch.repliesRecorded.contains(g.messageId())) {
            return true;
        }
        return !(order ? engagement.ordersRecorded(List.of(g.messageId()))
                : engagement.repliesRecorded(List.of(g.messageId()))).isEmpty();
    }

    /** The later of two sends (by time, then campaign id), either of which may be missing. */
    private static EngagementRepository.Messaged latest(EngagementRepository.Messaged a, EngagementRepository.Messaged b) {
        if (a == null || b == null) {
            return a == null ? b : a;
        }
        return BatchChanges.NEWEST_FIRST.compare(a, b) <= 0 ? a : b;
    }

    private Engagement read(EngagementRepository.Awaiting waiting) {
        try {
            return json.readValue(waiting.engagement(), Engagement.class);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("an awaiting engagement cannot be read", e);
        }
    }

    /** An answer as it waits: its JSON without the text unless the operator keeps reply texts. */
    private EngagementRepository.Awaiting waiting(Engagement g) {
        Engagement kept = config.engagement().storeReplyText() ? g : g.withoutText();
        try {
            return new EngagementRepository.Awaiting(g.eventId(), g.contextWamid(),
                    g.contextWamid() == null ? PhoneHash.of(g.phone()) : null, json.writeValueAsString(kept), g.at());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise an engagement", e);
        }
    }

    /** Writes the batch's credits: who was messaged, replies, orders with their attributions, counts, waiting answers. */
    void write(BatchChanges batch) {
        List<EngagementRepository.Messaged> messaged = new ArrayList<>();
        batch.messagedHere().values().forEach(messaged::addAll);
        engagement.recordMessaged(messaged);
        engagement.recordReplies(batch.replies);
        if (!batch.orders.isEmpty()) {
            Set<Long> converted = new HashSet<>(engagement.recipientsWithOrders(
                    batch.orders.stream().map(EngagementRepository.Order::recipientId).toList()));
            List<OutboxRepository.Pending> attributions = new ArrayList<>();
            for (EngagementRepository.Order order : batch.orders) {
                if (converted.add(order.recipientId())) {
                    batch.engagementDeltas.add(order.campaignId(), EngagementRepository.Metric.CONVERTED, "", 1);
                }
                attributions.add(new OutboxRepository.Pending(batch.orderPhones.get(order.messageId()), new OrderAttribution(
                        UUID.nameUUIDFromBytes(("attribution\u001f" + order.messageId())
                                .getBytes(StandardCharsets.UTF_8)).toString(),
                        OrderAttribution.SCHEMA_VERSION, order.messageId(), batch.orderEventIds.get(order.messageId()),
                        order.campaignId(), order.recipientId(), order.attributedBy(), order.at())));
            }
            engagement.recordOrders(batch.orders);
            outbox.enqueueAll(Topics.ATTRIBUTIONS, attributions);
        }
        engagement.apply(batch.engagementDeltas);
        engagement.await(batch.awaiting.stream().map(this::waiting).toList());
    }
}
