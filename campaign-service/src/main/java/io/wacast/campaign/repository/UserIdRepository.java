package io.wacast.campaign.repository;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import io.agroal.api.AgroalDataSource;
import io.wacast.campaign.domain.PhoneHash;

/**
 * Business-scoped user ids (V24): the number each BSUID maps to ({@code user_ids}, and the contacts'
 * {@code bsuid}), and the suppression list's entries that name a BSUID. Written in the applier's
 * transaction.
 */
@ApplicationScoped
public class UserIdRepository {

    /**
     * The number a BSUID maps to: {@code phone} in E.164, or only its {@code hash} once the contact was
     * erased (the suppression list still matches the number by hash).
     */
    public record Mapping(String phone, String hash) {

        public static Mapping of(String phone) {
            return new Mapping(phone, PhoneHash.of(phone));
        }
    }

    /** A BSUID on the suppression list, with the entry's source. */
    public record Suppressed(String bsuid, String source, String reason) {
    }

    private final AgroalDataSource dataSource;

    UserIdRepository(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** The mappings known for these BSUIDs: {@code user_ids} first, else a contact holding the BSUID. */
    @Transactional(Transactional.TxType.MANDATORY)
    public Map<String, Mapping> mappings(Collection<String> bsuids) {
        Map<String, Mapping> found = new HashMap<>();
        if (bsuids.isEmpty()) {
            return found;
        }
        List<String> ids = List.copyOf(bsuids);
        for (Object[] row : rows("SELECT bsuid, phone_e164, phone_hash FROM user_ids WHERE phone_hash IS NOT NULL AND bsuid IN ("
                + Jdbc.placeholders(ids.size()) + ")", ids, "reading BSUID mappings")) {
            found.put((String) row[0], new Mapping((String) row[1], (String) row[2]));
        }
        for (Object[] row : rows("SELECT bsuid, phone_e164, phone_hash FROM contacts WHERE bsuid IN ("
                + Jdbc.placeholders(ids.size()) + ")", ids, "reading contacts' BSUIDs")) {
            found.putIfAbsent((String) row[0], new Mapping((String) row[1], (String) row[2]));
        }
        return found;
    }

    /**
     * Records that each BSUID maps to its number (a later mapping replaces an earlier one), and gives the
     * number's contact the BSUID when it has none yet (a BSUID another contact holds is left there).
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void learn(Map<String, Mapping> mappings, Instant now) {
        if (mappings.isEmpty()) {
            return;
        }
        try (Connection connection = dataSource.getConnection();
                PreparedStatement upsert = connection.prepareStatement(
                        "INSERT INTO user_ids (bsuid, phone_e164, phone_hash, learned_at) VALUES (?, ?, ?, ?)"
                                + " ON DUPLICATE KEY UPDATE phone_e164 = VALUES(phone_e164),"
                                + " phone_hash = VALUES(phone_hash), learned_at = VALUES(learned_at)");
                PreparedStatement contact = connection.prepareStatement(
                        "UPDATE IGNORE contacts SET bsuid = ? WHERE phone_hash = ? AND bsuid IS NULL")) {
            for (Map.Entry<String, Mapping> mapping : new java.util.TreeMap<>(mappings).entrySet()) {
                upsert.setString(1, mapping.getKey());
                upsert.setString(2, mapping.getValue().phone());
                upsert.setString(3, mapping.getValue().hash());
                Jdbc.setDatetime(upsert, 4, now);
                upsert.addBatch();
                contact.setString(1, mapping.getKey());
                contact.setString(2, mapping.getValue().hash());
                contact.addBatch();
            }
            upsert.executeBatch();
            contact.executeBatch();
        } catch (SQLException e) {
            throw Jdbc.failure("recording BSUID mappings", e);
        }
    }

    /**
     * Meta replaced {@code previous} with {@code current} (user_id_update): the old one points at the new
     * one, a contact holding the old one holds the new one, and an opt-out of the old one covers the new
     * one (the entry is the user's, whatever id Meta gives them).
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void replace(String previous, String current, Instant now) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement mark = connection.prepareStatement(
                        "INSERT INTO user_ids (bsuid, replaced_by, learned_at) VALUES (?, ?, ?)"
                                + " ON DUPLICATE KEY UPDATE replaced_by = VALUES(replaced_by)");
                PreparedStatement contact = connection.prepareStatement(
                        "UPDATE IGNORE contacts SET bsuid = ? WHERE bsuid = ?")) {
            mark.setString(1, previous);
            mark.setString(2, current);
            Jdbc.setInstant(mark, 3, now);
            mark.executeUpdate();
            contact.setString(1, current);
            contact.setString(2, previous);
            contact.executeUpdate();
        } catch (SQLException e) {
            throw Jdbc.failure("replacing a BSUID", e);
        }
    }

    /** The BSUIDs among these that are on the suppression list. */
    @Transactional(Transactional.TxType.MANDATORY)
    public Map<String, Suppressed> suppressed(Collection<String> bsuids) {
        Map<String, Suppressed> found = new HashMap<>();
        if (bsuids.isEmpty()) {
            return found;
        }
        List<String> ids = List.copyOf(bsuids);
        for (Object[] row : rows("SELECT bsuid, source, reason FROM opt_outs WHERE bsuid IN (" + Jdbc.placeholders(ids.size())
                + ")", ids, "reading suppressed BSUIDs")) {
            found.put((String) row[0], new Suppressed((String) row[0], (String) row[1], (String) row[2]));
        }
        return found;
    }

    /** Puts the BSUIDs on the suppression list; an existing entry keeps its source. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void suppress(Collection<Suppressed> entries, Instant now) {
        if (entries.isEmpty()) {
            return;
        }
        try (Connection connection = dataSource.getConnection();
                PreparedStatement insert = connection.prepareStatement(
                        "INSERT INTO opt_outs (phone_e164, phone_hash, bsuid, source, reason, created_at)"
                                + " VALUES (NULL, ?, ?, ?, ?, ?) ON DUPLICATE KEY UPDATE bsuid = bsuid")) {
            for (Suppressed entry : entries) {
                insert.setString(1, PhoneHash.of(entry.bsuid()));
                insert.setString(2, entry.bsuid());
                insert.setString(3, entry.source());
                insert.setString(4, entry.reason());
                Jdbc.setInstant(insert, 5, now);
                insert.addBatch();
            }
            insert.executeBatch();
            ConsentHistoryRepository.optedOut(connection, entries.stream().map(e -> PhoneHash.of(e.bsuid())).toList(), now);
        } catch (SQLException e) {
            throw Jdbc.failure("suppressing BSUIDs", e);
        }
    }

    /** Suppresses numbers known only by hash (an erased contact's): the entry stays without a number. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void suppressHashes(Collection<Suppressed> byHash, Instant now) {
        if (byHash.isEmpty()) {
            return;
        }
        try (Connection connection = dataSource.getConnection();
                PreparedStatement insert = connection.prepareStatement(
                        "INSERT INTO opt_outs (phone_e164, phone_hash, source, reason, created_at) VALUES (NULL, ?, ?, NULL, ?)"
                                + " ON DUPLICATE KEY UPDATE phone_hash = phone_hash")) {
            for (Suppressed entry : byHash) {
                insert.setString(1, entry.bsuid()); // here: the number's hash
                insert.setString(2, entry.source());
                Jdbc.setInstant(insert, 3, now);
                insert.addBatch();
            }
            insert.executeBatch();
            ConsentHistoryRepository.optedOut(connection, byHash.stream().map(Suppressed::bsuid).toList(), now);
        } catch (SQLException e) {
            throw Jdbc.failure("suppressing erased numbers", e);
        }
    }

    /** Lifts the BSUIDs' entries that came from one of {@code sources}; an operator's stays. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void lift(Collection<String> bsuids, Collection<String> sources) {
        if (bsuids.isEmpty()) {
            return;
        }
        List<Object> values = new ArrayList<>(bsuids);
        values.addAll(sources);
        try (Connection connection = dataSource.getConnection();
                PreparedStatement delete = connection.prepareStatement("DELETE FROM opt_outs WHERE bsuid IN ("
                        + Jdbc.placeholders(bsuids.size()) + ") AND source IN (" + Jdbc.placeholders(sources.size()) + ")")) {
            ConsentHistoryRepository.lifted(connection, bsuids.stream().map(PhoneHash::of).toList(), sources, Instant.now());
            for (int i = 0; i < values.size(); i++) {
                delete.setString(i + 1, (String) values.get(i));
            }
            delete.executeUpdate();
        } catch (SQLException e) {
            throw Jdbc.failure("lifting BSUID suppressions", e);
        }
    }

    private List<Object[]> rows(String sql, List<String> values, String what) {
        List<Object[]> rows = new ArrayList<>();
        try (Connection connection = dataSource.getConnection();
                PreparedStatement select = connection.prepareStatement(sql)) {
            for (int i = 0; i < values.size(); i++) {
                select.setString(i + 1, values.get(i));
            }
            try (ResultSet result = select.executeQuery()) {
                int columns = result.getMetaData().getColumnCount();
                while (result.next()) {
                    Object[] row = new Object[columns];
                    for (int c = 0; c < columns; c++) {
                        row[c] = result.getString(c + 1);
                    }
                    rows.add(row);
                }
            }
        } catch (SQLException e) {
            throw Jdbc.failure(what, e);
        }
        return rows;
    }
}
