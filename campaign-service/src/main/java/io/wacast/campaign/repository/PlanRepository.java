package io.wacast.campaign.repository;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import io.agroal.api.AgroalDataSource;

/**
 * The counts behind the pre-flight plan, each one SQL statement grouped on a recipient's number
 * prefix ({@code +} and four digits: the calling code and, for +1, the area code, which is all it
 * takes to know the country) so a 1M-recipient campaign is counted in the database, never loaded.
 */
@ApplicationScoped
public class PlanRepository {

    /** The pending recipients whose numbers start with {@code prefix}; {@code sample} is one of them. */
    public record PrefixCount(String prefix, String sample, long recipients) {
    }

    private static final String PREFIX = "LEFT(r.phone_e164, 5)";

    private final AgroalDataSource dataSource;

    PlanRepository(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** The campaign's pending recipients by number prefix (index range on (campaign_id, status)). */
    public List<PrefixCount> pendingByPrefix(long campaignId) {
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
    public Map<String, Long> suppressedByPrefix(long campaignId) {
        String byNumber = "SELECT " + PREFIX + " AS prefix FROM opt_outs o STRAIGHT_JOIN recipients r"
                + " ON r.campaign_id = ? AND r.phone_e164 = o.phone_e164 WHERE r.status = 'pending'";
        if (!hasErasedOptOuts()) {
            return counts("SELECT prefix, COUNT(*) FROM (" + byNumber + ") s GROUP BY prefix", campaignId, List.of(),
                    "counting suppressed recipients");
        }
        return counts("SELECT prefix, COUNT(*) FROM (" + byNumber + " UNION ALL SELECT " + PREFIX + " FROM recipients r"
                + " WHERE r.campaign_id = ? AND r.status = 'pending' AND SHA2(r.phone_e164, 256) IN (" + ERASED + ")) s"
                + " GROUP BY prefix", campaignId, List.of(), "counting suppressed recipients", campaignId);
    }

    /**
     * Pending, not suppressed recipients without a recorded opt-in (no contact, or a contact whose opt-in
     * is none), by prefix: a marketing template is not sent to them (the dispatcher's consent check).
     */
    public Map<String, Long> withoutOptInByPrefix(long campaignId) {
        return counts("SELECT " + PREFIX + ", COUNT(*) FROM recipients r LEFT JOIN contacts c ON c.phone_e164 = r.phone_e164"
                + " WHERE r.campaign_id = ? AND r.status = 'pending' AND c.opt_in_source IS NULL AND " + notSuppressed()
                + " GROUP BY " + PREFIX, campaignId, List.of(), "counting recipients without an opt-in");
    }

    /**
     * Pending, not suppressed recipients (with a recorded opt-in when {@code marketing}) without a
     * non-blank value of their own for at least one of {@code keys} (the template variables the campaign
     * has no default for), by prefix.
     */
    public Map<String, Long> missingVariablesByPrefix(long campaignId, List<String> keys, boolean marketing) {
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
     * {@code since}, across all campaigns: {@code queued_at} is when the job left for the sender, seconds
     * before Meta's acceptance (ix_recipients_queued_at).
     */
    public long reachedSince(Instant since) {
        return Jdbc.list(dataSource,
                "SELECT COUNT(DISTINCT phone_e164) FROM recipients WHERE queued_at >= ?"
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
