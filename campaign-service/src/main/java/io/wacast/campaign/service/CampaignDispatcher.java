package io.wacast.campaign.service;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.wacast.campaign.config.CampaignConfig;
import io.wacast.campaign.domain.TemplateCategory;
import io.wacast.campaign.repository.CampaignRepository;
import io.wacast.campaign.repository.CampaignRepository.DispatchView;
import io.wacast.campaign.repository.CounterRepository;
import io.wacast.campaign.repository.JobTemplates;
import io.wacast.campaign.repository.JobTemplates.JobTemplate;
import io.wacast.campaign.repository.OutboxRepository;
import io.wacast.campaign.repository.RecipientRepository;
import io.wacast.campaign.repository.RecipientRepository.ClaimedRecipient;
import io.wacast.campaign.repository.RecipientRepository.Standing;
import io.wacast.common.Topics;
import io.wacast.common.event.JobId;
import io.wacast.common.event.SendJob;
import io.wacast.common.status.RecipientStatus;

/**
 * Turns pending recipients of sending campaigns into SendJobs. A recipient becomes {@code queued} in
 * the same transaction that writes its job to the outbox, so a job is published if and only if its
 * recipient is queued. Flow control: at most {@code max-in-flight} jobs per campaign wait for an
 * outcome, and nothing is dispatched outside the campaign's send window.
 */
@ApplicationScoped
public class CampaignDispatcher {

    /** Why a recipient of a marketing campaign was not sent although not suppressed. */
    public static final String NO_MARKETING_OPT_IN = "no marketing opt-in recorded for this number";

    /**
     * A claim starts after the last recipient id this replica claimed, so that it does not walk the
     * index entries earlier rounds left delete-marked (RecipientRepository#claimPending); from the
     * start when that point is older than this.
     */
    static final long CURSOR_LIFETIME_NANOS = TimeUnit.SECONDS.toNanos(10);

    /** The highest recipient id claimed, and since when claims have gone forward from the start. */
    private record Cursor(long upTo, long since) {
    }

    private final CampaignConfig config;
    private final CampaignRepository campaigns;
    private final RecipientRepository recipients;
    private final CounterRepository counters;
    private final OutboxRepository outbox;
    private final JobTemplates templates;
    private final CampaignLifecycle lifecycle;
    private final Counter dispatched;
    /** Per campaign, where this replica's last round stopped claiming (a hint, not a fact). */
    private final Map<Long, Cursor> cursors = new ConcurrentHashMap<>();

    CampaignDispatcher(CampaignConfig config, CampaignRepository campaigns, RecipientRepository recipients,
            CounterRepository counters, OutboxRepository outbox, JobTemplates templates, CampaignLifecycle lifecycle,
            MeterRegistry registry) {
        this.config = config;
        this.campaigns = campaigns;
        this.recipients = recipients;
        this.counters = counters;
        this.outbox = outbox;
        this.templates = templates;
        this.lifecycle = lifecycle;
        this.dispatched = Counter.builder("wacast.dispatch.jobs").description("SendJobs written to the outbox").register(registry);
    }

    /**
     * One round for one campaign: returns how many jobs it queued. Skips the campaign when another
     * replica holds it, when it stopped sending, or when its window is closed; completes it when every
     * recipient is done.
     */
    @Transactional
    public int dispatch(long campaignId) {
        Optional<DispatchView> locked = campaigns.lockForDispatch(campaignId);
        if (locked.isEmpty()) {
            return 0;
        }
        DispatchView campaign = locked.get();
        Instant now = Instant.now();
        Map<RecipientStatus, Long> counts = counters.read(campaignId);
        long inFlight = counts.get(RecipientStatus.QUEUED) + counts.get(RecipientStatus.SENDING);
        if (counts.get(RecipientStatus.PENDING) == 0) {
            cursors.remove(campaignId);
            lifecycle.completeIfDone(campaignId);
            return 0;
        }
        if (campaign.sendWindow() != null && !campaign.sendWindow().isOpenAt(now)) {
            return 0;
        }
        int headroom = (int) Math.min(config.dispatch().batchSize(), config.dispatch().maxInFlight() - inFlight);
        if (headroom <= 0) {
            return 0;
        }
        List<ClaimedRecipient> claimed = claim(campaignId, headroom);
        if (claimed.isEmpty()) {
            return 0;
        }
        Optional<JobTemplate> template = templates.find(campaign.templateName(), campaign.templateLanguage());
        if (template.isEmpty()) {
            lifecycle.transition(campaignId, CampaignLifecycle.Action.PAUSE,
                    "template '" + campaign.templateName() + "' is no longer registered");
            return 0;
        }
        return queue(campaign, template.get(), claimed, now);
    }

    /**
     * Pending recipients in id order from where this replica's last round of the campaign ended, then
     * from the start for the rest; and from the start at least every {@link #CURSOR_LIFETIME_NANOS}.
     * Recipients behind that point are pending again because the sender deferred their job (a pause,
     * a closed window), or another replica's claim skipped them: they wait at most that long.
     */
    private List<ClaimedRecipient> claim(long campaignId, int limit) {
        long now = System.nanoTime();
        Cursor cursor = cursors.get(campaignId);
        boolean fresh = cursor != null && now - cursor.since() < CURSOR_LIFETIME_NANOS;
        long from = fresh ? cursor.upTo() : 0;
        long since = fresh ? cursor.since() : now;
        List<ClaimedRecipient> claimed = recipients.claimPending(campaignId, from, Long.MAX_VALUE, limit);
        if (claimed.size() < limit && from > 0) {
            since = now;
            List<ClaimedRecipient> behind = recipients.claimPending(campaignId, 0, from, limit - claimed.size());
            if (!behind.isEmpty()) {
                cursors.put(campaignId, new Cursor(behind.get(behind.size() - 1).id(), since));
                List<ClaimedRecipient> all = new ArrayList<>(claimed);
                all.addAll(behind);
                return all;
            }
        }
        cursors.put(campaignId, new Cursor(claimed.isEmpty() ? from : claimed.get(claimed.size() - 1).id(), since));
        return claimed;
    }

    /**
     * Suppressed numbers become {@code opted_out}; so do, for a marketing template, numbers without a
     * recorded opt-in in the contact book (with the reason in {@code last_error_message}).
     */
    private int queue(DispatchView campaign, JobTemplate template, List<ClaimedRecipient> claimed, Instant now) {
        boolean marketing = template.category() == TemplateCategory.MARKETING;
        Standing standing = recipients.standing(claimed.stream().map(ClaimedRecipient::id).toList(), marketing);
        List<Long> queued = new ArrayList<>(claimed.size());
        List<Long> optedOut = new ArrayList<>();
        List<Long> withoutOptIn = new ArrayList<>();
        List<OutboxRepository.Pending> jobs = new ArrayList<>(claimed.size());
        for (ClaimedRecipient recipient : claimed) {
            if (standing.suppressed().contains(recipient.id())) {
                optedOut.add(recipient.id());
                continue;
            }
            if (marketing && !standing.optedIn().contains(recipient.id())) {
                withoutOptIn.add(recipient.id());
                continue;
            }
            queued.add(recipient.id());
            jobs.add(new OutboxRepository.Pending(recipient.phone(), job(campaign, template, recipient, now)));
        }
        recipients.setStatus(queued, RecipientStatus.QUEUED, now);
        recipients.setStatus(optedOut, RecipientStatus.OPTED_OUT, now);
        recipients.setOptedOut(withoutOptIn, NO_MARKETING_OPT_IN, now);
        outbox.enqueueBatch(Topics.SEND_JOBS, jobs);
        CounterRepository.Deltas deltas = new CounterRepository.Deltas();
        deltas.move(campaign.id(), RecipientStatus.PENDING, RecipientStatus.QUEUED, queued.size());
        deltas.move(campaign.id(), RecipientStatus.PENDING, RecipientStatus.OPTED_OUT, optedOut.size() + withoutOptIn.size());
        counters.apply(deltas);
        dispatched.increment(queued.size());
        return queued.size();
    }

    /**
     * The first attempt's job for one recipient, with the recipient's own variables over the
     * campaign's defaults, resolved against the template, and the template's latest category now (the
     * sender routes marketing templates to the Marketing Messages API); the unknown safety net re-sends
     * the same job.
     */
    static SendJob job(DispatchView campaign, JobTemplate template, ClaimedRecipient recipient, Instant now) {
        return SendJob.of(JobId.of(campaign.id(), recipient.id()), campaign.id(), recipient.id(),
                campaign.phoneNumberId(), recipient.phone(), campaign.templateName(), campaign.templateLanguage(),
                template.variables().resolve(campaign.templateVariables(), recipient.variables()), 1, null, now,
                template.categoryValue());
    }

}
