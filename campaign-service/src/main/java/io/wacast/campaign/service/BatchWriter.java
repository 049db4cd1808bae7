package io.wacast.campaign.service;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.wacast.campaign.domain.OptOut;
import io.wacast.campaign.repository.ContactRepository;
import io.wacast.campaign.repository.CounterRepository;
import io.wacast.campaign.repository.PacingRepository;
import io.wacast.campaign.repository.PauseRequestRepository;
import io.wacast.campaign.repository.RecipientRepository;
import io.wacast.campaign.repository.RecipientRepository.Applicable;
import io.wacast.campaign.repository.StatsRepository;
import io.wacast.campaign.repository.SuppressionRepository;
import io.wacast.common.phone.PhoneNumberResult;
import io.wacast.common.phone.PhoneNumbers;
import io.wacast.common.status.RecipientStatus;

/**
 * Writes one batch's changes ({@link BatchChanges}) in the batch's transaction, where the campaign's
 * counters change: the changed recipient rows (in id order), the status counters, timeline buckets
 * and error breakdown by the same transitions, pacing counts, suppressions and opt-ins, engagement
 * credits, and last the pause requests. Recipient rows are locked before counter rows, as everywhere.
 */
@ApplicationScoped
public class BatchWriter {

    private static final Logger LOG = Logger.getLogger(BatchWriter.class);
    private static final Set<String> LIFTED_BY_OPT_IN = Set.of(OptOut.SOURCE_REPLY, OptOut.SOURCE_PREFERENCE,
            OptOut.SOURCE_META);

    private final RecipientRepository recipients;
    private final CounterRepository counters;
    private final StatsRepository stats;
    private final PacingRepository pacing;
    private final SuppressionRepository suppression;
    private final ContactRepository contacts;
    private final EngagementCredits credits;
    private final PauseRequestRepository pauseRequests;

    BatchWriter(RecipientRepository recipients, CounterRepository counters, StatsRepository stats, PacingRepository pacing,
            SuppressionRepository suppression, ContactRepository contacts, EngagementCredits credits,
            PauseRequestRepository pauseRequests) {
        this.recipients = recipients;
        this.counters = counters;
        this.stats = stats;
        this.pacing = pacing;
        this.suppression = suppression;
        this.contacts = contacts;
        this.credits = credits;
        this.pauseRequests = pauseRequests;
    }

    /** Writes the batch; {@code rollupsOfOthers} writes what other classes gathered, after the recipient rows. */
    void write(BatchChanges batch, Instant now, Runnable rollupsOfOthers) {
        List<Applicable> changed = new ArrayList<>();
        CounterRepository.Deltas statusDeltas = new CounterRepository.Deltas();
        StatsRepository.ErrorDeltas errorDeltas = new StatsRepository.ErrorDeltas();
        for (Applicable after : batch.current.values()) {
            Applicable before = batch.initial.get(after.id());
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
        changed.sort(Comparator.comparingLong(Applicable::id));
        recipients.applyChanges(changed, now);
        counters.apply(statusDeltas);
        stats.apply(batch.timeline);
        stats.apply(errorDeltas);
        pacing.apply(batch.pacing);
        suppression.suppress(batch.optOuts.values(), now);
        suppression.lift(batch.optIns, LIFTED_BY_OPT_IN);
        contacts.recordOptIns(countries(batch.consents.keySet()), batch.consents, now);
        credits.write(batch);
        rollupsOfOthers.run(); // BSUIDs and charges (issue 17 §2, §6)
        // Last: the request rows are the only ones a pause transaction also locks.
        pauseRequests.request(batch.pauses, false, now);
        pauseRequests.request(batch.accountStops, true, now);
        batch.optOuts.keySet().forEach(phone -> LOG.debugf("%s suppressed by an event", PhoneNumbers.mask(phone)));
    }

    /** The error breakdown counts recipients that currently stand failed (or opted out) with a Meta code. */
    private static boolean countsAsError(Applicable r) {
        return r.lastErrorCode() != null
                && (r.status() == RecipientStatus.FAILED || r.status() == RecipientStatus.OPTED_OUT);
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
}
