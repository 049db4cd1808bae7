package io.wacast.campaign.repository;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.Optional;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;

import io.agroal.api.AgroalDataSource;
import io.wacast.campaign.domain.JsonColumns;
import io.wacast.campaign.domain.PhoneHash;
import io.wacast.campaign.domain.Recipient;
import io.wacast.campaign.domain.ResendState;
import io.wacast.common.WireNames;
import io.wacast.common.status.RecipientStatus;

/** Recipient rows in bulk: batched inserts for loading, keyset pages for reading, set-wise updates. */
@ApplicationScoped
public class RecipientRepository {

    /** A row to insert; {@code variables} is null when the recipient has no values of its own. */
    public record NewRecipient(String phone, String name, Map<String, String> variables, RecipientStatus status) {
    }

    private static final String COLUMNS = "id, campaign_id, phone_e164, name, variables, status, wamid,"
            + " last_error_code, last_error_message, created_at, updated_at";

    private final AgroalDataSource dataSource;

    RecipientRepository(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** One JDBC batch, sent as multi-row INSERTs (rewriteBatchedStatements). */
    @Transactional(Transactional.TxType.MANDATORY)
    public void insert(long campaignId, List<NewRecipient> rows, Instant now) {
        if (rows.isEmpty()) {
            return;
        }
        try (Connection connection = dataSource.getConnection();
                PreparedStatement insert = connection.prepareStatement(
                        "INSERT INTO recipients (campaign_id, phone_e164, name, variables, status, created_at, updated_at)"
                                + " VALUES (?, ?, ?, ?, ?, ?, ?)")) {
            String at = Jdbc.datetime(now);
            for (NewRecipient row : rows) {
                insert.setLong(1, campaignId);
                insert.setString(2, row.phone());
                insert.setString(3, row.name());
                insert.setString(4, row.variables() == null || row.variables().isEmpty() ? null : JsonColumns.write(row.variables()));
                insert.setString(5, WireNames.of(row.status()));
                insert.setString(6, at);
                insert.setString(7, at);
                insert.addBatch();
            }
            insert.executeBatch();
        } catch (SQLException e) {
            throw Jdbc.failure("storing recipients", e);
        }
    }

    /**
     * Copies every recipient of {@code fromCampaign} into {@code toCampaign} with its name and variables,
     * as pending, or opted_out when the number is on the suppression list now; returns how many went
     * into each status. The source is read in keyset pages of plain (consistent, non-locking) reads: an
     * INSERT … SELECT would hold a shared lock on every source row until the commit, and the applier
     * of a sending source would wait for it. {@code stored} sees each page once it is inserted.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public Map<RecipientStatus, Long> copy(long fromCampaign, long toCampaign, int pageSize, Instant now,
            Consumer<List<NewRecipient>> stored) {
        Map<RecipientStatus, Long> copied = new EnumMap<>(RecipientStatus.class);
        long afterId = 0;
        List<Map.Entry<Long, NewRecipient>> page;
        do {
            long from = afterId;
            page = Jdbc.list(dataSource,
                    "SELECT r.id, r.phone_e164, r.name, r.variables, o.phone_hash IS NOT NULL FROM recipients r"
                            // by hash (V10): an erased contact's opt-out keeps only the hash of its number
                            + " LEFT JOIN opt_outs o ON o.phone_hash = SHA2(r.phone_e164, 256)"
                            + " WHERE r.campaign_id = ? AND r.id > ? ORDER BY r.id LIMIT ?",
                    query -> {
                        query.setLong(1, fromCampaign);
                        query.setLong(2, from);
                        query.setInt(3, pageSize);
                    },
                    row -> Map.entry(row.getLong(1), new NewRecipient(row.getString(2), row.getString(3),
                            JsonColumns.readStringMap(row.getString(4)),
                            row.getBoolean(5) ? RecipientStatus.OPTED_OUT : RecipientStatus.PENDING)),
                    "reading recipients to copy");
            List<NewRecipient> rows = new ArrayList<>(page.size());
            for (Map.Entry<Long, NewRecipient> entry : page) {
                afterId = entry.getKey();
                rows.add(entry.getValue());
                copied.merge(entry.getValue().status(), 1L, Long::sum);
            }
            insert(toCampaign, rows, now);
            stored.accept(rows);
        } while (page.size() == pageSize);
        return copied;
    }

    /** Which of {@code phones} the campaign already has. */
    @Transactional(Transactional.TxType.MANDATORY)
    public Set<String> existingPhones(long campaignId, Collection<String> phones) {
        if (phones.isEmpty()) {
            return Set.of();
        }
        try (Connection connection = dataSource.getConnection();
                PreparedStatement query = connection.prepareStatement("SELECT phone_e164 FROM recipients WHERE campaign_id = ?"
                        + " AND phone_e164 IN (" + Jdbc.placeholders(phones.size()) + ")")) {
            query.setLong(1, campaignId);
            int i = 2;
            for (String phone : phones) {
                query.setString(i++, phone);
            }
            return readStrings(query);
        } catch (SQLException e) {
            throw Jdbc.failure("checking duplicate recipients", e);
        }
    }

    /**
     * Which of {@code phones} are on the suppression list, found by hash so that the opt-out of an
     * erased contact (its number gone from the list) still counts.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public Set<String> suppressed(Collection<String> phones) {
        if (phones.isEmpty()) {
            return Set.of();
        }
        Map<String, String> byHash = new java.util.HashMap<>(phones.size() * 2);
        for (String phone : phones) {
            byHash.put(PhoneHash.of(phone), phone);
        }
        try (Connection connection = dataSource.getConnection();
                PreparedStatement query = connection.prepareStatement(
                        "SELECT phone_hash FROM opt_outs WHERE phone_hash IN (" + Jdbc.placeholders(byHash.size()) + ")")) {
            int i = 1;
            for (String hash : byHash.keySet()) {
                query.setString(i++, hash);
            }
            Set<String> suppressed = new HashSet<>();
            for (String hash : readStrings(query)) {
                suppressed.add(byHash.get(hash));
            }
            return suppressed;
        } catch (SQLException e) {
            throw Jdbc.failure("checking the suppression list", e);
        }
    }

    /** Of some recipients, those whose number is suppressed and those whose number has a marketing opt-in. */
    public record Standing(Set<Long> suppressed, Set<Long> optedIn) {
    }

    /**
     * The standing of recipients by id, looked up in MariaDB in one query: suppressed when the hash of
     * the number is on the suppression list (as {@link #suppressed}), opted in when the contact book
     * records a marketing opt-in for it (a number without a contact has none: an erased contact's
     * recipients are not sent marketing; asked only when {@code withOptIn}). The dispatcher asks this
     * once per round: binding ids costs the driver a fraction of binding numbers and their hashes, and
     * the service hashes nothing.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public Standing standing(List<Long> ids, boolean withOptIn) {
        Set<Long> suppressed = new HashSet<>();
        Set<Long> optedIn = new HashSet<>();
        if (ids.isEmpty()) {
            return new Standing(suppressed, optedIn);
        }
        String optIn = withOptIn ? "EXISTS (SELECT 1 FROM contacts c WHERE c.phone_e164 = r.phone_e164"
                + " AND c.opt_in_source IS NOT NULL)" : "FALSE";
        try (Connection connection = dataSource.getConnection();
                PreparedStatement query = connection.prepareStatement("SELECT r.id,"
                        + " EXISTS (SELECT 1 FROM opt_outs o WHERE o.phone_hash = SHA2(r.phone_e164, 256)), " + optIn
                        + " FROM recipients r WHERE r.id IN (" + Jdbc.placeholders(ids.size()) + ")")) {
            int i = 1;
            for (long id : ids) {
                query.setLong(i++, id);
            }
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    if (rows.getBoolean(2)) {
                        suppressed.add(rows.getLong(1));
                    }
                    if (rows.getBoolean(3)) {
                        optedIn.add(rows.getLong(1));
                    }
                }
            }
            return new Standing(suppressed, optedIn);
        } catch (SQLException e) {
            throw Jdbc.failure("checking suppressions and marketing opt-ins", e);
        }
    }

    /** A page in id order, optionally of one status (served by the (campaign, status, id) index). */
    @Transactional(Transactional.TxType.SUPPORTS)
    public List<Recipient> page(long campaignId, RecipientStatus status, int page, int size) {
        String sql = "SELECT " + COLUMNS + " FROM recipients WHERE campaign_id = ?"
                + (status == null ? "" : " AND status = ?") + " ORDER BY id LIMIT ? OFFSET ?";
        try (Connection connection = dataSource.getConnection(); PreparedStatement query = connection.prepareStatement(sql)) {
            int i = 1;
            query.setLong(i++, campaignId);
            if (status != null) {
                query.setString(i++, WireNames.of(status));
            }
            query.setInt(i++, size);
            query.setLong(i, (long) page * size);
            return readRecipients(query);
        } catch (SQLException e) {
            throw Jdbc.failure("listing recipients", e);
        }
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public Optional<Recipient> find(long campaignId, long recipientId) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement query = connection.prepareStatement(
                        "SELECT " + COLUMNS + " FROM recipients WHERE id = ? AND campaign_id = ?")) {
            query.setLong(1, recipientId);
            query.setLong(2, campaignId);
            return readRecipients(query).stream().findFirst();
        } catch (SQLException e) {
            throw Jdbc.failure("reading a recipient", e);
        }
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public Optional<Recipient> findByPhone(long campaignId, String phone) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement query = connection.prepareStatement(
                        "SELECT " + COLUMNS + " FROM recipients WHERE campaign_id = ? AND phone_e164 = ?")) {
            query.setLong(1, campaignId);
            query.setString(2, phone);
            return readRecipients(query).stream().findFirst();
        } catch (SQLException e) {
            throw Jdbc.failure("reading a recipient", e);
        }
    }

    /** Deletes the recipient only while it is still pending; false otherwise. */
    @Transactional(Transactional.TxType.MANDATORY)
    public boolean deletePending(long campaignId, long recipientId) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement delete = connection.prepareStatement(
                        "DELETE FROM recipients WHERE id = ? AND campaign_id = ? AND status = 'pending'")) {
            delete.setLong(1, recipientId);
            delete.setLong(2, campaignId);
            return delete.executeUpdate() == 1;
        } catch (SQLException e) {
            throw Jdbc.failure("deleting a recipient", e);
        }
    }

    /**
     * Moves every recipient of the campaign that has not been sent (pending, queued, waiting for a
     * retry) to cancelled, and returns how many left each status. A job already in Kafka may still be
     * sent; its {@code sent} outcome then outranks {@code cancelled}.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public Map<RecipientStatus, Long> cancelUnsent(long campaignId, Instant now) {
        Map<RecipientStatus, Long> moved = new EnumMap<>(RecipientStatus.class);
        try (Connection connection = dataSource.getConnection();
                PreparedStatement update = connection.prepareStatement(
                        "UPDATE recipients SET status = 'cancelled', updated_at = ? WHERE campaign_id = ? AND status = ?")) {
            for (RecipientStatus status : List.of(RecipientStatus.PENDING, RecipientStatus.QUEUED, RecipientStatus.RETRY)) {
                Jdbc.setInstant(update, 1, now);
                update.setLong(2, campaignId);
                update.setString(3, WireNames.of(status));
                moved.put(status, (long) update.executeUpdate());
            }
            return moved;
        } catch (SQLException e) {
            throw Jdbc.failure("cancelling recipients", e);
        }
    }

    /** A recipient claimed for a send (dispatch, or the re-send of an unknown), locked until the transaction ends. */
    public record ClaimedRecipient(long id, String phone, Map<String, String> variables) {
    }

    /**
     * The next pending recipients of a campaign whose id is in {@code (afterId, upToId]}, in id order,
     * locked until the transaction ends. SKIP LOCKED makes replicas that race for the same campaign
     * take disjoint rows instead of waiting or doubling. The range lets the dispatcher start where its
     * last round ended: a round's recipients leave their delete-marked entries behind in the
     * (campaign, status, id) index until InnoDB purges them, seconds later, and a claim from the
     * start walks them all (63 entries per job in a 200k campaign, BENCHMARKS.md "Dispatch").
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public List<ClaimedRecipient> claimPending(long campaignId, long afterId, long upToId, int limit) {
        return Jdbc.list(dataSource,
                "SELECT id, phone_e164, variables FROM recipients WHERE campaign_id = ? AND status = 'pending'"
                        + " AND id > ? AND id <= ? ORDER BY id LIMIT ? FOR UPDATE SKIP LOCKED",
                query -> {
                    query.setLong(1, campaignId);
                    query.setLong(2, afterId);
                    query.setLong(3, upToId);
                    query.setInt(4, limit);
                },
                row -> new ClaimedRecipient(row.getLong(1), row.getString(2), JsonColumns.readStringMap(row.getString(3))),
                "claiming recipients");
    }

    /** Sets the status of rows this transaction has locked. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void setStatus(List<Long> ids, RecipientStatus status, Instant now) {
        if (ids.isEmpty()) {
            return;
        }
        boolean queued = status == RecipientStatus.QUEUED;
        try (Connection connection = dataSource.getConnection();
                PreparedStatement update = connection.prepareStatement("UPDATE recipients SET status = ?, updated_at = ?"
                        + (queued ? ", queued_at = ?" : "") + " WHERE id IN (" + Jdbc.placeholders(ids.size()) + ")")) {
            int i = 1;
            update.setString(i++, WireNames.of(status));
            Jdbc.setInstant(update, i++, now);
            if (queued) {
                Jdbc.setInstant(update, i++, now);
            }
            for (long id : ids) {
                update.setLong(i++, id);
            }
            update.executeUpdate();
        } catch (SQLException e) {
            throw Jdbc.failure("updating recipients", e);
        }
    }

    /** Moves rows this transaction has locked to opted_out, saying why in last_error_message. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void setOptedOut(List<Long> ids, String reason, Instant now) {
        if (ids.isEmpty()) {
            return;
        }
        try (Connection connection = dataSource.getConnection();
                PreparedStatement update = connection.prepareStatement("UPDATE recipients SET status = 'opted_out',"
                        + " last_error_message = ?, updated_at = ? WHERE id IN (" + Jdbc.placeholders(ids.size()) + ")")) {
            int i = 1;
            update.setString(i++, reason);
            Jdbc.setInstant(update, i++, now);
            for (long id : ids) {
                update.setLong(i++, id);
            }
            update.executeUpdate();
        } catch (SQLException e) {
            throw Jdbc.failure("updating recipients", e);
        }
    }

    /**
     * A recipient as the applier sees it: what events can change, plus {@code queuedAt} to tell a
     * deferral of the current dispatch from a stale one, and the safety net's decision on an unknown
     * one ({@code resendState} null while undecided), which a deferral of the re-send undoes.
     */
    public record Applicable(long id, long campaignId, String phone, RecipientStatus status, String wamid,
            Integer lastErrorCode, String lastErrorMessage, Instant queuedAt, ResendState resendState,
            Instant resendDecidedAt) {

        public Applicable with(RecipientStatus newStatus, String newWamid, Integer code, String message) {
            return new Applicable(id, campaignId, phone, newStatus, newWamid, code, message, queuedAt, resendState,
                    resendDecidedAt);
        }

        /** The safety net's decision undone: the recipient waits for the next sweep's. */
        public Applicable undecided() {
            return new Applicable(id, campaignId, phone, status, wamid, lastErrorCode, lastErrorMessage, queuedAt, null,
                    null);
        }
    }

    /** Recipient ids by wamid (indexed), for events that carry no job id; no locks. */
    @Transactional(Transactional.TxType.MANDATORY)
    public Map<String, Long> idsByWamid(Collection<String> wamids) {
        Map<String, Long> ids = new java.util.HashMap<>();
        if (wamids.isEmpty()) {
            return ids;
        }
        try (Connection connection = dataSource.getConnection();
                PreparedStatement query = connection.prepareStatement(
                        "SELECT wamid, id FROM recipients WHERE wamid IN (" + Jdbc.placeholders(wamids.size()) + ")")) {
            int i = 1;
            for (String wamid : wamids) {
                query.setString(i++, wamid);
            }
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    ids.put(rows.getString(1), rows.getLong(2));
                }
            }
            return ids;
        } catch (SQLException e) {
            throw Jdbc.failure("finding recipients by wamid", e);
        }
    }

    /**
     * Locks the recipients events are about, in id order (every writer of recipient rows takes them
     * before counter rows, and in the same order, so appliers on several replicas cannot deadlock).
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public Map<Long, Applicable> lockForApply(Collection<Long> ids) {
        Map<Long, Applicable> found = new java.util.HashMap<>();
        if (ids.isEmpty()) {
            return found;
        }
        List<Long> sorted = ids.stream().sorted().toList();
        try (Connection connection = dataSource.getConnection();
                PreparedStatement query = connection.prepareStatement(
                        "SELECT id, campaign_id, phone_e164, status, wamid, last_error_code, last_error_message, queued_at,"
                                + " resend_state, resend_decided_at FROM recipients"
                                + " WHERE id IN (" + Jdbc.placeholders(sorted.size()) + ") ORDER BY id FOR UPDATE")) {
            int i = 1;
            for (long id : sorted) {
                query.setLong(i++, id);
            }
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    int code = rows.getInt(6);
                    Integer lastErrorCode = rows.wasNull() ? null : code;
                    found.put(rows.getLong(1), new Applicable(rows.getLong(1), rows.getLong(2), rows.getString(3),
                            RecipientStatus.fromString(rows.getString(4)), rows.getString(5), lastErrorCode,
                            rows.getString(7), Jdbc.instant(rows.getTimestamp(8)),
                            ResendState.fromString(rows.getString(9)), Jdbc.instant(rows.getTimestamp(10))));
                }
            }
            return found;
        } catch (SQLException e) {
            throw Jdbc.failure("locking recipients", e);
        }
    }

    /**
     * Writes what the applier changed on rows this transaction has locked, as one UPDATE joined to the
     * changes passed as one JSON array (JSON_TABLE: MySQL 8.0.4+, MariaDB 10.6+). A JDBC batch of
     * single-row UPDATEs cannot be rewritten into one statement: the server parsed and planned each of
     * them, and the driver escaped each value into a multi-statement string, which made this the
     * applier's largest cost at full load (BENCHMARKS.md, "The applier"). Absent keys read as NULL.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void applyChanges(Collection<Applicable> changed, Instant now) {
        if (changed.isEmpty()) {
            return;
        }
        try (Connection connection = dataSource.getConnection();
                PreparedStatement update = connection.prepareStatement("UPDATE JSON_TABLE(?, '$[*]' COLUMNS ("
                        + "id BIGINT PATH '$.id', status VARCHAR(16) PATH '$.status', wamid VARCHAR(128) PATH '$.wamid',"
                        + " code INT PATH '$.code', message VARCHAR(500) PATH '$.message',"
                        + " resend VARCHAR(16) PATH '$.resend', decided DATETIME(6) PATH '$.decided')) AS c"
                        + " STRAIGHT_JOIN recipients r ON r.id = c.id"
                        + " SET r.status = c.status, r.wamid = c.wamid, r.last_error_code = c.code,"
                        + " r.last_error_message = c.message, r.resend_state = c.resend, r.resend_decided_at = c.decided,"
                        + " r.updated_at = ?")) {
            update.setString(1, changesJson(changed));
            Jdbc.setDatetime(update, 2, now);
            update.executeUpdate();
        } catch (SQLException e) {
            throw Jdbc.failure("applying recipient changes", e);
        }
    }

    private static final JsonFactory JSON = new JsonFactory();

    /** The changed rows as a JSON array of objects; a null value is left out. */
    private static String changesJson(Collection<Applicable> changed) {
        StringWriter out = new StringWriter(changed.size() * 64);
        try (JsonGenerator json = JSON.createGenerator(out)) {
            json.writeStartArray();
            for (Applicable row : changed) {
                json.writeStartObject();
                json.writeNumberField("id", row.id());
                json.writeStringField("status", WireNames.of(row.status()));
                writeIfPresent(json, "wamid", row.wamid());
                if (row.lastErrorCode() != null) {
                    json.writeNumberField("code", row.lastErrorCode());
                }
                String message = row.lastErrorMessage();
                writeIfPresent(json, "message", message == null || message.length() <= 500 ? message : message.substring(0, 500));
                writeIfPresent(json, "resend", row.resendState() == null ? null : row.resendState().value());
                writeIfPresent(json, "decided", Jdbc.datetime(row.resendDecidedAt()));
                json.writeEndObject();
            }
            json.writeEndArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a StringWriter does not fail
        }
        return out.toString();
    }

    private static void writeIfPresent(JsonGenerator json, String field, String value) throws IOException {
        if (value != null) {
            json.writeStringField(field, value);
        }
    }

    // ---- the safety net for unknown recipients (UnknownResend) ---------------------------------

    /** An unknown recipient the safety net has not decided on. {@code unknownSince}: its updated_at. */
    public record UndecidedUnknown(long id, Instant queuedAt, Instant unknownSince) {
    }

    /**
     * Undecided unknown recipients of the campaign that became unknown at or before {@code unknownBefore},
     * the next {@code limit} after {@code afterId} in id order; no locks (served by the (campaign,
     * status, id) index: only the unknown rows are read).
     */
    @Transactional(Transactional.TxType.SUPPORTS)
    public List<UndecidedUnknown> undecidedUnknown(long campaignId, Instant unknownBefore, long afterId, int limit) {
        return Jdbc.list(dataSource,
                "SELECT id, queued_at, updated_at FROM recipients WHERE campaign_id = ? AND status = 'unknown'"
                        + " AND resend_state IS NULL AND updated_at <= ? AND id > ? ORDER BY id LIMIT ?",
                query -> {
                    query.setLong(1, campaignId);
                    Jdbc.setInstant(query, 2, unknownBefore);
                    query.setLong(3, afterId);
                    query.setInt(4, limit);
                },
                row -> new UndecidedUnknown(row.getLong(1), Jdbc.instant(row.getTimestamp(2)), Jdbc.instant(row.getTimestamp(3))),
                "finding undecided unknown recipients");
    }

    /**
     * The latest queued_at among the campaign's recipients a delivery webhook reached (delivered, read,
     * responded: only webhooks set those); null when there is none. It only grows: such a recipient is
     * never dispatched again.
     */
    @Transactional(Transactional.TxType.SUPPORTS)
    public Instant latestDeliveredQueuedAt(long campaignId) {
        return Jdbc.list(dataSource,
                "SELECT MAX(queued_at) FROM recipients WHERE campaign_id = ? AND status IN ('delivered', 'read', 'responded')",
                query -> query.setLong(1, campaignId),
                row -> Jdbc.instant(row.getTimestamp(1)),
                "finding the latest delivered recipient").get(0);
    }

    /**
     * Locks those of {@code ids} that are still unknown and undecided, in id order (as the applier
     * does), and returns them: a webhook that settled one meanwhile, or another replica's sweep that
     * decided it first, leaves it out.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public List<ClaimedRecipient> lockUndecidedUnknown(List<Long> ids) {
        if (ids.isEmpty()) {
            return List.of();
        }
        List<Long> sorted = ids.stream().sorted().toList();
        return Jdbc.list(dataSource,
                "SELECT id, phone_e164, variables FROM recipients WHERE id IN (" + Jdbc.placeholders(sorted.size()) + ")"
                        + " AND status = 'unknown' AND resend_state IS NULL ORDER BY id FOR UPDATE",
                query -> {
                    for (int i = 0; i < sorted.size(); i++) {
                        query.setLong(i + 1, sorted.get(i));
                    }
                },
                row -> new ClaimedRecipient(row.getLong(1), row.getString(2), JsonColumns.readStringMap(row.getString(3))),
                "locking unknown recipients");
    }

    /**
     * Records the decision on rows this transaction locked with {@link #lockUndecidedUnknown}; the
     * conditions hold anyway, so it returns how many rows it decided.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public int decide(List<Long> ids, ResendState decision, Instant now) {
        if (ids.isEmpty()) {
            return 0;
        }
        try (Connection connection = dataSource.getConnection();
                PreparedStatement update = connection.prepareStatement("UPDATE recipients SET resend_state = ?,"
                        + " resend_decided_at = ? WHERE id IN (" + Jdbc.placeholders(ids.size()) + ")"
                        + " AND status = 'unknown' AND resend_state IS NULL")) {
            int i = 1;
            update.setString(i++, decision.value());
            Jdbc.setInstant(update, i++, now);
            for (long id : ids) {
                update.setLong(i++, id);
            }
            return update.executeUpdate();
        } catch (SQLException e) {
            throw Jdbc.failure("recording the decision on unknown recipients", e);
        }
    }

    /**
     * Whether the campaign has an unknown recipient the safety net has yet to decide on, or re-sent
     * after {@code resentAfter} and not settled yet (its re-send is on its way to the sender).
     */
    @Transactional(Transactional.TxType.SUPPORTS)
    public boolean hasUnsettledUnknown(long campaignId, Instant resentAfter) {
        return !Jdbc.list(dataSource,
                "SELECT id FROM recipients WHERE campaign_id = ? AND status = 'unknown'"
                        + " AND (resend_state IS NULL OR (resend_state = 'resent' AND resend_decided_at > ?)) LIMIT 1",
                query -> {
                    query.setLong(1, campaignId);
                    Jdbc.setInstant(query, 2, resentAfter);
                },
                row -> row.getLong(1),
                "looking for undecided unknown recipients").isEmpty();
    }

    private static Set<String> readStrings(PreparedStatement query) throws SQLException {
        Set<String> values = new HashSet<>();
        try (ResultSet rows = query.executeQuery()) {
            while (rows.next()) {
                values.add(rows.getString(1));
            }
        }
        return values;
    }

    private static List<Recipient> readRecipients(PreparedStatement query) throws SQLException {
        List<Recipient> recipients = new ArrayList<>();
        try (ResultSet rows = query.executeQuery()) {
            while (rows.next()) {
                int code = rows.getInt(8);
                Integer lastErrorCode = rows.wasNull() ? null : code;
                recipients.add(new Recipient(rows.getLong(1), rows.getLong(2), rows.getString(3), rows.getString(4),
                        JsonColumns.readStringMap(rows.getString(5)), RecipientStatus.fromString(rows.getString(6)),
                        rows.getString(7), lastErrorCode, rows.getString(9),
                        Jdbc.instant(rows.getTimestamp(10)), Jdbc.instant(rows.getTimestamp(11))));
            }
        }
        return recipients;
    }
}
