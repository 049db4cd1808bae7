package io.wacast.campaign.service;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import jakarta.enterprise.context.ApplicationScoped;

import io.wacast.campaign.config.CampaignConfig;
import io.wacast.campaign.domain.PhoneHash;
import io.wacast.campaign.repository.EngagementRepository;
import io.wacast.campaign.repository.RecipientRepository;

/**
 * Finds, for the events of a batch, the recipient each one is about: by its job id or its wamid, and
 * for a reply or an order the recipient it is credited to (by the wamid it quotes, or the latest campaign
 * that messaged its number within the window: docs/DESIGN.md §4). Reads without locks, before the batch
 * locks the recipients it found; an answer whose send is not recorded yet is found later by
 * {@link EngagementCredits#creditAwaiting}.
 */
@ApplicationScoped
public class EventTargets {

    /** The recipients a batch's events are about, by wamid and (for unquoted answers) by event id. */
    record Targets(Map<String, Long> byWamid, Map<String, EngagementRepository.Messaged> byWindow) {

        /** The recipient an outcome or status is about; null for an event about no recipient we know. */
        Long recipientOf(Evidence e) {
            if (!e.targetsRecipient()) {
                return null;
            }
            return e.job() != null ? Long.valueOf(e.job().recipientId()) : byWamid.get(e.lookupWamid());
        }

        /** The recipient a reply or order is credited to, if found yet; null for any other event. */
        Long creditedTo(Evidence e) {
            Engagement g = e.engagement();
            if (g == null) {
                return null;
            }
            if (g.contextWamid() != null) {
                return byWamid.get(g.contextWamid());
            }
            EngagementRepository.Messaged latest = byWindow.get(e.eventId());
            return latest == null ? null : latest.recipientId();
        }

        /** The latest recorded send within the window of an answer that quotes nothing; null if none. */
        EngagementRepository.Messaged latestSend(Engagement g) {
            return byWindow.get(g.eventId());
        }

        /** Every recipient the events are about or credited to, in id order (the order they are locked in). */
        Set<Long> recipientIds(List<Evidence> events) {
            Set<Long> ids = new TreeSet<>();
            for (Evidence e : events) {
                Long id = recipientOf(e);
                if (id != null) {
                    ids.add(id);
                }
                Long credited = creditedTo(e);
                if (credited != null) {
                    ids.add(credited);
                }
            }
            return ids;
        }
    }

    private final CampaignConfig config;
    private final RecipientRepository recipients;
    private final EngagementRepository engagement;

    EventTargets(CampaignConfig config, RecipientRepository recipients, EngagementRepository engagement) {
        this.config = config;
        this.recipients = recipients;
        this.engagement = engagement;
    }

    /** The targets of these (fresh, not yet applied) events. */
    Targets of(List<Evidence> fresh) {
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
        return new Targets(byWamid, windowTargets(fresh));
    }

    /**
     * For each reply or order that quotes nothing, the recipient of the latest campaign that messaged its
     * number within the window of its type, by event id (docs/DESIGN.md §4: latest campaign wins).
     */
    private Map<String, EngagementRepository.Messaged> windowTargets(List<Evidence> fresh) {
        Map<String, EngagementRepository.Messaged> targets = new HashMap<>();
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
            EngagementRepository.Messaged latest = latestAnswered(messaged.getOrDefault(PhoneHash.of(g.phone()), List.of()), g);
            if (latest != null) {
                targets.put(e.eventId(), latest);
            }
        }
        return targets;
    }

    /**
     * The latest of these sends to the answer's number ({@code newestFirst}: by send time, then campaign
     * id, both descending) that lies within the answer's window; null if none does.
     */
    EngagementRepository.Messaged latestAnswered(List<EngagementRepository.Messaged> newestFirst, Engagement g) {
        Instant from = g.at().minus(window(g.type()));
        // Meta's timestamps have whole seconds: a reply in the second of the send may read as before it
        Instant to = g.at().plusSeconds(1);
        for (EngagementRepository.Messaged m : newestFirst) {
            if (!m.sentAt().isBefore(from) && !m.sentAt().isAfter(to)) {
                return m;
            }
        }
        return null;
    }

    private Duration window(Engagement.Type type) {
        return type == Engagement.Type.ORDER ? config.engagement().orderWindow() : config.engagement().replyWindow();
    }
}
