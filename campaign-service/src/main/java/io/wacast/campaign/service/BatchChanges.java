package io.wacast.campaign.service;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import io.wacast.campaign.domain.Contact;
import io.wacast.campaign.domain.PhoneHash;
import io.wacast.campaign.repository.EngagementRepository;
import io.wacast.campaign.repository.PacingRepository;
import io.wacast.campaign.repository.RecipientRepository.Applicable;
import io.wacast.campaign.repository.StatsRepository.TimelineDeltas;
import io.wacast.campaign.repository.SuppressionRepository;
import io.wacast.common.status.RecipientStatus;

/**
 * The changes of one applied batch, accumulated in memory by {@link RecipientSteps} and
 * {@link EngagementCredits} and written in a handful of statements by {@link BatchWriter}: the locked
 * recipient rows as they were and as they are now, and everything their transitions and the batch's
 * answers call for. Lives for one batch transaction, on one thread.
 */
final class BatchChanges {

    /** The recipient rows as locked at the start of the batch, by id. */
    final Map<Long, Applicable> initial;
    /** The same rows with every transition of the batch so far. */
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
    final PacingRepository.Deltas pacing = new PacingRepository.Deltas();
    /** Replies and orders credited (message ids already credited before: {@code recorded*}). */
    final Set<String> repliesRecorded;
    final Set<String> ordersRecorded;
    final List<EngagementRepository.Reply> replies = new ArrayList<>();
    final List<EngagementRepository.Order> orders = new ArrayList<>();
    final Map<String, String> orderPhones = new HashMap<>();
    final Map<String, String> orderEventIds = new HashMap<>();
    /** Answers that quote nothing, credited once the batch's own sends are known. */
    final List<Engagement> unquoted = new ArrayList<>();
    /** Answers that wait for the wamid they quote, or for a send to their number. */
    final List<Engagement> awaiting = new ArrayList<>();
    final EngagementRepository.Deltas engagementDeltas = new EngagementRepository.Deltas();
    /** Recipients whose wamid this batch recorded first, with when: who was messaged. */
    final Map<Long, Instant> firstSent = new HashMap<>();
    /** {@link #messagedHere()} as last worked out; null when a first send was recorded since. */
    private Map<String, List<EngagementRepository.Messaged>> messagedHere;

    BatchChanges(Map<Long, Applicable> initial, Set<String> repliesRecorded, Set<String> ordersRecorded) {
        this.initial = initial;
        this.current = new HashMap<>(initial);
        this.repliesRecorded = new HashSet<>(repliesRecorded);
        this.ordersRecorded = new HashSet<>(ordersRecorded);
    }

    /** The recipient row as the batch has it now; null for an id not locked by the batch. */
    Applicable row(Long recipientId) {
        return recipientId == null ? null : current.get(recipientId);
    }

    /** One transition of a recipient: its row, and its timeline buckets (milestones cumulative, each counted once). */
    void move(Applicable before, Applicable after, Instant at) {
        long campaign = before.campaignId();
        touched.add(campaign);
        if (!reachedSent(before) && reachedSent(after)) {
            timeline.add(campaign, at, TimelineDeltas.SENT);
        }
        if (before.wamid() == null && after.wamid() != null && firstSent.putIfAbsent(after.id(), at) == null) {
            messagedHere = null;
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
        current.put(before.id(), after);
    }

    /**
     * Who this batch records as messaged (a recipient's first wamid), newest first by number's SHA-256;
     * worked out once (a hash per send) until another first send is recorded.
     */
    Map<String, List<EngagementRepository.Messaged>> messagedHere() {
        if (messagedHere != null) {
            return messagedHere;
        }
        Map<String, List<EngagementRepository.Messaged>> byNumber = new HashMap<>();
        firstSent.forEach((id, at) -> {
            Applicable row = current.get(id);
            String hash = PhoneHash.of(row.phone());
            byNumber.computeIfAbsent(hash, h -> new ArrayList<>())
                    .add(new EngagementRepository.Messaged(hash, row.campaignId(), id, at));
        });
        byNumber.values().forEach(sends -> sends.sort(NEWEST_FIRST));
        messagedHere = byNumber;
        return byNumber;
    }

    /** Sends by time, then campaign id, both descending: the order the window lookup reads them in. */
    static final Comparator<EngagementRepository.Messaged> NEWEST_FIRST = Comparator
            .comparing(EngagementRepository.Messaged::sentAt).thenComparingLong(EngagementRepository.Messaged::campaignId)
            .reversed();

    /** The wamids first recorded on a recipient in this batch. */
    Map<String, Long> wamidsRecordedHere() {
        Map<String, Long> found = new HashMap<>();
        for (Applicable row : current.values()) {
            Applicable before = initial.get(row.id());
            if (row.wamid() != null && (before == null || before.wamid() == null)) {
                found.put(row.wamid(), row.id());
            }
        }
        return found;
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
}
