package io.wacast.campaign.service;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import org.jboss.logging.Logger;

import io.wacast.campaign.domain.Campaign;
import io.wacast.campaign.domain.Template;
import io.wacast.campaign.domain.TemplateCategory;
import io.wacast.campaign.domain.TemplateVariables;
import io.wacast.campaign.repository.AudienceRepository;
import io.wacast.campaign.repository.AudienceRepository.Candidate;
import io.wacast.campaign.repository.AudienceRepository.Row;
import io.wacast.campaign.repository.AudienceRepository.Snapshot;
import io.wacast.campaign.repository.CounterRepository;
import io.wacast.campaign.repository.LoadedRecipients;
import io.wacast.common.problem.Problem.FieldError;
import io.wacast.common.status.RecipientStatus;

/**
 * Turns a campaign's audience into its recipients, once, in the transaction that starts the campaign
 * (send, a scheduled start, a series occurrence). The matching contact ids are read once; the contacts
 * are then read and stored in chunks, all in the transaction's one consistent view, with plain
 * (non-locking) reads so the contact book stays writable meanwhile. Suppressed numbers and, for a
 * marketing template, numbers without a recorded opt-in are stored {@code opted_out} with the reason
 * (as the dispatcher would); contacts missing a template variable (neither an attribute nor a
 * campaign default) are left out and counted.
 */
@ApplicationScoped
public class AudienceSnapshots {

    private static final Logger LOG = Logger.getLogger(AudienceSnapshots.class);

    public static final String SUPPRESSED = "on the suppression list";
    static final int CHUNK = 5000;

    /** The snapshot taken, or why none could be (nothing was written then). */
    public record Result(Snapshot snapshot, ProblemException problem) {
    }

    private final AudienceRepository repository;
    private final CounterRepository counters;
    private final LoadedRecipients loaded;

    AudienceSnapshots(AudienceRepository repository, CounterRepository counters, LoadedRecipients loaded) {
        this.repository = repository;
        this.counters = counters;
        this.loaded = loaded;
    }

    /**
     * Snapshots the campaign's audience if it targets one and none was taken. Empty when there is
     * nothing to do (no audience, taken before, template unknown: the start's own checks answer that).
     * With {@code seriesId}, contacts an occurrence of that series messaged at or after {@code messagedSince}
     * (or has pending) are left out and counted as recently messaged.
     * Never throws for an audience that matches nothing: the result carries the 422, so a scheduler's
     * transaction can hold the campaign instead of rolling back.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public Optional<Result> snapshotIfTargeted(Campaign campaign, Long seriesId, Instant messagedSince) {
        Optional<AudienceRepository.Link> link = repository.lockLink(campaign.id);
        if (link.isEmpty() || link.get().snapshotAt() != null) {
            return Optional.empty();
        }
        Optional<Template> template = Template.findByNameAndLanguage(campaign.templateName, campaign.templateLanguage);
        if (template.isEmpty()) {
            return Optional.empty();
        }
        AudienceRepository.Audience audience = repository.find(link.get().audienceId()).orElseThrow();
        Instant now = Instant.now();
        long[] ids = repository.matchingIds(audience.filter(), now);
        if (ids.length == 0) {
            return Optional.of(new Result(null, nothing(campaign.id, audience, "matches no contacts")));
        }
        TemplateVariables variables = template.get().variables();
        boolean marketing = template.get().category == TemplateCategory.MARKETING;
        Map<String, String> variableMap = link.get().variableMap();
        long added = 0, suppressed = 0, noOptIn = 0, missing = 0, invalid = 0, already = 0, recent = 0;
        LoadedRecipients.Tally tally = new LoadedRecipients.Tally();
        for (int from = 0; from < ids.length; from += CHUNK) {
            int to = Math.min(ids.length, from + CHUNK);
            List<Row> rows = new ArrayList<>(to - from);
            for (Candidate contact : repository.candidates(ids, from, to, campaign.id, seriesId, messagedSince)) {
                if (contact.alreadyRecipient()) {
                    already++;
                } else if (contact.recentlyMessaged()) {
                    recent++;
                } else if (contact.suppressed()) {
                    suppressed++;
                    rows.add(new Row(contact.phone(), contact.name(), null, RecipientStatus.OPTED_OUT, SUPPRESSED));
                } else if (marketing && !contact.optedIn()) {
                    noOptIn++;
                    rows.add(new Row(contact.phone(), contact.name(), null, RecipientStatus.OPTED_OUT,
                            CampaignDispatcher.NO_MARKETING_OPT_IN));
                } else {
                    Map<String, String> own = variablesOf(contact, variables, variableMap);
                    if (!variables.missing(campaign.templateVariables, own).isEmpty()) {
                        missing++;
                    } else if (invalid(variables, own)) {
                        invalid++;
                    } else {
                        added++;
                        rows.add(new Row(contact.phone(), contact.name(), own, RecipientStatus.PENDING, null));
                    }
                }
            }
            repository.insertRecipients(campaign.id, rows, now);
            rows.forEach(row -> tally.add(row.phone(), row.variables()));
        }
        if (added + suppressed + noOptIn == 0 && counters.read(campaign.id).values().stream().mapToLong(Long::longValue).sum() == 0) {
            // nothing stored and nothing uploaded: the campaign would have no recipients
            return Optional.of(new Result(null, nothing(campaign.id, audience, "matches " + ids.length
                    + " contacts, none of which can be added (missing variables " + missing + ", invalid variables " + invalid
                    + ", messaged recently " + recent + ")")));
        }
        // the facts the plan and the count of this campaign's recipients read (§11 D32)
        loaded.storedFromContacts(campaign.id, ids);
        loaded.loaded(campaign.id, tally);
        CounterRepository.Deltas deltas = new CounterRepository.Deltas();
        deltas.add(campaign.id, RecipientStatus.PENDING, added);
        deltas.add(campaign.id, RecipientStatus.OPTED_OUT, suppressed + noOptIn);
        counters.apply(deltas);
        Snapshot snapshot = new Snapshot(ids.length, added, suppressed, noOptIn, missing, invalid, already, recent);
        repository.recordSnapshot(campaign.id, snapshot, now);
        LOG.infof("campaign %d: audience %d snapshotted: %s", campaign.id, audience.id(), snapshot);
        return Optional.of(new Result(snapshot, null));
    }

    /** The contact's values for the template's keys: the attribute the key is mapped to, else the one of its name. */
    static Map<String, String> variablesOf(Candidate contact, TemplateVariables variables, Map<String, String> variableMap) {
        Map<String, String> own = new LinkedHashMap<>();
        for (String key : variables.keys()) {
            String value = contact.attributes().get(variableMap.getOrDefault(key, key));
            if (value != null && !value.isBlank()) {
                own.put(key, value);
            }
        }
        return own;
    }

    private static boolean invalid(TemplateVariables variables, Map<String, String> own) {
        for (Map.Entry<String, String> entry : own.entrySet()) {
            if (entry.getValue().length() > CampaignSpec.MAX_VARIABLE_LENGTH
                    || variables.valueProblem(entry.getKey(), entry.getValue()) != null) {
                return true;
            }
        }
        return false;
    }

    private static ProblemException nothing(long campaignId, AudienceRepository.Audience audience, String what) {
        return ProblemException.unprocessable("campaign " + campaignId + ": audience " + audience.id() + " '" + audience.name()
                + "' " + what + "; nothing was changed",
                List.of(new FieldError("audienceId", null, "audience " + what, String.valueOf(audience.id()))));
    }
}
