package io.wacast.campaign.repository;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import io.agroal.api.AgroalDataSource;
import io.wacast.campaign.domain.JsonColumns;

/**
 * What the recipient loader vouches for about the rows it stored (V32, DESIGN.md §11 D32): how many per
 * number prefix, the template variables all of them and some of them have a value of their own for, and
 * that each had a contact; kept so the pre-flight plan of a large campaign reads the few rows that changed since instead
 * of every recipient. The plan trusts them only while they account for every recipient of the campaign
 * (PlanRepository), so a path that stores recipients without telling them costs time, never exactness.
 */
@ApplicationScoped
public class LoadedRecipients {

    /** The number prefix the plan groups by, as SQL's {@code LEFT(phone_e164, 5)}. */
    public static String prefixOf(String phone) {
        return phone.length() <= 5 ? phone : phone.substring(0, 5);
    }

    private final AgroalDataSource dataSource;

    LoadedRecipients(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * Appends one load: rows stored by prefix, the variable keys every one of them has a non-blank value
     * of its own for, and those at least one of them has (the keys of the stored variables: a load keeps
     * only non-blank values).
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void loaded(long campaignId, Map<String, Long> byPrefix, Set<String> everyRowKeys, Set<String> someRowKeys) {
        if (byPrefix.isEmpty()) {
            return;
        }
        append(campaignId, byPrefix, JsonColumns.write(new TreeSet<>(everyRowKeys)), JsonColumns.write(new TreeSet<>(someRowKeys)),
                "recording loaded recipients");
    }

    /** Appends the removal of a pending recipient. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void removed(long campaignId, String phone) {
        append(campaignId, Map.of(prefixOf(phone), -1L), null, null, "recording a removed recipient");
    }

    /** Deletes what is kept about a campaign that is deleted. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void forget(long campaignId) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement loaded = connection.prepareStatement("DELETE FROM loaded_recipients WHERE campaign_id = ?");
                PreparedStatement erased = connection.prepareStatement("DELETE FROM erased_contact_recipients WHERE campaign_id = ?")) {
            loaded.setLong(1, campaignId);
            loaded.executeUpdate();
            erased.setLong(1, campaignId);
            erased.executeUpdate();
        } catch (SQLException e) {
            throw Jdbc.failure("deleting a campaign's loaded recipients", e);
        }
    }

    /**
     * Records the recipients of {@code phone} in campaigns with loads, on the connection of the erasure
     * that has just deleted its contact: those rows no longer have the contact their load gave them.
     * A plain read placed after the contact's row lock: an upload that wrote the contact committed before
     * that lock was granted, so its rows are seen (an upload after it creates the contact again).
     */
    static void contactErased(Connection connection, String phone) throws SQLException {
        List<long[]> rows = new ArrayList<>();
        try (PreparedStatement query = connection.prepareStatement("SELECT r.campaign_id, r.id"
                + " FROM (SELECT DISTINCT campaign_id FROM loaded_recipients) l STRAIGHT_JOIN recipients r"
                + " ON r.campaign_id = l.campaign_id AND r.phone_e164 = ?")) {
            query.setString(1, phone);
            try (var found = query.executeQuery()) {
                while (found.next()) {
                    rows.add(new long[] {found.getLong(1), found.getLong(2)});
                }
            }
        }
        if (rows.isEmpty()) {
            return;
        }
        try (PreparedStatement insert = connection.prepareStatement(
                "INSERT IGNORE INTO erased_contact_recipients (campaign_id, recipient_id) VALUES (?, ?)")) {
            for (long[] row : rows) {
                insert.setLong(1, row[0]);
                insert.setLong(2, row[1]);
                insert.addBatch();
            }
            insert.executeBatch();
        }
    }

    private void append(long campaignId, Map<String, Long> byPrefix, String everyRowKeys, String someRowKeys, String what) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement insert = connection.prepareStatement("INSERT INTO loaded_recipients"
                        + " (campaign_id, prefix, recipients, every_row_keys, some_row_keys) VALUES (?, ?, ?, ?, ?)")) {
            for (var entry : new TreeMap<>(byPrefix).entrySet()) {
                insert.setLong(1, campaignId);
                insert.setString(2, entry.getKey());
                insert.setLong(3, entry.getValue());
                insert.setString(4, everyRowKeys);
                insert.setString(5, someRowKeys);
                insert.addBatch();
            }
            insert.executeBatch();
        } catch (SQLException e) {
            throw Jdbc.failure(what, e);
        }
    }
}
