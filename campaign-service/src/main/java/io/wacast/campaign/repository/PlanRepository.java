package io.wacast.campaign.repository;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;

import io.agroal.api.AgroalDataSource;
import io.wacast.campaign.domain.JsonColumns;

/**
 * The counts behind the pre-flight plan, grouped on a recipient's number prefix ({@code +} and four
 * digits: the calling code and, for +1, the area code, which is all it takes to know the country) so a
 * 1M-recipient campaign is counted in the database, never loaded. While every recipient of the campaign
 * came through the loader (its {@link LoadedRecipients} account for all of them), the counts start from
 * what the loader kept and read only the rows that can differ from it: recipients no longer pending,
 * opt-outs, contacts without an opt-in, recipients whose contact was erased (§11 D32). Otherwise each
 * count is one statement over the campaign's pending recipients. Both give the same numbers; the plan
 * reads them in one transaction, so in one snapshot.
 */
@ApplicationScoped
public class PlanRepository {

    private static final Logger LOG = Logger.getLogger(PlanRepository.class);

    /** The pending recipients whose numbers start with {@code prefix}; {@code sample} is the first of them. */
    public record PrefixCount(String prefix, String sample, long recipients) {
    }

    /**
     * The campaign's pending recipients by prefix and, by prefix, those of them on the suppression list,
     * those without a marketing opt-in (not suppressed; marketing only) and those lacking a variable (neither
     * suppressed nor, for marketing, without an opt-in). {@code loaded}: counted from the loader's facts.
     */
    public record Counts(List<PrefixCount> pending, Map<String, Long> suppressed, Map<String, Long> withoutOptIn,
            Map<String, Long> missingVariables, boolean loaded) {
    }

    /**
     * The loader's facts of a campaign that account for all its recipients: the variable keys every row
     * carries and those some row carries (both null: no load, no rows).
     */
    record Loads(Map<String, Long> byPrefix, Set<String> carriedByEvery, Set<String> carriedBySome, long pending, long notPending) {
    }

    private static final String PREFIX = "LEFT(r.phone_e164, 5)";
    private static final String BY_NUMBER = "SELECT " + PREFIX + " AS prefix FROM opt_outs o STRAIGHT_JOIN recipients r"
            + " ON r.campaign_id = ? AND r.phone_e164 = o.phone_e164 WHERE r.status = 'pending'";
    private static final TypeReference<List<String>> KEYS = new TypeReference<>() {
    };
    /** Prefixes whose first pending number one statement looks up. */
    private static final int SAMPLES_PER_STATEMENT = 100;

    private final AgroalDataSource dataSource;

    PlanRepository(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * The plan's counts; {@code keys}: the template variables the campaign has no default for, which every
     * recipient must carry itself.
     */
    public Counts counts(long campaignId, List<String> keys, boolean marketing) {
        Optional<Loads> loads = loads(campaignId);
        if (loads.isPresent()) {
            Counts counts = fromLoads(campaignId, loads.get(), keys, marketing);
            if (counts != null) {
                return counts;
            }
        }
        return byScanning(campaignId, keys, marketing);
    }

    /** The counts, each one statement over the campaign's pending recipients. */
    Counts byScanning(long campaignId, List<String> keys, boolean marketing) {
        return new Counts(pendingByPrefix(campaignId), suppressedByPrefix(campaignId),
                marketing ? withoutOptInByPrefix(campaignId) : Map.of(), missingVariablesByPrefix(campaignId, keys, marketing),
                false);
    }

    /**
     * The loader's facts, when they account for every recipient of the campaign: the rows they count
     * equal the campaign's counters (which every writer of recipients keeps). A recipient stored any other
     * way (an audience snapshot, a follow-up, a duplicate, SQL) makes them fall short, and the plan scans.
     */
    Optional<Loads> loads(long campaignId) {
        Map<String, Long> byPrefix = new TreeMap<>();
        Jdbc.list(dataSource, "SELECT prefix, SUM(recipients) FROM loaded_recipients WHERE campaign_id = ? GROUP BY prefix",
                query -> query.setLong(1, campaignId), row -> byPrefix.put(row.getString(1), row.getLong(2)),
                "reading loaded recipients");
        long[] counters = Jdbc.list(dataSource, "SELECT COALESCE(SUM(recipients), 0),"
                + " COALESCE(SUM(CASE WHEN status = 'pending' THEN recipients ELSE 0 END), 0)"
                + " FROM campaign_counters WHERE campaign_id = ?",
                query -> query.setLong(1, campaignId), row -> new long[] {row.getLong(1), row.getLong(2)},
                "reading campaign counters").get(0);
        if (byPrefix.values().stream().mapToLong(Long::longValue).sum() != counters[0]) {
            return Optional.empty();
        }
        Set<String> every = null;
        Set<String> some = null;
        // not SELECT DISTINCT: its temporary table of TEXT is an on-disk Aria table in MariaDB, and 10.11.19
        // crashed dropping one under load; a load's rows all repeat its lists, deduplicated here
        for (List<String> load : new HashSet<>(Jdbc.list(dataSource, "SELECT every_row_keys, some_row_keys FROM loaded_recipients"
                + " WHERE campaign_id = ? AND every_row_keys IS NOT NULL", query -> query.setLong(1, campaignId),
                row -> List.of(row.getString(1), row.getString(2)), "reading loaded variables"))) {
            if (every == null) {
                every = new HashSet<>(readKeys(load.get(0)));
                some = new HashSet<>();
            } else {
                every.retainAll(readKeys(load.get(0)));
            }
            some.addAll(readKeys(load.get(1)));
        }
        return Optional.of(new Loads(byPrefix, every, some, counters[1], counters[0] - counters[1]));
    }

    /**
     * The counts from the loader's facts; null when they disagree with the rows (a path that both stored
     * and removed recipients without telling them), then the caller scans.
     */
    private Counts fromLoads(long campaignId, Loads loads, List<String> keys, boolean marketing) {
        List<PrefixCount> pending;
        if (loads.notPending() <= loads.pending()) {
            // all rows by prefix minus the (fewer) rows no longer pending, each with its first pending number
            Map<String, Long> counts = new TreeMap<>(loads.byPrefix());
            for (var notPending : notPendingByPrefix(campaignId).entrySet()) {
                Long all = counts.get(notPending.getKey());
                if (all == null) {
                    return disagree(campaignId, "recipients in prefix " + notPending.getKey() + " it never loaded");
                }
                counts.put(notPending.getKey(), all - notPending.getValue());
            }
            if (counts.values().stream().anyMatch(count -> count < 0)) {
                return disagree(campaignId, "fewer recipients in a prefix than are not pending");
            }
            counts.values().removeIf(count -> count == 0);
            Map<String, String> samples = firstPendingOf(campaignId, counts.keySet());
            if (!samples.keySet().equals(counts.keySet())) {
                return disagree(campaignId, "a prefix without the pending recipients it counts");
            }
            pending = new ArrayList<>(counts.size());
            counts.forEach((prefix, count) -> pending.add(new PrefixCount(prefix, samples.get(prefix), count)));
        } else {
            pending = pendingByPrefix(campaignId); // fewer pending rows than others: reading them is cheaper
        }
        Map<String, Long> suppressed = new HashMap<>(suppressedByNumber(campaignId));
        if (hasErasedOptOuts()) {
            erasedSuppressedFromLoads(campaignId).forEach((prefix, count) -> suppressed.merge(prefix, count, Long::sum));
        }
        Map<String, Long> withoutOptIn = marketing ? withoutOptInFromLoads(campaignId, pending) : Map.of();
        return new Counts(pending, suppressed, withoutOptIn, missingFromLoads(campaignId, loads, keys, marketing, pending,
                suppressed, withoutOptIn), true);
    }

    /**
     * Recipients lacking one of {@code keys}: none when every load carried them all; every recipient
     * counted for sending (pending, neither suppressed nor without an opt-in) when no load carried one of
     * them (a default removed that no row had a value for); else the scan, for the keys some rows lack.
     */
    private Map<String, Long> missingFromLoads(long campaignId, Loads loads, List<String> keys, boolean marketing,
            List<PrefixCount> pending, Map<String, Long> suppressed, Map<String, Long> withoutOptIn) {
        if (loads.carriedByEvery() == null) {
            return Map.of();
        }
        if (keys.stream().anyMatch(key -> !loads.carriedBySome().contains(key))) {
            Map<String, Long> missing = new HashMap<>();
            for (PrefixCount group : pending) {
                long eligible = group.recipients() - suppressed.getOrDefault(group.prefix(), 0L)
                        - withoutOptIn.getOrDefault(group.prefix(), 0L);
                if (eligible > 0) {
                    missing.put(group.prefix(), eligible);
                }
            }
            return missing;
        }
        return missingVariablesByPrefix(campaignId, keys.stream().filter(key -> !loads.carriedByEvery().contains(key)).toList(),
                marketing);
    }

    private Counts disagree(long campaignId, String what) {
        LOG.warnf("campaign %d: the loader's facts disagree with its recipients (%s); its plan counts by scanning", campaignId, what);
        return null;
    }

    /** The campaign's pending recipients by number prefix (index range on (campaign_id, status)). */
    List<PrefixCount> pendingByPrefix(long campaignId) {
        return Jdbc.list(dataSource,
                "SELECT " + PREFIX + " AS prefix, MIN(r.phone_e164) AS sample, COUNT(*) AS recipients FROM recipients r"
                        + " WHERE r.campaign_id = ? AND r.status = 'pending' GROUP BY " + PREFIX,
                query -> query.setLong(1, campaignId),
                row -> new PrefixCount(row.getString(1), row.getString(2), row.getLong(3)),
                "counting pending recipients by prefix");
    }

    /**
     * Pending recipients on the suppression list now, by prefix, matched as the dispatcher matches them:
     * by the hash of the number. Driven from the suppression list (STRAIGHT_JOIN: one unique-key probe
     * per suppressed number) rather than from 1M recipients; the opt-outs of erased contacts, which keep
     * only the hash, are matched by hashing the campaign's pending numbers, and only when there are any.
     */
    Map<String, Long> suppressedByPrefix(long campaignId) {
        if (!hasErasedOptOuts()) {
            return suppressedByNumber(campaignId);
        }
        return counts("SELECT prefix, COUNT(*) FROM (" + BY_NUMBER + " UNION ALL SELECT " + PREFIX + " FROM recipients r"
                + " WHERE r.campaign_id = ? AND r.status = 'pending' AND SHA2(r.phone_e164, 256) IN (" + ERASED + ")) s"
                + " GROUP BY prefix", campaignId, List.of(), "counting suppressed recipients", campaignId);
    }

    /**
     * Pending, not suppressed recipients without a recorded opt-in (no contact, or a contact whose opt-in
     * is none), by prefix: a marketing template is not sent to them (the dispatcher's consent check).
     */
    Map<String, Long> withoutOptInByPrefix(long campaignId) {
        return counts("SELECT " + PREFIX + ", COUNT(*) FROM recipients r LEFT JOIN contacts c ON c.phone_e164 = r.phone_e164"
                + " WHERE r.campaign_id = ? AND r.status = 'pending' AND c.opt_in_source IS NULL AND " + notSuppressed()
                + " GROUP BY " + PREFIX, campaignId, List.of(), "counting recipients without an opt-in");
    }

    /**
     * Pending, not suppressed recipients (with a recorded opt-in when {@code marketing}) without a
     * non-blank value of their own for at least one of {@code keys} (the template variables the campaign
     * has no default for), by prefix.
     */
    Map<String, Long> missingVariablesByPrefix(long campaignId, List<String> keys, boolean marketing) {
        if (keys.isEmpty()) {
            return Map.of();
        }
        List<String> paths = new ArrayList<>();
        StringBuilder anyMissing = new StringBuilder();
        for (String key : keys) {
            paths.add("$.\"" + key.replace("\"", "") + "\"");
            anyMissing.append(anyMissing.length() == 0 ? "" : " OR ")
                    .append("COALESCE(TRIM(JSON_UNQUOTE(JSON_EXTRACT(r.variables, ?))), '') = ''");
        }
        return counts("SELECT " + PREFIX + ", COUNT(*) FROM recipients r WHERE r.campaign_id = ? AND r.status = 'pending'"
                + " AND " + notSuppressed()
                + (marketing ? " AND EXISTS (SELECT 1 FROM contacts c WHERE c.phone_e164 = r.phone_e164"
                        + " AND c.opt_in_source IS NOT NULL)" : "")
                + " AND (r.variables IS NULL OR " + anyMissing + ") GROUP BY " + PREFIX,
                campaignId, paths, "counting recipients with missing variables");
    }

    private static final String ERASED = "SELECT phone_hash FROM opt_outs WHERE phone_e164 IS NULL AND bsuid IS NULL";

    /** Rows no longer pending by prefix: (campaign_id, status) index ranges, one row read each. */
    private Map<String, Long> notPendingByPrefix(long campaignId) {
        return counts("SELECT " + PREFIX + ", COUNT(*) FROM recipients r WHERE r.campaign_id = ? AND r.status <> 'pending'"
                + " GROUP BY " + PREFIX, campaignId, List.of(), "counting recipients no longer pending");
    }

    /**
     * The first pending number of each prefix, in (campaign_id, phone_e164) key order from the prefix on:
     * one row read per prefix unless its first numbers are no longer pending. (The MIN the scanning count
     * takes: the country of a prefix is read from it.)
     */
    private Map<String, String> firstPendingOf(long campaignId, Set<String> prefixes) {
        Map<String, String> first = new HashMap<>();
        List<String> all = new ArrayList<>(prefixes);
        for (int from = 0; from < all.size(); from += SAMPLES_PER_STATEMENT) {
            List<String> part = all.subList(from, Math.min(all.size(), from + SAMPLES_PER_STATEMENT));
            StringBuilder sql = new StringBuilder();
            for (int i = 0; i < part.size(); i++) {
                sql.append(i == 0 ? "" : " UNION ALL ")
                        .append("(SELECT r.phone_e164 FROM recipients r FORCE INDEX (uq_recipients_campaign_phone)")
                        .append(" WHERE r.campaign_id = ? AND r.phone_e164 LIKE ? AND ").append(PREFIX)
                        .append(" = ? AND r.status = 'pending' ORDER BY r.phone_e164 LIMIT 1)");
            }
            Jdbc.list(dataSource, sql.toString(), query -> {
                int i = 1;
                for (String prefix : part) {
                    query.setLong(i++, campaignId);
                    query.setString(i++, prefix + "%"); // a range of the key; LEFT(…) = prefix is the test
                    query.setString(i++, prefix);
                }
            }, row -> first.put(LoadedRecipients.prefixOf(row.getString(1)), row.getString(1)), "finding the first pending numbers");
        }
        return first;
    }

    /** Pending recipients whose number is on the suppression list (one unique-key probe per opt-out). */
    private Map<String, Long> suppressedByNumber(long campaignId) {
        return counts("SELECT prefix, COUNT(*) FROM (" + BY_NUMBER + ") s GROUP BY prefix", campaignId, List.of(),
                "counting suppressed recipients");
    }

    /**
     * Pending loaded recipients matched by hash by an erased opt-out (one that kept only the hash): the
     * number's contact, when there is one, is found by its hash (ix_contacts_hash_facts); a loaded recipient
     * whose contact is gone lost it to an erasure, which noted it in erased_contact_recipients.
     */
    private Map<String, Long> erasedSuppressedFromLoads(long campaignId) {
        return counts("SELECT prefix, COUNT(*) FROM (SELECT " + PREFIX + " AS prefix FROM opt_outs o"
                + " STRAIGHT_JOIN contacts c FORCE INDEX (ix_contacts_hash_facts) ON c.phone_hash = o.phone_hash"
                + " STRAIGHT_JOIN recipients r ON r.campaign_id = ? AND r.phone_e164 = c.phone_e164"
                + " WHERE o.phone_e164 IS NULL AND o.bsuid IS NULL AND r.status = 'pending'"
                + " UNION ALL SELECT " + PREFIX + " FROM erased_contact_recipients e STRAIGHT_JOIN recipients r ON r.id = e.recipient_id"
                + " WHERE e.campaign_id = ? AND r.campaign_id = e.campaign_id AND r.status = 'pending' AND " + NO_CONTACT
                + " AND SHA2(r.phone_e164, 256) IN (" + ERASED + ")) s GROUP BY prefix",
                campaignId, List.of(), "counting suppressed recipients by hash", campaignId);
    }

    /**
     * Pending, not suppressed loaded recipients without a recorded opt-in: those whose contact has none,
     * from the contacts without one (ix_contacts_opt_in holds their numbers) in the prefixes that have
     * pending recipients, with one probe of the campaign's unique key each, and those whose contact an
     * erasure deleted.
     */
    private Map<String, Long> withoutOptInFromLoads(long campaignId, List<PrefixCount> pending) {
        if (pending.isEmpty()) {
            return Map.of();
        }
        String notSuppressed = notSuppressed();
        return counts("SELECT prefix, COUNT(*) FROM (SELECT " + PREFIX + " AS prefix FROM contacts c FORCE INDEX (ix_contacts_opt_in)"
                + " STRAIGHT_JOIN recipients r ON r.campaign_id = ? AND r.phone_e164 = c.phone_e164"
                + " WHERE c.opt_in_source IS NULL AND LEFT(c.phone_e164, 5) IN (" + Jdbc.placeholders(pending.size()) + ")"
                + " AND r.status = 'pending' AND " + notSuppressed
                + " UNION ALL SELECT " + PREFIX + " FROM erased_contact_recipients e STRAIGHT_JOIN recipients r ON r.id = e.recipient_id"
                + " WHERE e.campaign_id = ? AND r.campaign_id = e.campaign_id AND r.status = 'pending' AND " + NO_CONTACT
                + " AND " + notSuppressed + ") s GROUP BY prefix",
                campaignId, pending.stream().map(PrefixCount::prefix).toList(), "counting recipients without an opt-in", campaignId);
    }

    private static final String NO_CONTACT = "NOT EXISTS (SELECT 1 FROM contacts c WHERE c.phone_e164 = r.phone_e164)";

    private static List<String> readKeys(String json) {
        try {
            return JsonColumns.mapperCopy().readValue(json, KEYS);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("corrupt keys in loaded_recipients", e);
        }
    }

    /** Whether any opt-out has lost its number (an erased contact's, D14). */
    private boolean hasErasedOptOuts() {
        return Jdbc.list(dataSource, "SELECT EXISTS (" + ERASED + ")", query -> {
        }, row -> row.getBoolean(1), "looking for erased opt-outs").get(0);
    }

    /** The recipient r is not on the suppression list, by number and (when some opt-outs lost theirs) by hash. */
    private String notSuppressed() {
        return "NOT EXISTS (SELECT 1 FROM opt_outs o WHERE o.phone_e164 = r.phone_e164)"
                + (hasErasedOptOuts() ? " AND SHA2(r.phone_e164, 256) NOT IN (" + ERASED + ")" : "");
    }

    /** Other campaigns sending from the same business number right now. */
    public long otherSendingCampaigns(String phoneNumberId, long campaignId) {
        return Jdbc.list(dataSource,
                "SELECT COUNT(*) FROM campaigns WHERE status = 'sending' AND phone_number_id = ? AND id <> ?",
                query -> {
                    query.setString(1, phoneNumberId);
                    query.setLong(2, campaignId);
                },
                row -> row.getLong(1), "counting sending campaigns").get(0);
    }

    /**
     * Distinct numbers Meta accepted a template for (sent or beyond) that were dispatched at or after
     * {@code since}, across all campaigns: {@code messaged_at} is when the job left for the sender, seconds
     * before Meta's acceptance. Through {@code ix_recipients_messaged} even when the optimizer, counting the
     * window's rows, would rather scan the table (265 against 153 ms for 100,000 of 1M rows).
     */
    public long reachedSince(Instant since) {
        return Jdbc.list(dataSource,
                "SELECT COUNT(DISTINCT phone_digits) FROM recipients FORCE INDEX (ix_recipients_messaged) WHERE messaged_at >= ?"
                        + " AND status IN ('sent', 'delivered', 'read', 'responded')",
                query -> Jdbc.setInstant(query, 1, since),
                row -> row.getLong(1), "counting numbers reached").get(0);
    }

    private Map<String, Long> counts(String sql, long campaignId, List<String> more, String what, long... moreIds) {
        Map<String, Long> counts = new HashMap<>();
        Jdbc.list(dataSource, sql, query -> {
            query.setLong(1, campaignId);
            for (int i = 0; i < more.size(); i++) {
                query.setString(i + 2, more.get(i));
            }
            for (int i = 0; i < moreIds.length; i++) {
                query.setLong(i + 2 + more.size(), moreIds[i]);
            }
        }, row -> counts.put(row.getString(1), row.getLong(2)), what);
        return counts;
    }
}
