package io.wacast.campaign.service;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import io.wacast.campaign.config.CampaignConfig;
import io.wacast.campaign.domain.ResendState;
import io.wacast.campaign.messaging.OutboxRelay;
import io.wacast.campaign.repository.CampaignRepository;
import io.wacast.campaign.repository.CampaignRepository.DispatchView;
import io.wacast.campaign.repository.JobTemplates;
import io.wacast.campaign.repository.JobTemplates.JobTemplate;
import io.wacast.campaign.repository.OutboxRepository;
import io.wacast.campaign.repository.RecipientRepository;
import io.wacast.campaign.repository.RecipientRepository.ClaimedRecipient;
import io.wacast.campaign.repository.RecipientRepository.UndecidedUnknown;
import io.wacast.common.Topics;
import io.wacast.common.status.CampaignStatus;

/**
 * The safety net for recipients whose attempt ended {@code unknown} (a sender died while its call to
 * Meta may have left). If the call reached Meta, a status webhook settles the recipient; if it did
 * not, nothing ever will. So an unknown recipient that no webhook settled within {@code after}, while
 * a recipient of the campaign queued with or after it was delivered (only webhooks deliver), is taken
 * to have never reached Meta and is re-sent once: the same job as a {@code resend} SendJob, which the
 * sender's ledger lets replace the unknown attempt once. One still without such evidence
 * {@code give-up-after} after it became unknown is kept unknown for good.
 *
 * <p>Safe on any number of replicas: each batch locks its recipients in id order and decides only
 * those still unknown and undecided, in one transaction with the jobs it writes to the outbox. It
 * never locks the campaign row, which the dispatcher holds while it waits for recipient rows.
 */
@ApplicationScoped
public class UnknownResend {

    private static final Logger LOG = Logger.getLogger(UnknownResend.class);
    /** Recipients decided per transaction. */
    static final int BATCH_SIZE = 500;
    private static final int CAMPAIGNS_PER_SWEEP = 500;

    /** What one sweep decided for one campaign. */
    record Decided(int resent, int kept) {

        Decided plus(Decided other) {
            return new Decided(resent + other.resent, kept + other.kept);
        }
    }

    private final CampaignConfig config;
    private final CampaignRepository campaigns;
    private final RecipientRepository recipients;
    private final OutboxRepository outbox;
    private final JobTemplates templates;
    private final CampaignLifecycle lifecycle;
    private final OutboxRelay relay;
    private final Counter resentCount;
    private final Counter keptCount;

    UnknownResend(CampaignConfig config, CampaignRepository campaigns, RecipientRepository recipients,
            OutboxRepository outbox, JobTemplates templates, CampaignLifecycle lifecycle, OutboxRelay relay,
            MeterRegistry registry) {
        this.config = config;
        this.campaigns = campaigns;
        this.recipients = recipients;
        this.outbox = outbox;
        this.templates = templates;
        this.lifecycle = lifecycle;
        this.relay = relay;
        String name = "wacast.unknown.resend";
        String description = "Unknown recipients the safety net decided on: re-sent once, or kept unknown";
        this.resentCount = Counter.builder(name).description(description).tag("decision", "resent").register(registry);
        this.keptCount = Counter.builder(name).description(description).tag("decision", "kept").register(registry);
    }

    @Scheduled(every = "${wacast.campaign.unknown-resend.interval:10s}", delayed = "5s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void sweep() {
        if (!config.unknownResend().enabled()) {
            return;
        }
        try {
            campaigns.idsWithStatus(CampaignStatus.SENDING, CAMPAIGNS_PER_SWEEP).forEach(id -> sweep(id, true));
            campaigns.idsWithStatus(CampaignStatus.PAUSED, CAMPAIGNS_PER_SWEEP).forEach(id -> sweep(id, false));
        } catch (RuntimeException e) {
            LOG.warnf(e, "unknown-recipient sweep failed; the next sweep retries");
        }
    }

    /**
     * Decides on the campaign's unknown recipients that waited long enough. Only a sending campaign
     * whose window is open gets re-sends (the sender would defer any other's, and the deferral would
     * only make the recipient undecided again); kept decisions are made whatever its state.
     */
    Decided sweep(long campaignId, boolean sending) {
        try {
            Decided decided = decide(campaignId, sending);
            if (decided.resent() > 0 || decided.kept() > 0) {
                LOG.infof("campaign %d: %d unknown recipients re-sent (webhooks for messages queued with or after them"
                        + " arrived), %d kept unknown (none arrived within %s)", campaignId, decided.resent(),
                        decided.kept(), config.unknownResend().giveUpAfter());
                QuarkusTransaction.requiringNew().run(() -> lifecycle.completeIfDone(campaignId));
            }
            return decided;
        } catch (RuntimeException e) {
            LOG.warnf(e, "campaign %d: deciding on unknown recipients failed; the next sweep retries", campaignId);
            return new Decided(0, 0);
        }
    }

    private Decided decide(long campaignId, boolean sending) {
        CampaignConfig.UnknownResend settings = config.unknownResend();
        Instant now = Instant.now();
        Instant giveUpBefore = now.minus(settings.giveUpAfter());
        Decided total = new Decided(0, 0);
        DispatchView campaign = null;
        boolean mayResend = false;
        Instant horizon = null;
        long afterId = 0;
        List<UndecidedUnknown> due;
        do {
            due = recipients.undecidedUnknown(campaignId, now.minus(settings.after()), afterId, BATCH_SIZE);
            if (due.isEmpty()) {
                break;
            }
            if (campaign == null) {
                Optional<DispatchView> view = campaigns.dispatchView(campaignId);
                if (view.isEmpty()) {
                    return total;
                }
                campaign = view.get();
                mayResend = sending && (campaign.sendWindow() == null || campaign.sendWindow().isOpenAt(now));
                horizon = recipients.latestDeliveredQueuedAt(campaignId);
            }
            List<Long> resend = new ArrayList<>();
            List<Long> keep = new ArrayList<>();
            for (UndecidedUnknown recipient : due) {
                boolean webhooksFlow = horizon != null
                        && (recipient.queuedAt() == null || !recipient.queuedAt().isAfter(horizon));
                if (webhooksFlow && mayResend) {
                    resend.add(recipient.id());
                } else if (!webhooksFlow && !recipient.unknownSince().isAfter(giveUpBefore)) {
                    keep.add(recipient.id());
                }
            }
            if (!resend.isEmpty() || !keep.isEmpty()) {
                DispatchView view = campaign;
                Decided batch = QuarkusTransaction.requiringNew().call(() -> decide(view, resend, keep, now));
                resentCount.increment(batch.resent());
                keptCount.increment(batch.kept());
                if (batch.resent() > 0) {
                    relay.wake();
                }
                total = total.plus(batch);
            }
            afterId = due.get(due.size() - 1).id();
        } while (due.size() == BATCH_SIZE);
        return total;
    }

    /**
     * One batch in one transaction: locks the recipients still unknown and undecided, records the
     * decision on them and writes the re-sends to the outbox. A number suppressed since is kept, never
     * re-sent; without the campaign's template the re-sends wait (the operator has to register it).
     */
    private Decided decide(DispatchView campaign, List<Long> resend, List<Long> keep, Instant now) {
        List<Long> ids = new ArrayList<>(resend);
        ids.addAll(keep);
        Set<Long> toResend = new HashSet<>(resend);
        List<ClaimedRecipient> locked = recipients.lockUndecidedUnknown(ids);
        Set<String> suppressed = recipients.suppressed(locked.stream().map(ClaimedRecipient::phone).toList());
        Optional<JobTemplate> template = toResend.isEmpty() ? Optional.empty()
                : templates.find(campaign.templateName(), campaign.templateLanguage());
        if (!toResend.isEmpty() && template.isEmpty()) {
            LOG.warnf("campaign %d: template '%s' (%s) is no longer registered; its unknown recipients are re-sent"
                    + " once it is", campaign.id(), campaign.templateName(), campaign.templateLanguage());
        }
        List<Long> resent = new ArrayList<>();
        List<Long> kept = new ArrayList<>();
        List<OutboxRepository.Pending> jobs = new ArrayList<>();
        for (ClaimedRecipient recipient : locked) {
            if (!toResend.contains(recipient.id()) || suppressed.contains(recipient.phone())) {
                kept.add(recipient.id());
            } else if (template.isPresent()) {
                resent.add(recipient.id());
                jobs.add(new OutboxRepository.Pending(recipient.phone(),
                        CampaignDispatcher.job(campaign, template.get(), recipient, now).asResend(now)));
            }
        }
        int resentRows = recipients.decide(resent, ResendState.RESENT, now);
        int keptRows = recipients.decide(kept, ResendState.KEPT, now);
        if (resentRows != resent.size() || keptRows != kept.size()) {
            // cannot happen while the rows are locked; never write a job for a row this call did not decide
            throw new IllegalStateException("campaign " + campaign.id() + ": " + (resentRows + keptRows) + " of "
                    + (resent.size() + kept.size()) + " locked unknown recipients decided");
        }
        outbox.enqueueBatch(Topics.SEND_JOBS, jobs);
        return new Decided(resentRows, keptRows);
    }
}
