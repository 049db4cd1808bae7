package io.wacast.campaign.repository;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Collection;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import io.agroal.api.AgroalDataSource;
import io.wacast.campaign.domain.PhoneHash;

/** The suppression list as the applier changes it: in bulk, inside the transaction of the events. */
@ApplicationScoped
public class SuppressionRepository {

    /** A number to suppress and why. */
    public record Entry(String phone, String source, String reason) {
    }

    private final AgroalDataSource dataSource;

    SuppressionRepository(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Adds the numbers not yet on the list; an existing entry keeps its source. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void suppress(Collection<Entry> entries, Instant now) {
        if (entries.isEmpty()) {
            return;
        }
        try (Connection connection = dataSource.getConnection();
                PreparedStatement insert = connection.prepareStatement(
                        "INSERT INTO opt_outs (phone_e164, phone_hash, source, reason, created_at) VALUES (?, ?, ?, ?, ?)"
                                // an existing opt-out keeps its source (an erased one gets its number back);
                                // unlike INSERT IGNORE, any other error fails the batch
                                + " ON DUPLICATE KEY UPDATE phone_e164 = COALESCE(phone_e164, VALUES(phone_e164))")) {
            for (Entry entry : entries) {
                insert.setString(1, entry.phone());
                insert.setString(2, PhoneHash.of(entry.phone()));
                insert.setString(3, entry.source());
                insert.setString(4, entry.reason());
                Jdbc.setInstant(insert, 5, now);
                insert.addBatch();
            }
            insert.executeBatch();
            List<String> hashes = entries.stream().map(entry -> PhoneHash.of(entry.phone())).distinct().toList();
            for (int from = 0; from < hashes.size(); from += 1000) {
                ConsentHistoryRepository.optedOut(connection, hashes.subList(from, Math.min(from + 1000, hashes.size())), now);
            }
        } catch (SQLException e) {
            throw Jdbc.failure("adding to the suppression list", e);
        }
    }

    /**
     * Puts the number back on the opt-outs of {@code phones} that an erasure left as a hash only: the
     * operator has the number again (an upload, an import, the API), so the list shows it again.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void reidentify(Collection<String> phones) {
        if (phones.isEmpty()) {
            return;
        }
        try (Connection connection = dataSource.getConnection();
                PreparedStatement update = connection.prepareStatement(
                        "UPDATE opt_outs SET phone_e164 = ? WHERE phone_hash = ? AND phone_e164 IS NULL")) {
            for (String phone : phones) {
                update.setString(1, phone);
                update.setString(2, PhoneHash.of(phone));
                update.addBatch();
            }
            update.executeBatch();
        } catch (SQLException e) {
            throw Jdbc.failure("restoring erased numbers on the suppression list", e);
        }
    }

    /**
     * Removes the numbers whose entry came from one of {@code sources}; others stay suppressed. By hash:
     * the user's own opt-in lifts their opt-out even after their contact was erased.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void lift(Collection<String> phones, Collection<String> sources) {
        if (phones.isEmpty()) {
            return;
        }
        try (Connection connection = dataSource.getConnection();
                PreparedStatement delete = connection.prepareStatement("DELETE FROM opt_outs WHERE phone_hash IN ("
                        + Jdbc.placeholders(phones.size()) + ") AND source IN (" + Jdbc.placeholders(sources.size()) + ")")) {
            ConsentHistoryRepository.lifted(connection, phones.stream().map(PhoneHash::of).toList(), sources, Instant.now());
            int i = 1;
            for (String phone : phones) {
                delete.setString(i++, PhoneHash.of(phone));
            }
            for (String source : sources) {
                delete.setString(i++, source);
            }
            delete.executeUpdate();
        } catch (SQLException e) {
            throw Jdbc.failure("lifting suppressions", e);
        }
    }
}
