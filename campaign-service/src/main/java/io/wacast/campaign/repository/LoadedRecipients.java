package io.wacast.campaign.repository;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import io.agroal.api.AgroalDataSource;
import io.wacast.campaign.domain.JsonColumns;
import io.wacast.campaign.repository.RecipientRepository.NewRecipient;

/**
 * What the paths that store recipients (an upload, a duplicate, a follow-up) vouch for about the rows
 * they stored (V32, DESIGN.md §11 D32): how many per number prefix, the template variables all of them
 * and some of them have a value of their own for, and that each had a contact (or was noted as having
 * none); kept so the pre-flight plan of a large campaign reads the few rows that changed since instead
 * of every recipient. The plan trusts them only while they account for every recipient of the campaign
 * (PlanRepository), so a path that stores recipients without telling them costs time, never exactness.
 */
@ApplicationScoped
public class LoadedRecipients {

    /** The number prefix the plan groups by, as SQL's {@code LEFT(phone_e164, 5)}. */
    public static String prefixOf(String phone) {
        return phone.length() <= 5 ? phone : phone.substring(0, 5);
    }

    /** What one load stored, tallied row by row until {@link #loaded(long, Tally)} appends it. */
    public static final class Tally {

        private final Map<String, Long> byPrefix = new HashMap<>();
        private Set<String> everyRowKeys;
        private final Set<String> someRowKeys = new HashSet<>();

        /**
         * Counts stored rows. A key is carried by a row when its value is not blank (a load stores only
         * those; a copy keeps what its source stored), and may be by one that has the key at all.
         */
        public void add(Collection<NewRecipient> rows) {
            for (NewRecipient row : rows) {
                byPrefix.merge(prefixOf(row.phone()), 1L, Long::sum);
                Map<String, String> variables = row.variables() == null ? Map.of() : row.variables();
                if (everyRowKeys == null) {
                    everyRowKeys = new HashSet<>();
                    variables.forEach((key, value) -> {
                        if (carried(value)) {
                            everyRowKeys.add(key);
                        }
                    });
                } else if (!everyRowKeys.isEmpty()) {
                    everyRowKeys.removeIf(key -> !carried(variables.get(key)));
                }
                someRowKeys.addAll(variables.keySet());
            }
        }

        private static boolean carried(String value) {
            return value != null && !value.isBlank();
        }
    }

    private final AgroalDataSource dataSource;

    LoadedRecipients(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * Appends one load: rows stored by prefix, the variable keys every one of them has a non-blank value
     * of its own for, and those at least one of them has. The load's rows must each have had a contact
     * (the loader writes them) or have been passed to {@link #storedWithoutWritingContacts}.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void loaded(long campaignId, Tally tally) {
        if (tally.byPrefix.isEmpty()) {
            return;
        }
        append(campaignId, tally.byPrefix, JsonColumns.write(new TreeSet<>(tally.everyRowKeys)),
                JsonColumns.write(new TreeSet<>(tally.someRowKeys)), "recording loaded recipients");
    }

    /**
     * Tallies rows just stored by a path that does not write their contacts (a duplicate, a follow-up)
     * and notes, as an erasure would, those whose number has no contact. The other numbers' contacts are
     * read with shared locks held until the commit: an erasure of one of them waits for this load, then
     * sees its rows and notes them itself (as it does for the loader's, whose contact writes it waits for).
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void storedWithoutWritingContacts(long campaignId, List<NewRecipient> rows, Tally tally) {
        if (rows.isEmpty()) {
            return;
        }
        Set<String> without = new HashSet<>();
        rows.forEach(row -> without.add(row.phone()));
        List<String> phones = List.copyOf(without);
        Jdbc.list(dataSource, "SELECT phone_e164 FROM contacts WHERE phone_e164 IN (" + Jdbc.placeholders(phones.size())
                + ") LOCK IN SHARE MODE", query -> {
                    for (int i = 0; i < phones.size(); i++) {
                        query.setString(i + 1, phones.get(i));
                    }
                }, row -> without.remove(row.getString(1)), "checking the contacts of stored recipients");
        if (!without.isEmpty()) {
            List<String> missing = List.copyOf(without);
            try (Connection connection = dataSource.getConnection(); PreparedStatement note = connection.prepareStatement(
                    "INSERT IGNORE INTO erased_contact_recipients (campaign_id, recipient_id) SELECT campaign_id, id FROM recipients"
                            + " WHERE campaign_id = ? AND phone_e164 IN (" + Jdbc.placeholders(missing.size()) + ")")) {
                note.setLong(1, campaignId);
                for (int i = 0; i < missing.size(); i++) {
                    note.setString(i + 2, missing.get(i));
                }
                note.executeUpdate();
            } catch (SQLException e) {
                throw Jdbc.failure("noting stored recipients without a contact", e);
            }
        }
        tally.add(rows);
    }

    /** Appends the removal of a pending recipient. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void removed(long campaignId, String phone) {
        append(campaignId, Map.of(prefixOf(phone), -1L), null, null, "recording a removed recipient");
    }

    /** Deletes what is kept about a campaign that is deleted. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void forget(long campaignId) {
        Jdbc.deleteOfCampaign(dataSource, campaignId, "deleting a campaign's loaded recipients", "loaded_recipients",
                "erased_contact_recipients");
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
