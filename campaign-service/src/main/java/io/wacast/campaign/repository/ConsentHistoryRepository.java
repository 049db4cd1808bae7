package io.wacast.campaign.repository;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import io.agroal.api.AgroalDataSource;
import io.wacast.campaign.domain.Contact;
import io.wacast.campaign.domain.PhoneHash;
import io.wacast.campaign.service.RequestActor;

/**
 * The log of consent changes ({@code consent_history}, V26): written by the repositories that change
 * consent, in their transaction and on their connection, right after the change, from the rows as the
 * change left them — so a bulk upsert that kept an earlier opt-in logs nothing for that number. Read
 * newest first by the number's hash.
 */
@ApplicationScoped
public class ConsentHistoryRepository {

    /** The actor of changes made outside an API request: webhooks (the user's STOP/START, Meta's refusals). */
    public static final String WEBHOOK = "whatsapp";

    /** One change: {@code status} opted_in, none, opted_out or opt_out_lifted. */
    public record Change(long id, String status, String source, String evidence, String actor, Instant at) {
    }

    private final AgroalDataSource dataSource;

    ConsentHistoryRepository(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * Logs the opt-in {@code optIn} for those of {@code phones} whose contact now holds exactly it (same
     * source and time): the ones the statement just before recorded it for.
     */
    static void optedIn(Connection connection, Collection<String> phones, Contact.OptIn optIn) throws SQLException {
        if (phones.isEmpty() || optIn == null) {
            return;
        }
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO consent_history (phone_hash, status, source,"
                + " evidence, actor, occurred_at) SELECT c.phone_hash, 'opted_in', c.opt_in_source, c.opt_in_evidence, ?, c.opt_in_at"
                + " FROM contacts c WHERE c.phone_e164 IN (" + Jdbc.placeholders(phones.size()) + ") AND c.opt_in_source = ?"
                + " AND c.opt_in_at = ?")) {
            int i = 1;
            insert.setString(i++, RequestActor.current(WEBHOOK));
            for (String phone : phones) {
                insert.setString(i++, phone);
            }
            insert.setString(i++, optIn.source().value());
            // bound as the writers bind it (a string at microseconds), so equal means "this very opt-in"
            insert.setString(i, Jdbc.datetime(optIn.at()));
            insert.executeUpdate();
        }
    }

    /** Logs opt-ins given per number (several opt-ins in one batch), grouped so each group is one statement. */
    static void optedIn(Connection connection, java.util.Map<String, Contact.OptIn> optIns) throws SQLException {
        java.util.Map<Contact.OptIn, List<String>> byOptIn = new java.util.LinkedHashMap<>();
        optIns.forEach((phone, optIn) -> {
            if (optIn != null) {
                byOptIn.computeIfAbsent(optIn, key -> new ArrayList<>()).add(phone);
            }
        });
        for (var group : byOptIn.entrySet()) {
            for (int from = 0; from < group.getValue().size(); from += 1000) {
                optedIn(connection, group.getValue().subList(from, Math.min(from + 1000, group.getValue().size())), group.getKey());
            }
        }
    }

    /** Logs one change of one number made outside these repositories (the opt-out API's entity writes). */
    @Transactional(Transactional.TxType.MANDATORY)
    public void record(String phoneHash, String status, String source, String evidence, Instant at) {
        try (Connection connection = dataSource.getConnection()) {
            record(connection, phoneHash, status, source, evidence, at);
        } catch (SQLException e) {
            throw Jdbc.failure("recording a consent change", e);
        }
    }

    /** Logs one change of one number. */
    static void record(Connection connection, String phoneHash, String status, String source, String evidence, Instant at)
            throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO consent_history (phone_hash, status, source,"
                + " evidence, actor, occurred_at) VALUES (?, ?, ?, ?, ?, ?)")) {
            insert.setString(1, phoneHash);
            insert.setString(2, status);
            insert.setString(3, source);
            insert.setString(4, evidence);
            insert.setString(5, RequestActor.current(WEBHOOK));
            insert.setString(6, Jdbc.datetime(at));
            insert.executeUpdate();
        }
    }

    /** Logs the opt-outs of {@code hashes} created at {@code now} (an existing opt-out kept is no change). */
    static void optedOut(Connection connection, Collection<String> hashes, Instant now) throws SQLException {
        if (hashes.isEmpty()) {
            return;
        }
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO consent_history (phone_hash, status, source,"
                + " evidence, actor, occurred_at) SELECT o.phone_hash, 'opted_out', o.source, o.reason, ?, o.created_at"
                + " FROM opt_outs o WHERE o.phone_hash IN (" + Jdbc.placeholders(hashes.size()) + ") AND o.created_at = ?")) {
            int i = 1;
            insert.setString(i++, RequestActor.current(WEBHOOK));
            for (String hash : hashes) {
                insert.setString(i++, hash);
            }
            Jdbc.setInstant(insert, i, now); // bound as SuppressionRepository.suppress binds created_at
            insert.executeUpdate();
        }
    }

    /** Logs the lifting of the opt-outs of {@code hashes} from {@code sources}, before they are deleted. */
    static void lifted(Connection connection, Collection<String> hashes, Collection<String> sources, Instant now)
            throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO consent_history (phone_hash, status, source,"
                + " evidence, actor, occurred_at) SELECT o.phone_hash, 'opt_out_lifted', o.source, NULL, ?, ? FROM opt_outs o"
                + " WHERE o.phone_hash IN (" + Jdbc.placeholders(hashes.size()) + ") AND o.source IN ("
                + Jdbc.placeholders(sources.size()) + ")")) {
            int i = 1;
            insert.setString(i++, RequestActor.current(WEBHOOK));
            insert.setString(i++, Jdbc.datetime(now));
            for (String hash : hashes) {
                insert.setString(i++, hash);
            }
            for (String source : sources) {
                insert.setString(i++, source);
            }
            insert.executeUpdate();
        }
    }

    /** Erasure keeps the log (status, source, time, actor) but not its evidence. */
    static void forgetEvidence(Connection connection, String phone) throws SQLException {
        try (PreparedStatement update = connection.prepareStatement(
                "UPDATE consent_history SET evidence = NULL WHERE phone_hash = ? AND evidence IS NOT NULL")) {
            update.setString(1, PhoneHash.of(phone));
            update.executeUpdate();
        }
    }

    /** The changes of a number, newest first, at most {@code limit}. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public List<Change> of(String phone, int limit) {
        return Jdbc.list(dataSource, "SELECT id, status, source, evidence, actor, occurred_at FROM consent_history"
                + " WHERE phone_hash = ? ORDER BY id DESC LIMIT ?", query -> {
                    query.setString(1, PhoneHash.of(phone));
                    query.setInt(2, limit);
                }, row -> new Change(row.getLong(1), row.getString(2), row.getString(3), row.getString(4), row.getString(5),
                        Jdbc.instant(row.getTimestamp(6))), "reading a consent history");
    }
}
