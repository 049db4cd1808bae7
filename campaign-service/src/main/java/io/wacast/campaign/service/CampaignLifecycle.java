package io.wacast.campaign.service;

import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import org.jboss.logging.Logger;

import io.quarkus.narayana.jta.runtime.TransactionConfiguration;
import io.wacast.campaign.config.CampaignConfig;
import io.wacast.campaign.domain.Campaign;
import io.wacast.campaign.messaging.ControlOutbox;
import io.wacast.campaign.repository.CampaignRepository;
import io.wacast.campaign.repository.CounterRepository;
import io.wacast.campaign.repository.RecipientRepository;
import io.wacast.common.problem.Problem.FieldError;
import io.wacast.common.status.CampaignStatus;
import io.wacast.common.status.RecipientStatus;

/**
 * The campaign state machine (docs/DESIGN.md §4): which status each action moves a campaign from and
 * to, and the one place that moves it. Operators, the scheduler, the dispatcher, the applier and the
 * series starter all change a campaign's status here: by a conditional UPDATE (whoever changes the row
 * first wins), with its CampaignControl in the outbox in the same transaction.
 */
@ApplicationScoped
public class CampaignLifecycle {

    private static final Logger LOG = Logger.getLogger(CampaignLifecycle.class);

    /** What can be asked of a campaign, and from which statuses. */
    public enum Action {
        SEND(EnumSet.of(CampaignStatus.DRAFT, CampaignStatus.SCHEDULED), CampaignStatus.SENDING),
        PAUSE(EnumSet.of(CampaignStatus.SENDING), CampaignStatus.PAUSED),
        RESUME(EnumSet.of(CampaignStatus.PAUSED), CampaignStatus.SENDING),
        CANCEL(EnumSet.of(CampaignStatus.DRAFT, CampaignStatus.SCHEDULED, CampaignStatus.SENDING, CampaignStatus.PAUSED),
                CampaignStatus.CANCELLED),
        /** Back to draft before it starts: the scheduler will not start it, the operator may edit and send it. */
        UNSCHEDULE(EnumSet.of(CampaignStatus.SCHEDULED), CampaignStatus.DRAFT),
        /** Not an operator action: the scheduler's, at scheduledFor. */
        START_SCHEDULED(EnumSet.of(CampaignStatus.SCHEDULED), CampaignStatus.SENDING),
        /**
         * Not an operator action: the scheduler's, at scheduledFor, for a campaign that cannot be sent
         * then (no recipients, template not approved). Paused with the reason, for the operator to fix
         * and resume; resume checks the same.
         */
        HOLD_SCHEDULED(EnumSet.of(CampaignStatus.SCHEDULED), CampaignStatus.PAUSED),
        /** Not an operator action: the dispatcher's or the applier's, once every recipient is done. */
        COMPLETE(EnumSet.of(CampaignStatus.SENDING, CampaignStatus.PAUSED), CampaignStatus.COMPLETED);

        final Set<CampaignStatus> from;
        final CampaignStatus to;

        Action(Set<CampaignStatus> from, CampaignStatus to) {
            this.from = from;
            this.to = to;
        }

        String verb() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    private final CampaignConfig config;
    private final CampaignRepository campaigns;
    private final CounterRepository counters;
    private final RecipientRepository recipients;
    private final ControlOutbox control;
    private final AudienceSnapshots audiences;

    CampaignLifecycle(CampaignConfig config, CampaignRepository campaigns, CounterRepository counters,
            RecipientRepository recipients, ControlOutbox control, AudienceSnapshots audiences) {
        this.config = config;
        this.campaigns = campaigns;
        this.counters = counters;
        this.recipients = recipients;
        this.control = control;
        this.audiences = audiences;
    }

    /**
     * Performs an operator action. Whoever changes the row first wins; a call that finds the
     * campaign in a status the action does not start from gets 409 with the current status.
     */
    @Transactional
    @TransactionConfiguration(timeout = 600)
    public Campaign act(long id, Action action) {
        return actInTransaction(id, action);
    }

    /** {@link #act} inside the caller's transaction (a delete that cancels a campaign which has started). */
    @Transactional(Transactional.TxType.MANDATORY)
    public Campaign actInTransaction(long id, Action action) {
        if (action == Action.SEND || action == Action.RESUME) {
            Campaign campaign = get(id);
            if (action.from.contains(campaign.status)) { // else perform() answers 409 with the current status
                // an audience becomes recipients now, in this transaction: a refusal below leaves nothing
                audiences.snapshotIfTargeted(campaign, null, null).map(AudienceSnapshots.Result::problem)
                        .ifPresent(problem -> {
                            throw problem;
                        });
                cannotStart(campaign).ifPresent(problem -> {
                    throw problem;
                });
            }
            // the status changes by a conditional UPDATE: answer with the row as it is then, not this copy
            Campaign.getEntityManager().detach(campaign);
        }
        return perform(id, action);
    }

    /**
     * Starts a due scheduled campaign: sending, or paused with the reason when it cannot be sent now
     * ({@link #cannotStart}). False when another replica or the operator changed it first.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public boolean startScheduled(long id) {
        Campaign campaign = Campaign.findById(id);
        if (campaign == null || campaign.status != CampaignStatus.SCHEDULED) {
            return false;
        }
        Optional<ProblemException> problem = audiences.snapshotIfTargeted(campaign, null, null)
                .map(AudienceSnapshots.Result::problem).or(() -> cannotStart(campaign));
        Campaign.getEntityManager().detach(campaign);
        return problem.isPresent()
                ? transition(id, Action.HOLD_SCHEDULED, "not started at its scheduled time: " + problem.get().getMessage())
                : transition(id, Action.START_SCHEDULED, "scheduled start");
    }

    /**
     * Why the campaign cannot start sending: one without recipients would stay sending forever (nothing
     * ever completes it), and one whose template is not approved would fail every message at Meta. The
     * rest of the pre-flight plan (PlanService) is advice.
     */
    private Optional<ProblemException> cannotStart(Campaign campaign) {
        long recipientCount = counters.read(campaign.id).values().stream().mapToLong(Long::longValue).sum();
        if (recipientCount == 0) {
            ProblemException problem = ProblemException.conflict("campaign " + campaign.id
                    + " has no recipients; add them at /api/whatsapp/campaigns/" + campaign.id + "/recipients before sending");
            return Optional.of(new ProblemException(problem.status(), problem.slug(), problem.title(), problem.getMessage(),
                    List.of(FieldError.of("recipients", "no recipients"))));
        }
        return TemplateService.whyNotSendable(campaign.templateName, campaign.templateLanguage);
    }

    private Campaign perform(long id, Action action) {
        return transition(id, action, "by operator")
                ? get(id)
                : failWithCurrentState(id, action);
    }

    /**
     * The status change behind every action, shared with the scheduler, the dispatcher and the applier:
     * a conditional UPDATE, the control message, and for a cancel the recipients not yet sent.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public boolean transition(long id, Action action, String reason) {
        Instant now = Instant.now();
        boolean whenDue = action == Action.START_SCHEDULED || action == Action.HOLD_SCHEDULED;
        if (!campaigns.transition(id, action.from, action.to, reason, now, whenDue)) {
            return false;
        }
        if (action == Action.CANCEL) {
            Map<RecipientStatus, Long> moved = recipients.cancelUnsent(id, now);
            CounterRepository.Deltas deltas = new CounterRepository.Deltas();
            moved.forEach((from, count) -> deltas.move(id, from, RecipientStatus.CANCELLED, count));
            counters.apply(deltas);
        }
        control.publish(id);
        LOG.infof("campaign %d: %s (%s)", id, action.to.value(), reason);
        return true;
    }

    /**
     * Completes a sending or paused campaign whose recipients are all done ({@link RecipientStatus#isDone}:
     * unknown counts as done, a late webhook still settles it). Reads the counters; only when they say
     * done with unknown recipients among them, and the unknown safety net is on, it also looks for an
     * unknown recipient the net has not decided on yet, or re-sent less than {@code give-up-after} ago
     * and still unknown: the campaign stays open for those, or the sender would drop the re-send of a
     * completed campaign (a re-send that itself ended unknown holds it no longer than that).
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public boolean completeIfDone(long id) {
        Map<RecipientStatus, Long> counts = counters.read(id);
        long total = 0;
        long notDone = 0;
        for (Map.Entry<RecipientStatus, Long> count : counts.entrySet()) {
            total += count.getValue();
            notDone += count.getKey().isDone() ? 0 : count.getValue();
        }
        if (total == 0 || notDone > 0) {
            return false;
        }
        CampaignConfig.UnknownResend safetyNet = config.unknownResend();
        if (safetyNet.enabled() && counts.get(RecipientStatus.UNKNOWN) > 0
                && recipients.hasUnsettledUnknown(id, Instant.now().minus(safetyNet.giveUpAfter()))) {
            return false;
        }
        boolean completed = transition(id, Action.COMPLETE, "every recipient is done");
        if (completed) {
            LOG.infof("campaign %d completed: all %d recipients are done", id, total);
        }
        return completed;
    }

    private static Campaign get(long id) {
        return Campaign.<Campaign>findByIdOptional(id).orElseThrow(() -> ProblemException.notFound("campaign", id));
    }

    private Campaign failWithCurrentState(long id, Action action) {
        Campaign campaign = get(id);
        String allowed = String.join(" or ", action.from.stream().map(CampaignStatus::value).toList());
        throw notIn(campaign, action == Action.SEND ? "sent" : action.verb() + (action == Action.CANCEL ? "led" : "d"), allowed);
    }

    /** 409 naming the campaign's current status and the statuses {@code what} is allowed in. */
    static ProblemException notIn(Campaign campaign, String what, String allowed) {
        ProblemException problem = ProblemException.conflict("campaign " + campaign.id + " is " + campaign.status.value()
                + "; it can be " + what + " only while " + allowed);
        return new ProblemException(problem.status(), problem.slug(), problem.title(), problem.getMessage(),
                List.of(new FieldError("status", null, "current status", campaign.status.value())));
    }
}
