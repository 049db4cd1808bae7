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
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import io.agroal.api.AgroalDataSource;
import io.wacast.campaign.domain.JsonColumns;
import io.wacast.campaign.repository.RecipientRepository.NewRecipient;

/**
 * What the paths that store recipients (an upload, a duplicate, a follow-up, an audience snapshot) vouch
 * for about the rows they stored (V32, DESIGN.md §11 D32): how many per number prefix, the template
 * variables all of them and some of them have a value of their own for, and that each had a contact (or
 * was noted as having none); kept so the pre-flight plan of a large campaign, and the count of an
 * audience of its recipients, read the few rows that changed since instead of every recipient. Both trust
 * them only while they account for every recipient of the campaign (PlanRepository,
 * {@link #recipientsWithContacts}), so a path that stores recipients without telling them costs time,
 * never exactness.
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
                add(row.phone(), row.variables());
            }
        }

        /** Counts one stored row: its number and its variables (null: none). */
        public void add(String phone, Map<String, String> rowVariables) {
            byPrefix.merge(prefixOf(phone), 1L, Long::sum);
            Map<String, String> variables = rowVariables == null ? Map.of() : rowVariables;
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

        private static boolean carried(String value) {
            return value != null && !value.isBlank();
        }
    }

    /** Contacts per locking read of {@link #storedFromContacts}, as a snapshot reads them per chunk. */
    private static final int CONTACTS_PER_STATEMENT = 5000;

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
        noteWithoutContact(campaignId, without);
        tally.add(rows);
    }

    /**
     * Settles the contacts an audience snapshot stored rows from ({@code contactIds}, read with plain reads
     * in the snapshot's consistent view, so the contact book stayed writable), before the snapshot appends
     * its tally: they are read again with shared locks held until the commit, which reads the latest rows
     * and waits for an erasure under way. The locks are on the rows themselves (the primary key; through a
     * covering secondary index a shared lock would not meet a lock taken by id). A contact gone now was
     * erased after the snapshot read it, by an erasure that could not see the snapshot's uncommitted rows:
     * its rows are noted as that erasure would have noted them (the number read from the snapshot's view,
     * which still has the contact). An erasure after this waits for the commit, then sees the rows and
     * notes them itself (§11 D34).
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void storedFromContacts(long campaignId, long[] contactIds) {
        for (int from = 0; from < contactIds.length; from += CONTACTS_PER_STATEMENT) {
            int to = Math.min(contactIds.length, from + CONTACTS_PER_STATEMENT);
            Set<Long> gone = new HashSet<>();
            StringBuilder in = new StringBuilder();
            for (int i = from; i < to; i++) {
                gone.add(contactIds[i]);
                in.append(i > from ? "," : "").append(contactIds[i]);
            }
            Jdbc.list(dataSource, "SELECT id FROM contacts FORCE INDEX (PRIMARY) WHERE id IN (" + in + ") LOCK IN SHARE MODE", query -> {
            }, row -> gone.remove(row.getLong(1)), "locking the contacts of an audience snapshot");
            if (!gone.isEmpty()) {
                StringBuilder ids = new StringBuilder();
                gone.forEach(id -> ids.append(ids.length() > 0 ? "," : "").append(id));
                Set<String> phones = new HashSet<>(Jdbc.list(dataSource, "SELECT phone_e164 FROM contacts WHERE id IN (" + ids + ")",
                        query -> {
                        }, row -> row.getString(1), "reading erased contacts of an audience snapshot"));
                noteWithoutContact(campaignId, phones);
            }
        }
    }

    /** Notes the campaign's recipients of these numbers, which have no contact, as an erasure would. */
    private void noteWithoutContact(long campaignId, Set<String> phones) {
        if (phones.isEmpty()) {
            return;
        }
        List<String> missing = List.copyOf(phones);
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

    /**
     * How many recipients of the campaign in one of {@code statuses} (any when empty) have a contact now,
     * when the facts account for every recipient (their rows sum to the campaign's counters, which every
     * writer of recipients keeps): each such row had a contact when stored, and those that lost it are
     * noted, so the count is the counters of those statuses minus the noted rows in them whose number has
     * no contact now (a few probes, not one per recipient). Empty when the facts fall short. Read in the
     * caller's transaction, so in one snapshot.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public OptionalLong recipientsWithContacts(long campaignId, List<String> statuses) {
        boolean all = Jdbc.list(dataSource, "SELECT (SELECT COALESCE(SUM(recipients), 0) FROM loaded_recipients WHERE campaign_id = ?)"
                + " = (SELECT COALESCE(SUM(recipients), 0) FROM campaign_counters WHERE campaign_id = ?)", query -> {
                    query.setLong(1, campaignId);
                    query.setLong(2, campaignId);
                }, row -> row.getBoolean(1), "reading loaded recipients").get(0);
        if (!all) {
            return OptionalLong.empty();
        }
        String in = statuses.isEmpty() ? "" : " AND %s IN (" + Jdbc.placeholders(statuses.size()) + ")";
        Jdbc.Binder bind = query -> {
            query.setLong(1, campaignId);
            for (int i = 0; i < statuses.size(); i++) {
                query.setString(i + 2, statuses.get(i));
            }
        };
        long counted = Jdbc.list(dataSource, "SELECT COALESCE(SUM(recipients), 0) FROM campaign_counters WHERE campaign_id = ?"
                + in.formatted("status"), bind, row -> row.getLong(1), "reading campaign counters").get(0);
        long withoutContact = Jdbc.list(dataSource, "SELECT COUNT(*) FROM erased_contact_recipients e STRAIGHT_JOIN recipients r"
                + " ON r.id = e.recipient_id WHERE e.campaign_id = ?" + in.formatted("r.status")
                + " AND NOT EXISTS (SELECT 1 FROM contacts c WHERE c.phone_e164 = r.phone_e164)", bind, row -> row.getLong(1),
                "counting recipients without a contact").get(0);
        return OptionalLong.of(counted - withoutContact);
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
