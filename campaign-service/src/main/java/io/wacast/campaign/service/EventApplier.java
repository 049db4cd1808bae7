package io.wacast.campaign.service;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.wacast.campaign.config.CampaignConfig;
import io.wacast.campaign.domain.ConsentSource;
import io.wacast.campaign.domain.Contact;
import io.wacast.campaign.domain.OptOut;
import io.wacast.campaign.domain.PhoneHash;
import io.wacast.campaign.domain.ResendState;
import io.wacast.campaign.repository.ContactRepository;
import io.wacast.campaign.repository.CounterRepository;
import io.wacast.campaign.repository.EngagementRepository;
import io.wacast.campaign.repository.OutboxRepository;
import io.wacast.campaign.repository.PauseRequestRepository;
import io.wacast.campaign.repository.ProcessedEventRepository;
import io.wacast.campaign.repository.RecipientRepository;
import io.wacast.campaign.repository.RecipientRepository.Applicable;
import io.wacast.campaign.repository.StatsRepository;
import io.wacast.campaign.repository.StatsRepository.TimelineDeltas;
import io.wacast.campaign.repository.SuppressionRepository;
import io.wacast.common.Topics;
import io.wacast.common.event.OrderAttribution;
import io.wacast.common.meta.MetaErrorPolicy;
import io.wacast.common.meta.MetaErrorPolicy.Action;
import io.wacast.common.phone.PhoneNumberResult;
import io.wacast.common.phone.PhoneNumbers;
import io.wacast.common.status.RecipientStatus;

/**
 * Applies a batch of outcomes and webhook events (docs/DESIGN.md §2 step 5, §4) in one transaction:
 * idempotent on eventId, recipient statuses only move forward ({@link RecipientStatus#advance}), and
 * the status counters, timeline buckets and error breakdown change in the same transaction as the
 * recipient rows, so they change exactly once per transition and always equal the rows. Recipient
 * rows are locked before counter rows, as everywhere. Campaign rows change afterwards, in transactions
 * of their own ({@link CampaignReactions}: auto-pause, account stop, completion), so the applier
 * never holds a recipient lock while waiting for a campaign row the dispatcher holds. The pauses a batch calls for are recorded in
 * the batch's transaction ({@link PauseRequestRepository}) and performed from there: once the batch
 * committed, its events are duplicates, and a redelivery would never call for the pause again.
 */
@ApplicationScoped
public class EventApplier {

    private static final Logger LOG = Logger.getLogger(EventApplier.class);
    private static final Set<String> LIFTED_BY_OPT_IN = Set.of(OptOut.SOURCE_REPLY, OptOut.SOURCE_PREFERENCE,
            OptOut.SOURCE_META);

    /** What one batch did, and what it asks of campaign rows once committed. */
    public record Result(int applied, int duplicates, int skipped, int mismatched, Set<Long> failuresIn,
            Set<Long> touched) {
    }

    private final CampaignConfig config;
    private final ProcessedEventRepository processed;
    private final RecipientRepository recipients;
    private final CounterRepository counters;
    private final StatsRepository stats;
    private final SuppressionRepository suppression;
    private final ContactRepository contacts;
    private final CampaignReactions reactions;
    private final PauseRequestRepository pauseRequests;
    /** Messages Meta held by template pacing, per campaign (V20); a field so the constructor stays as it is. */
    @jakarta.inject.Inject
    io.wacast.campaign.repository.PacingRepository pacingCounts;
    /** Business-scoped user ids and Meta's charges (issue 17 §2, §6): fields so the constructor stays as it is. */
    @jakarta.inject.Inject
    UserIdentities identities;
    @jakarta.inject.Inject
    CampaignCharges charges;
    private final EngagementRepository engagement;
    private final OutboxRepository outbox;
    private final ObjectMapper json;
    private final Counter applied;
    private final Counter duplicates;
    private final Counter skipped;
    private final Counter mismatched;
    private final Map<String, Counter> credits = new HashMap<>();

    EventApplier(CampaignConfig config, ProcessedEventRepository processed, RecipientRepository recipients,
            CounterRepository counters, StatsRepository stats, SuppressionRepository suppression,
            ContactRepository contacts, CampaignReactions reactions, PauseRequestRepository pauseRequests,
            EngagementRepository engagement, OutboxRepository outbox, ObjectMapper json, MeterRegistry registry) {
        this.config = config;
        this.processed = processed;
        this.recipients = recipients;
        this.counters = counters;
        this.stats = stats;
        this.suppression = suppression;
        this.contacts = contacts;
        this.reactions = reactions;
        this.pauseRequests = pauseRequests;
        this.engagement = engagement;
        this.outbox = outbox;
        this.json = json;
        String name = "wacast.applier.events";
        String description = "Outcomes and webhook events consumed by the applier";
        this.applied = Counter.builder(name).description(description).tag("result", "applied").register(registry);
        this.duplicates = Counter.builder(name).description(description).tag("result", "duplicate").register(registry);
        this.skipped = Counter.builder(name).description(description).tag("result", "skipped").register(registry);
        this.mismatched = Counter.builder(name).description(description).tag("result", "mismatched").register(registry);
        for (Engagement.Type type : Engagement.Type.values()) {
            for (String result : List.of("context", "window", "awaiting", "unattributed", "duplicate")) {
                credits.put(type + "/" + result, Counter.builder("wacast.applier.engagement")
                        .description("Replies and orders the applier credited to campaigns, by how")
                        .tag("type", type.name().toLowerCase(java.util.Locale.ROOT)).tag("result", result)
                        .register(registry));
            }
        }
    }

    /** Applies the batch, then the campaign changes it calls for; safe to call again with the same batch. */
    public Result apply(List<Evidence> batch) {
        Result result = commit(batch);
        reactions.react(result);
        return result;
    }

    /**
     * The batch's own transaction, without the campaign changes that follow it. Package-private so a
     * test can stop right after it, where a crash or a failed pause transaction would leave things.
     */
    Result commit(List<Evidence> batch) {
        Result result = QuarkusTransaction.requiringNew().timeout(120).call(() -> applyInTransaction(batch));
        applied.increment(result.applied());
        duplicates.increment(result.duplicates());
        skipped.increment(result.skipped());
        mismatched.increment(result.mismatched());
        return result;
    }

    private Result applyInTransaction(List<Evidence> batch) {
        Instant now = Instant.now();
        Map<String, Evidence> unique = new LinkedHashMap<>();
        for (Evidence evidence : batch) {
            unique.putIfAbsent(evidence.eventId(), evidence);
        }
        int duplicateCount = batch.size() - unique.size();
        Set<String> seen = processed.alreadyProcessed(unique.keySet());
        duplicateCount += seen.size();
        UserIdentities.Resolution users = identities.resolve(
                unique.values().stream().filter(e -> !seen.contains(e.eventId())).toList());
        List<Evidence> fresh = users.evidence();

        Set<String> wamids = new HashSet<>();
        for (Evidence e : fresh) {
            if (e.targetsRecipient() && e.job() == null && e.lookupWamid() != null) {
                wamids.add(e.lookupWamid());
            }
            if (e.engagement() != null && e.engagement().contextWamid() != null) {
                wamids.add(e.engagement().contextWamid());
            }
        }
        Map<String, Long> byWamid = recipients.idsByWamid(wamids);
        Map<String, Long> byWindow = windowTargets(fresh, now);
        Set<Long> ids = new TreeSet<>();
        for (Evidence e : fresh) {
            Long id = recipientId(e, byWamid);
            if (id != null) {
                ids.add(id);
            }
            Long credited = creditedRecipient(e, byWamid, byWindow);
            if (credited != null) {
                ids.add(credited);
            }
        }
        Map<Long, Applicable> initial = recipients.lockForApply(ids);
        processed.record(fresh.stream().map(Evidence::eventId).toList(), now);
        Set<String> replyIds = new HashSet<>();
        Set<String> orderIds = new HashSet<>();
        for (Evidence e : fresh) {
            if (e.engagement() != null) {
                (e.engagement().type() == Engagement.Type.ORDER ? orderIds : replyIds).add(e.engagement().messageId());
            }
        }

        Batch work = new Batch(initial, engagement.repliesRecorded(replyIds), engagement.ordersRecorded(orderIds));
        int skippedCount = 0;
        int mismatchedCount = 0;
        for (Evidence e : fresh) {
            Fate fate = work.accept(e, recipientId(e, byWamid));
            if (e.engagement() != null) {
                Engagement g = e.engagement();
                Long byContext = g.contextWamid() == null ? null : byWamid.get(g.contextWamid());
                if (g.contextWamid() == null) {
                    work.credit(g, byWindow.get(e.eventId()), OrderAttribution.BY_WINDOW);
                } else if (byContext != null) {
                    work.credit(g, byContext, OrderAttribution.BY_CONTEXT);
                } else {
                    work.await(g);
                }
                fate = fate == Fate.SKIPPED ? Fate.APPLIED : fate;
            }
            switch (fate) {
                case SKIPPED -> skippedCount++;
                case MISMATCHED -> mismatchedCount++;
                case APPLIED -> {
                }
            }
        }
        work.creditAwaiting();
        work.write(now, () -> {
            users.write(now); // after the recipient rows, like every other write of the batch
            charges.record(fresh);
        });
        return new Result(fresh.size() - skippedCount - mismatchedCount, duplicateCount, skippedCount, mismatchedCount,
                work.failuresIn, work.touched);
    }

    /**
     * For each reply or order that quotes nothing, the recipient of the latest campaign that messaged its
     * number within the window of its type, by event id (docs/DESIGN.md §4: latest campaign wins).
     */
    private Map<String, Long> windowTargets(List<Evidence> fresh, Instant now) {
        Map<String, Long> targets = new HashMap<>();
        Instant earliest = null;
        Set<String> hashes = new HashSet<>();
        for (Evidence e : fresh) {
            Engagement g = e.engagement();
            if (g != null && g.contextWamid() == null) {
                hashes.add(PhoneHash.of(g.phone()));
                Instant from = g.at().minus(window(g.type()));
                earliest = earliest == null || from.isBefore(earliest) ? from : earliest;
            }
        }
        if (hashes.isEmpty()) {
            return targets;
        }
        Map<String, List<EngagementRepository.Messaged>> messaged = engagement.messaged(hashes, earliest);
        for (Evidence e : fresh) {
            Engagement g = e.engagement();
            if (g == null || g.contextWamid() != null) {
                continue;
            }
            Instant from = g.at().minus(window(g.type()));
            // Meta's timestamps have whole seconds: a reply in the second of the send may read as before it
            Instant to = g.at().plusSeconds(1);
            for (EngagementRepository.Messaged m : messaged.getOrDefault(PhoneHash.of(g.phone()), List.of())) {
                if (!m.sentAt().isBefore(from) && !m.sentAt().isAfter(to)) {
                    targets.put(e.eventId(), m.recipientId());
                    break;
                }
            }
        }
        return targets;
    }

    private java.time.Duration window(Engagement.Type type) {
        return type == Engagement.Type.ORDER ? config.engagement().orderWindow() : config.engagement().replyWindow();
    }

    private static Long creditedRecipient(Evidence e, Map<String, Long> byWamid, Map<String, Long> byWindow) {
        Engagement g = e.engagement();
        if (g == null) {
            return null;
        }
        return g.contextWamid() == null ? byWindow.get(e.eventId()) : byWamid.get(g.contextWamid());
    }

    private static Long recipientId(Evidence e, Map<String, Long> byWamid) {
        if (!e.targetsRecipient()) {
            return null;
        }
        return e.job() != null ? Long.valueOf(e.job().recipientId()) : byWamid.get(e.lookupWamid());
    }

    /** What became of one event in a batch. */
    private enum Fate {
        APPLIED,
        /** About nobody we know: another tool's message, another module's test. */
        SKIPPED,
        /** A status of a message that is not the recipient's (docs/DESIGN.md §4, status integrity). */
        MISMATCHED
    }

    /** The changes of one batch, accumulated in memory and written in a handful of statements. */
    private final class Batch {

        final Map<Long, Applicable> initial;
        final Map<Long, Applicable> current;
        final TimelineDeltas timeline = new TimelineDeltas();
        final Map<String, SuppressionRepository.Entry> optOuts = new LinkedHashMap<>();
        final Set<String> optIns = new HashSet<>();
        /** The contact book's side of each opt-in: source whatsapp_reply, the event as evidence. */
        final Map<String, Contact.OptIn> consents = new HashMap<>();
        final Map<Long, String> pauses = new TreeMap<>();
        final Map<Long, String> accountStops = new TreeMap<>();
        final Set<Long> failuresIn = new TreeSet<>();
        final Set<Long> touched = new TreeSet<>();
        final io.wacast.campaign.repository.PacingRepository.Deltas pacing =
                new io.wacast.campaign.repository.PacingRepository.Deltas();
        /** Replies and orders credited (message ids already credited before: {@code recorded*}). */
        final Set<String> repliesRecorded;
        final Set<String> ordersRecorded;
        final List<EngagementRepository.Reply> replies = new ArrayList<>();
        final List<EngagementRepository.Order> orders = new ArrayList<>();
        final Map<String, String> orderPhones = new HashMap<>();
        final Map<String, String> orderEventIds = new HashMap<>();
        final List<EngagementRepository.Awaiting> awaiting = new ArrayList<>();
        final EngagementRepository.Deltas engagementDeltas = new EngagementRepository.Deltas();
        /** Recipients whose wamid this batch recorded first, with when: who was messaged. */
        final Map<Long, Instant> firstSent = new HashMap<>();

        Batch(Map<Long, Applicable> initial, Set<String> repliesRecorded, Set<String> ordersRecorded) {
            this.initial = initial;
            this.current = new HashMap<>(initial);
            this.repliesRecorded = new HashSet<>(repliesRecorded);
            this.ordersRecorded = new HashSet<>(ordersRecorded);
        }

        /**
         * Credits a reply or an order to the recipient (and so the campaign) it answers: counted once per
         * inbound message id, whatever redelivery brings it again; a reply that responds makes the
         * recipient {@code responded}. Without a recipient it is counted as unattributed.
         */
        void credit(Engagement g, Long recipientId, String by) {
            Applicable row = recipientId == null ? null : current.get(recipientId);
            if (row == null) {
                credits.get(g.type() + "/unattributed").increment();
                return;
            }
            Set<String> recorded = g.type() == Engagement.Type.ORDER ? ordersRecorded : repliesRecorded;
            if (!recorded.add(g.messageId())) {
                credits.get(g.type() + "/duplicate").increment();
                return;
            }
            credits.get(g.type() + "/" + by).increment();
            long campaign = row.campaignId();
            touched.add(campaign);
            if (g.type() == Engagement.Type.ORDER) {
                orders.add(new EngagementRepository.Order(g.messageId(), campaign, row.id(), by, g.at()));
                orderPhones.put(g.messageId(), g.phone() != null ? g.phone() : g.eventId()); // a BSUID not mapped yet
                orderEventIds.put(g.messageId(), g.eventId());
                engagementDeltas.add(campaign, EngagementRepository.Metric.ORDERS, "", 1);
                g.revenue().forEach((currency, minor) ->
                        engagementDeltas.add(campaign, EngagementRepository.Metric.REVENUE, currency, minor));
                return;
            }
            replies.add(new EngagementRepository.Reply(g.messageId(), campaign, row.id(), g.kind(), g.payload(), by,
                    config.engagement().storeReplyText() ? g.text() : null, g.at()));
            engagementDeltas.add(campaign, EngagementRepository.Metric.REPLY, g.kind(), 1);
            if (g.payload() != null) {
                engagementDeltas.add(campaign, EngagementRepository.Metric.BUTTON, g.payload(), 1);
            }
            if (g.responds()) {
                Evidence responded = new Evidence(g.eventId(), null, null, Evidence.Effect.ADVANCE,
                        RecipientStatus.RESPONDED, null, null, null, null, null, null, g.at());
                Applicable next = advanced(row, responded);
                if (!next.equals(row)) {
                    step(row, next, g.at());
                    current.put(row.id(), next);
                }
            }
        }

        /** A reply or order that quotes a wamid no recipient has yet waits for it (the webhook overtook the outcome). */
        void await(Engagement g) {
            Long known = wamidsRecordedHere().get(g.contextWamid());
            if (known != null) {
                credit(g, known, OrderAttribution.BY_CONTEXT);
                return;
            }
            credits.get(g.type() + "/awaiting").increment();
            try {
                awaiting.add(new EngagementRepository.Awaiting(g.eventId(), g.contextWamid(), json.writeValueAsString(g),
                        g.at()));
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new IllegalStateException("cannot serialise an engagement", e);
            }
        }

        /** Credits the answers that waited for a wamid this batch recorded. */
        void creditAwaiting() {
            Map<String, Long> recorded = wamidsRecordedHere();
            // answers of this batch that came before the outcome recording their wamid, in the same batch
            for (java.util.Iterator<EngagementRepository.Awaiting> it = awaiting.iterator(); it.hasNext();) {
                EngagementRepository.Awaiting waiting = it.next();
                Long recipient = recorded.get(waiting.contextWamid());
                if (recipient != null) {
                    it.remove();
                    credit(read(waiting), recipient, OrderAttribution.BY_CONTEXT);
                }
            }
            for (EngagementRepository.Awaiting waiting : engagement.takeAwaiting(recorded.keySet())) {
                Engagement g = read(waiting);
                if (g.type() == Engagement.Type.ORDER ? ordersRecorded.contains(g.messageId())
                        : repliesRecorded.contains(g.messageId())) {
                    continue;
                }
                Set<String> already = g.type() == Engagement.Type.ORDER
                        ? engagement.ordersRecorded(List.of(g.messageId()))
                        : engagement.repliesRecorded(List.of(g.messageId()));
                if (already.isEmpty()) {
                    credit(g, recorded.get(waiting.contextWamid()), OrderAttribution.BY_CONTEXT);
                }
            }
        }

        private Engagement read(EngagementRepository.Awaiting waiting) {
            try {
                return json.readValue(waiting.engagement(), Engagement.class);
            } catch (java.io.IOException e) {
                throw new IllegalStateException("an awaiting engagement cannot be read", e);
            }
        }

        /** The wamids first recorded on a recipient in this batch. */
        private Map<String, Long> wamidsRecordedHere() {
            Map<String, Long> found = new HashMap<>();
            for (Applicable row : current.values()) {
                Applicable before = initial.get(row.id());
                if (row.wamid() != null && (before == null || before.wamid() == null)) {
                    found.put(row.wamid(), row.id());
                }
            }
            return found;
        }

        Fate accept(Evidence e, Long recipientId) {
            if ((e.effect() == Evidence.Effect.OPT_OUT || e.effect() == Evidence.Effect.OPT_IN) && e.phone() == null) {
                return Fate.APPLIED; // a BSUID whose number is not known: UserIdentities listed the BSUID
            }
            switch (e.effect()) {
                case OPT_OUT -> {
                    optIns.remove(e.phone());
                    consents.remove(e.phone());
                    optOuts.put(e.phone(), new SuppressionRepository.Entry(e.phone(), e.phoneSource(),
                            OptOut.SOURCE_PREFERENCE.equals(e.phoneSource()) ? "stopped marketing messages in WhatsApp"
                                    : "opt-out reply"));
                    return Fate.APPLIED;
                }
                case OPT_IN -> {
                    optOuts.remove(e.phone());
                    optIns.add(e.phone());
                    consents.put(e.phone(), new Contact.OptIn(ConsentSource.WHATSAPP_REPLY, e.at(),
                            (OptOut.SOURCE_PREFERENCE.equals(e.phoneSource()) ? "resumed marketing messages in WhatsApp"
                                    : "opt-in reply") + " (event " + e.eventId() + ")"));
                    return Fate.APPLIED;
                }
                case NONE -> {
                    return Fate.SKIPPED;
                }
                default -> {
                }
            }
            Applicable row = recipientId == null ? null : current.get(recipientId);
            if (row == null || (e.job() != null && row.campaignId() != e.job().campaignId())) {
                return Fate.SKIPPED;
            }
            if (e.effect() == Evidence.Effect.REPORT && !aboutItsMessage(row, e)) {
                LOG.debugf("status %s of message %s ignored: recipient %d stands %s with message %s", e.status(),
                        e.wamid(), row.id(), row.status(), row.wamid());
                return Fate.MISMATCHED;
            }
            Applicable next = e.effect() == Evidence.Effect.DEFER ? deferred(row, e) : advanced(row, e);
            if (!next.equals(row)) {
                step(row, next, e.at());
                current.put(row.id(), next);
                if (next.status() == RecipientStatus.OPTED_OUT && row.status() != RecipientStatus.OPTED_OUT) {
                    optIns.remove(row.phone());
                    consents.remove(row.phone());
                    optOuts.putIfAbsent(row.phone(), new SuppressionRepository.Entry(row.phone(), OptOut.SOURCE_META,
                            "Meta error 131050: " + MetaErrorPolicy.meaning(131050)));
                }
            }
            Action action = e.action();
            if (action != null && action.pausesCampaign()) {
                String reason = "auto-paused: " + describe(e);
                (action.stopsAccount() ? accountStops : pauses).putIfAbsent(row.campaignId(), reason);
            }
            if (e.messageStatus() != null && io.wacast.campaign.repository.PacingRepository.PACED.contains(e.messageStatus())) {
                pacing.add(row.campaignId(), e.messageStatus()); // once per applied outcome: duplicates never get here
            }
            return Fate.APPLIED;
        }

        private Applicable advanced(Applicable row, Evidence e) {
            RecipientStatus status = RecipientStatus.advance(row.status(), e.status());
            String wamid = row.wamid() != null ? row.wamid() : e.wamid();
            boolean endsInError = status != row.status()
                    && (status == RecipientStatus.FAILED || status == RecipientStatus.OPTED_OUT);
            return endsInError ? row.with(status, wamid, e.errorCode(), e.errorMessage())
                    : row.with(status, wamid, row.lastErrorCode(), row.lastErrorMessage());
        }

        /**
         * The sender dropped the job (campaign paused, outside its window, account stopped) and released
         * it in its ledger: the recipient goes back to pending and is dispatched again with the same job
         * id. Only a deferral of the current dispatch counts; one older than queuedAt is stale. For an
         * unknown recipient it was the safety net's re-send that was dropped (one from before the
         * decision is stale): the recipient is undecided again, so the sweep re-sends it later.
         */
        private Applicable deferred(Applicable row, Evidence e) {
            if (row.status() == RecipientStatus.UNKNOWN) {
                boolean ofTheResend = row.resendState() == ResendState.RESENT && row.resendDecidedAt() != null
                        && !e.at().isBefore(row.resendDecidedAt());
                return ofTheResend ? row.undecided() : row;
            }
            boolean inFlight = row.status() == RecipientStatus.QUEUED || row.status() == RecipientStatus.SENDING
                    || row.status() == RecipientStatus.RETRY;
            boolean current = row.queuedAt() == null || !e.at().isBefore(row.queuedAt());
            return inFlight && current ? row.with(RecipientStatus.PENDING, row.wamid(), row.lastErrorCode(),
                    row.lastErrorMessage()) : row;
        }

        private void writeEngagement() {
            List<EngagementRepository.Messaged> messaged = new ArrayList<>();
            firstSent.forEach((id, at) -> {
                Applicable row = current.get(id);
                messaged.add(new EngagementRepository.Messaged(PhoneHash.of(row.phone()), row.campaignId(), id, at));
            });
            engagement.recordMessaged(messaged);
            engagement.recordReplies(replies);
            if (!orders.isEmpty()) {
                Set<Long> converted = new HashSet<>(engagement.recipientsWithOrders(
                        orders.stream().map(EngagementRepository.Order::recipientId).toList()));
                List<OutboxRepository.Pending> attributions = new ArrayList<>();
                for (EngagementRepository.Order order : orders) {
                    if (converted.add(order.recipientId())) {
                        engagementDeltas.add(order.campaignId(), EngagementRepository.Metric.CONVERTED, "", 1);
                    }
                    attributions.add(new OutboxRepository.Pending(orderPhones.get(order.messageId()), new OrderAttribution(
                            java.util.UUID.nameUUIDFromBytes(("attribution\u001f" + order.messageId())
                                    .getBytes(java.nio.charset.StandardCharsets.UTF_8)).toString(),
                            OrderAttribution.SCHEMA_VERSION, order.messageId(), orderEventIds.get(order.messageId()),
                            order.campaignId(), order.recipientId(), order.attributedBy(), order.at())));
                }
                engagement.recordOrders(orders);
                outbox.enqueueAll(Topics.ATTRIBUTIONS, attributions);
            }
            engagement.apply(engagementDeltas);
            engagement.await(awaiting);
        }

        /** Timeline buckets of one transition: milestones are cumulative, each counted once per recipient. */
        private void step(Applicable before, Applicable after, Instant at) {
            long campaign = before.campaignId();
            touched.add(campaign);
            if (!reachedSent(before) && reachedSent(after)) {
                timeline.add(campaign, at, TimelineDeltas.SENT);
            }
            if (before.wamid() == null && after.wamid() != null) {
                firstSent.putIfAbsent(after.id(), at);
            }
            if (crossed(before, after, RecipientStatus.DELIVERED)) {
                timeline.add(campaign, at, TimelineDeltas.DELIVERED);
            }
            if (crossed(before, after, RecipientStatus.READ)) {
                timeline.add(campaign, at, TimelineDeltas.READ);
            }
            if (after.status() == RecipientStatus.FAILED && before.status() != RecipientStatus.FAILED) {
                timeline.add(campaign, at, TimelineDeltas.FAILED);
                failuresIn.add(campaign);
            }
            if (!settled(before) && settled(after)) {
                timeline.add(campaign, at, TimelineDeltas.ATTEMPTS);
            }
        }

        void write(Instant now, Runnable rollupsOfOthers) {
            List<Applicable> changed = new ArrayList<>();
            CounterRepository.Deltas statusDeltas = new CounterRepository.Deltas();
            StatsRepository.ErrorDeltas errorDeltas = new StatsRepository.ErrorDeltas();
            for (Applicable after : current.values()) {
                Applicable before = initial.get(after.id());
                if (after.equals(before)) {
                    continue;
                }
                changed.add(after);
                statusDeltas.move(after.campaignId(), before.status(), after.status(), 1);
                if (countsAsError(before)) {
                    errorDeltas.add(before.campaignId(), before.lastErrorCode(), -1);
                }
                if (countsAsError(after)) {
                    errorDeltas.add(after.campaignId(), after.lastErrorCode(), 1);
                }
            }
            changed.sort(java.util.Comparator.comparingLong(Applicable::id));
            recipients.applyChanges(changed, now);
            counters.apply(statusDeltas);
            stats.apply(timeline);
            stats.apply(errorDeltas);
            pacingCounts.apply(pacing);
            suppression.suppress(optOuts.values(), now);
            suppression.lift(optIns, LIFTED_BY_OPT_IN);
            contacts.recordOptIns(countries(consents.keySet()), consents, now);
            writeEngagement();
            rollupsOfOthers.run(); // BSUIDs and charges (issue 17 §2, §6)
            // Last: the request rows are the only ones a pause transaction also locks.
            pauseRequests.request(pauses, false, now);
            pauseRequests.request(accountStops, true, now);
            optOuts.keySet().forEach(phone -> LOG.debugf("%s suppressed by an event", PhoneNumbers.mask(phone)));
        }
    }

    /**
     * Whether a status webhook is about the message Meta accepted for this recipient: its wamid is the
     * recorded one; or none is recorded yet and the recipient may have been accepted all the same (the
     * sender's answer is still on its way, it is {@code unknown}, or its send raced a cancel). Never for
     * a recipient that was never sent or that Meta refused at send time (failed or opted out without a
     * wamid).
     */
    static boolean aboutItsMessage(Applicable row, Evidence e) {
        if (row.wamid() != null) {
            return row.wamid().equals(e.wamid());
        }
        return switch (row.status()) {
            case PENDING, FAILED, OPTED_OUT -> false;
            default -> true;
        };
    }

    /** The region of each number (all E.164 already), for contacts an opt-in creates. */
    private static Map<String, String> countries(Set<String> phones) {
        Map<String, String> countries = new HashMap<>();
        for (String phone : phones) {
            if (PhoneNumbers.normalise(phone, null) instanceof PhoneNumberResult.Valid valid) {
                countries.put(phone, valid.regionCode());
            }
        }
        return countries;
    }

    /** Accepted by Meta at some point: it has a wamid, or a status at or above sent other than failed. */
    static boolean reachedSent(Applicable r) {
        return r.wamid() != null || (r.status().rank() >= RecipientStatus.SENT.rank() && r.status() != RecipientStatus.FAILED);
    }

    /** The send attempt has an answer: accepted, failed, or refused as opted out. */
    static boolean settled(Applicable r) {
        return reachedSent(r) || r.status() == RecipientStatus.FAILED || r.status() == RecipientStatus.OPTED_OUT;
    }

    private static boolean crossed(Applicable before, Applicable after, RecipientStatus milestone) {
        return before.status().rank() < milestone.rank() && after.status().rank() >= milestone.rank();
    }

    /** The error breakdown counts recipients that currently stand failed (or opted out) with a Meta code. */
    private static boolean countsAsError(Applicable r) {
        return r.lastErrorCode() != null
                && (r.status() == RecipientStatus.FAILED || r.status() == RecipientStatus.OPTED_OUT);
    }

    private static String describe(Evidence e) {
        return e.errorCode() == null ? Objects.toString(e.errorMessage(), "account stopped by the sender")
                : "Meta error " + e.errorCode() + " (" + MetaErrorPolicy.meaning(e.errorCode()) + ")";
    }
}
