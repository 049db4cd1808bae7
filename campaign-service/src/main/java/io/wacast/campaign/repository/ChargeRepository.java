package io.wacast.campaign.repository;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import io.agroal.api.AgroalDataSource;

/**
 * What Meta charges per campaign (V25): one row per charged message, rolled up per campaign, category
 * and country in the applier's transaction; read by the stats.
 */
@ApplicationScoped
public class ChargeRepository {

    /** One charged message, as its status webhook priced it. */
    public record Charge(String wamid, long campaignId, String category, String country, String pricingModel,
            Instant at) {
    }

    /** A campaign's charged messages of one category to one country. */
    public record Line(String category, String country, long messages) {
    }

    /** The campaign's recipients that were or will be sent (not opted out, not cancelled), by number prefix. */
    public record PrefixCount(String prefix, String sample, long recipients) {
    }

    private final AgroalDataSource dataSource;

    ChargeRepository(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * Records the charges of messages not recorded before and counts them: a message is counted once
     * whichever of its statuses, and however many redeliveries, bring its pricing. A concurrent batch
     * recording the same message fails on the primary key, and its batch is tried again.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public int record(Collection<Charge> charges) {
        if (charges.isEmpty()) {
            return 0;
        }
        List<String> wamids = charges.stream().map(Charge::wamid).toList();
        Set<String> recorded = new HashSet<>(Jdbc.list(dataSource,
                "SELECT wamid FROM campaign_charged_messages WHERE wamid IN (" + Jdbc.placeholders(wamids.size()) + ")",
                query -> {
                    for (int i = 0; i < wamids.size(); i++) {
                        query.setString(i + 1, wamids.get(i));
                    }
                }, row -> row.getString(1), "reading charged messages"));
        Map<String, Map<String, Long>> deltas = new TreeMap<>();
        try (Connection connection = dataSource.getConnection();
                PreparedStatement insert = connection.prepareStatement("INSERT INTO campaign_charged_messages"
                        + " (wamid, campaign_id, category, country, pricing_model, charged_at) VALUES (?, ?, ?, ?, ?, ?)");
                PreparedStatement rollup = connection.prepareStatement(
                        "INSERT INTO campaign_charges (campaign_id, category, country, messages) VALUES (?, ?, ?, ?)"
                                + " ON DUPLICATE KEY UPDATE messages = messages + VALUES(messages)")) {
            for (Charge charge : charges) {
                if (!recorded.add(charge.wamid())) {
                    continue;
                }
                insert.setString(1, charge.wamid());
                insert.setLong(2, charge.campaignId());
                insert.setString(3, charge.category());
                insert.setString(4, charge.country());
                insert.setString(5, charge.pricingModel());
                Jdbc.setDatetime(insert, 6, charge.at());
                insert.addBatch();
                deltas.computeIfAbsent(charge.campaignId() + "\u001f" + charge.category(), k -> new TreeMap<>())
                        .merge(charge.country(), 1L, Long::sum);
            }
            if (deltas.isEmpty()) {
                return 0;
            }
            insert.executeBatch();
            int counted = 0;
            for (var group : deltas.entrySet()) {
                String[] key = group.getKey().split("\u001f", 2);
                for (var country : group.getValue().entrySet()) {
                    rollup.setLong(1, Long.parseLong(key[0]));
                    rollup.setString(2, key[1]);
                    rollup.setString(3, country.getKey());
                    rollup.setLong(4, country.getValue());
                    rollup.addBatch();
                    counted += country.getValue();
                }
            }
            rollup.executeBatch();
            return counted;
        } catch (SQLException e) {
            throw Jdbc.failure("recording charged messages", e);
        }
    }

    /** The campaign's charged messages by category and country. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public List<Line> lines(long campaignId) {
        return Jdbc.list(dataSource, "SELECT category, country, messages FROM campaign_charges WHERE campaign_id = ?"
                        + " ORDER BY category, country", query -> query.setLong(1, campaignId),
                row -> new Line(row.getString(1), row.getString(2), row.getLong(3)), "reading charges");
    }

    /** Recipients sent or to be sent, by prefix, for the estimate next to the charges (as the plan counts). */
    @Transactional(Transactional.TxType.SUPPORTS)
    public List<PrefixCount> sendableByPrefix(long campaignId) {
        return Jdbc.list(dataSource,
                "SELECT LEFT(r.phone_e164, 5) AS prefix, MIN(r.phone_e164) AS sample, COUNT(*) FROM recipients r"
                        + " WHERE r.campaign_id = ? AND r.status NOT IN ('opted_out', 'cancelled')"
                        + " GROUP BY LEFT(r.phone_e164, 5)",
                query -> query.setLong(1, campaignId),
                row -> new PrefixCount(row.getString(1), row.getString(2), row.getLong(3)),
                "counting recipients by prefix");
    }
}
