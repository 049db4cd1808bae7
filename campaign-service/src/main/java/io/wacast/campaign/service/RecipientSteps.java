package io.wacast.campaign.service;

import java.util.Objects;

import org.jboss.logging.Logger;

import io.wacast.campaign.domain.ConsentSource;
import io.wacast.campaign.domain.Contact;
import io.wacast.campaign.domain.OptOut;
import io.wacast.campaign.domain.ResendState;
import io.wacast.campaign.repository.PacingRepository;
import io.wacast.campaign.repository.RecipientRepository.Applicable;
import io.wacast.campaign.repository.SuppressionRepository;
import io.wacast.common.meta.MetaErrorPolicy;
import io.wacast.common.meta.MetaErrorPolicy.Action;
import io.wacast.common.status.RecipientStatus;

/**
 * What one outcome or webhook event does to its recipient, in memory ({@link BatchChanges}): the
 * status step (only forward, {@link RecipientStatus#advance}), a deferral back to pending, an opt-out
 * or opt-in of the number, and the pauses and pacing counts it calls for. Reads and writes nothing.
 */
final class RecipientSteps {

    private static final Logger LOG = Logger.getLogger(RecipientSteps.class);

    /** What became of one event in a batch. */
    enum Fate {
        APPLIED,
        /** About nobody we know: another tool's message, another module's test. */
        SKIPPED,
        /** A status of a message that is not the recipient's (docs/DESIGN.md §4, status integrity). */
        MISMATCHED
    }

    private RecipientSteps() {
    }

    /** Takes the event into the batch's changes; {@code recipientId} is the recipient it is about, if any. */
    static Fate accept(BatchChanges batch, Evidence e, Long recipientId) {
        if ((e.effect() == Evidence.Effect.OPT_OUT || e.effect() == Evidence.Effect.OPT_IN) && e.phone() == null) {
            return Fate.APPLIED; // a BSUID whose number is not known: UserIdentities listed the BSUID
        }
        switch (e.effect()) {
            case OPT_OUT -> {
                batch.optIns.remove(e.phone());
                batch.consents.remove(e.phone());
                batch.optOuts.put(e.phone(), new SuppressionRepository.Entry(e.phone(), e.phoneSource(),
                        OptOut.SOURCE_PREFERENCE.equals(e.phoneSource()) ? "stopped marketing messages in WhatsApp"
                                : "opt-out reply"));
                return Fate.APPLIED;
            }
            case OPT_IN -> {
                batch.optOuts.remove(e.phone());
                batch.optIns.add(e.phone());
                batch.consents.put(e.phone(), new Contact.OptIn(ConsentSource.WHATSAPP_REPLY, e.at(),
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
        Applicable row = batch.row(recipientId);
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
            batch.move(row, next, e.at());
            if (next.status() == RecipientStatus.OPTED_OUT && row.status() != RecipientStatus.OPTED_OUT) {
                batch.optIns.remove(row.phone());
                batch.consents.remove(row.phone());
                batch.optOuts.putIfAbsent(row.phone(), new SuppressionRepository.Entry(row.phone(), OptOut.SOURCE_META,
                        "Meta error 131050: " + MetaErrorPolicy.meaning(131050)));
            }
        }
        Action action = e.action();
        if (action != null && action.pausesCampaign()) {
            String reason = "auto-paused: " + describe(e);
            (action.stopsAccount() ? batch.accountStops : batch.pauses).putIfAbsent(row.campaignId(), reason);
        }
        if (e.messageStatus() != null && PacingRepository.PACED.contains(e.messageStatus())) {
            batch.pacing.add(row.campaignId(), e.messageStatus()); // once per applied outcome: duplicates never get here
        }
        return Fate.APPLIED;
    }

    /** The row after the event's status, moved forward only; an error code only with a step into failed or opted out. */
    static Applicable advanced(Applicable row, Evidence e) {
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
    private static Applicable deferred(Applicable row, Evidence e) {
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

    private static String describe(Evidence e) {
        return e.errorCode() == null ? Objects.toString(e.errorMessage(), "account stopped by the sender")
                : "Meta error " + e.errorCode() + " (" + MetaErrorPolicy.meaning(e.errorCode()) + ")";
    }
}
