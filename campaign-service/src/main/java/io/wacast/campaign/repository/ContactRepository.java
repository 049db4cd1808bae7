package io.wacast.campaign.repository;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import io.agroal.api.AgroalDataSource;
import io.wacast.campaign.domain.ConsentSource;
import io.wacast.campaign.domain.ConsentStatus;
import io.wacast.campaign.domain.Contact;
import io.wacast.campaign.domain.JsonColumns;
import io.wacast.campaign.domain.PhoneHash;
import io.wacast.campaign.service.ContactFilter;
import io.wacast.campaign.service.ContactFilter.AttributeCondition;

/**
 * The contact book in SQL: batched upserts for imports and uploads, filters as index lookups, pages,
 * bulk tag changes, a streamed export and erasure. The opt-out side of consent is read from
 * {@code opt_outs}, never stored here.
 */
@ApplicationScoped
public class ContactRepository {

    /**
     * A contact to upsert in bulk. Null fields keep what the contact has; {@code attributes} are merged
     * in, {@code tags} added; {@code optIn} is recorded only where none is.
     */
    public record Upsert(String phone, String country, String name, String language, Map<String, String> attributes,
            Set<String> tags, Contact.OptIn optIn) {
    }

    /** A contact as the API replaces it ({@code PUT}): every field as given. */
    public record Replacement(String phone, String country, String bsuid, String name, String language,
            Map<String, String> attributes, Set<String> tags) {
    }

    /** One row of an export, in the import's format. */
    public record ExportRow(String phone, String name, String language, String tags, Map<String, String> attributes) {
    }

    @FunctionalInterface
    public interface RowSink {
        void accept(ExportRow row) throws java.io.IOException;
    }

    private static final String COLUMNS = "c.id, c.phone_e164, c.bsuid, c.name, c.language, c.country, c.attributes,"
            + " c.opt_in_source, c.opt_in_at, c.opt_in_evidence, c.created_at, c.updated_at";

    private final AgroalDataSource dataSource;

    ContactRepository(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    // ---- bulk writes: imports, campaign uploads, opt-in events ------------------------------------

    /** One JDBC batch of upserts (import semantics: given fields overwrite, attributes merge, tags add). */
    @Transactional(Transactional.TxType.MANDATORY)
    public void upsertAll(List<Upsert> rows, Instant now) {
        if (rows.isEmpty()) {
            return;
        }
        // MySQL evaluates these assignments left to right, each seeing the ones before: opt_in_source last.
        String sql = "INSERT INTO contacts (phone_e164, country, name, language, attributes, opt_in_source, opt_in_at,"
                + " opt_in_evidence, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                + " ON DUPLICATE KEY UPDATE updated_at = VALUES(updated_at), country = VALUES(country),"
                + " name = COALESCE(VALUES(name), name), language = COALESCE(VALUES(language), language),"
                + " attributes = CASE WHEN VALUES(attributes) IS NULL THEN attributes WHEN attributes IS NULL"
                + " THEN VALUES(attributes) ELSE JSON_MERGE_PATCH(attributes, VALUES(attributes)) END,"
                + OPT_IN_IF_NONE;
        // In number order, as every bulk writer of contacts: two writers lock shared numbers in one order.
        List<Upsert> sorted = rows.stream().sorted(Comparator.comparing(Upsert::phone)).toList();
        try (Connection connection = dataSource.getConnection(); PreparedStatement insert = connection.prepareStatement(sql)) {
            List<String> phones = sorted.stream().map(Upsert::phone).toList();
            Map<String, ContactCounts.Facts> before = ContactCounts.factsOfPhones(connection, phones);
            Map<String, Long> tagIds = upsertRows(connection, insert, sorted, now);
            Map<ContactCounts.Cell, Long> after = new java.util.HashSet<>(phones).size() == phones.size()
                    ? ContactCounts.cellsOf(factsAfter(before, sorted, tagIds))
                    : ContactCounts.cellsOfPhones(connection, phones); // a number twice: read what the rows made of it
            ContactCounts.append(connection, ContactCounts.cellsOf(before.values()), after);
            // the rows upserted carry their facts already; an existing contact's other rows follow a change
            List<String> changed = sorted.stream().filter(row -> factsChange(before.get(row.phone()), row))
                    .map(Upsert::phone).distinct().toList();
            copyFactsToAttributes(connection, changed);
        } catch (SQLException e) {
            throw Jdbc.failure("storing contacts", e);
        }
    }

    /** Whether upserting {@code row} changes the country or opt-in source an existing contact had ({@code was}). */
    private static boolean factsChange(ContactCounts.Facts was, Upsert row) {
        return was != null && (!was.country().equals(ContactCounts.blank(row.country()))
                || (was.source().isEmpty() && row.optIn() != null));
    }

    /**
     * The cells' facts of upserted contacts (each number once) from their facts before, read with the
     * locking read that keeps them until the commit, and what the upsert wrote: the given country, the
     * opt-in only where none was, the tags added to theirs. The same as reading them again, without the
     * second read of every contact and tag row.
     */
    private static List<ContactCounts.Facts> factsAfter(Map<String, ContactCounts.Facts> before, List<Upsert> rows,
            Map<String, Long> tagIds) {
        List<ContactCounts.Facts> after = new ArrayList<>(rows.size());
        for (Upsert row : rows) {
            ContactCounts.Facts was = before.get(row.phone());
            String given = row.optIn() == null ? "" : row.optIn().source().value();
            Set<Long> tags = new TreeSet<>(was == null ? List.of() : was.tags());
            if (row.tags() != null) {
                row.tags().forEach(name -> tags.add(tagIds.get(name)));
            }
            after.add(new ContactCounts.Facts(ContactCounts.blank(row.country()),
                    was == null || was.source().isEmpty() ? given : was.source(), new ArrayList<>(tags)));
        }
        return after;
    }

    /** Writes the rows, their consent history, attributes and tags; returns the ids of the tags named. */
    private Map<String, Long> upsertRows(Connection connection, PreparedStatement insert, List<Upsert> rows, Instant now)
            throws SQLException {
        String at = Jdbc.datetime(now);
        for (Upsert row : rows) {
            insert.setString(1, row.phone());
            insert.setString(2, row.country());
            insert.setString(3, row.name());
            insert.setString(4, row.language());
            insert.setString(5, row.attributes() == null || row.attributes().isEmpty() ? null
                    : JsonColumns.write(row.attributes()));
            bindOptIn(insert, 6, row.optIn());
            insert.setString(9, at);
            insert.setString(10, at);
            insert.addBatch();
        }
        insert.executeBatch();
        Map<String, Contact.OptIn> optIns = new java.util.LinkedHashMap<>();
        rows.forEach(row -> optIns.put(row.phone(), row.optIn()));
        ConsentHistoryRepository.optedIn(connection, optIns);
        List<Upsert> withMore = rows.stream()
                .filter(r -> (r.attributes() != null && !r.attributes().isEmpty()) || (r.tags() != null && !r.tags().isEmpty()))
                .toList();
        if (withMore.isEmpty()) {
            return Map.of();
        }
        Map<String, Stored> stored = storedByPhone(connection, withMore.stream().map(Upsert::phone).toList());
        Map<String, Long> tagIds = tagIds(connection, withMore.stream().flatMap(r -> r.tags() == null
                ? java.util.stream.Stream.<String>empty() : r.tags().stream()).collect(java.util.stream.Collectors.toCollection(TreeSet::new)), now);
        try (PreparedStatement attribute = connection.prepareStatement("INSERT INTO contact_attributes (contact_id, name, value,"
                + " opt_in_source, country) VALUES (?, ?, ?, ?, ?) ON DUPLICATE KEY UPDATE value = VALUES(value),"
                + " opt_in_source = VALUES(opt_in_source), country = VALUES(country)");
                PreparedStatement tag = connection.prepareStatement("INSERT INTO contact_tags (contact_id, tag_id) VALUES (?, ?)"
                        + " ON DUPLICATE KEY UPDATE tag_id = tag_id")) {
            boolean attributes = false;
            boolean tags = false;
            for (Upsert row : withMore) {
                Stored contact = stored.get(row.phone());
                long id = contact.id();
                if (row.attributes() != null) {
                    for (var entry : row.attributes().entrySet()) {
                        attribute.setLong(1, id);
                        attribute.setString(2, entry.getKey());
                        attribute.setString(3, entry.getValue());
                        attribute.setString(4, contact.source());
                        attribute.setString(5, contact.country());
                        attribute.addBatch();
                        attributes = true;
                    }
                }
                if (row.tags() != null) {
                    for (String name : row.tags()) {
                        tag.setLong(1, id);
                        tag.setLong(2, tagIds.get(name));
                        tag.addBatch();
                        tags = true;
                    }
                }
            }
            if (attributes) {
                attribute.executeBatch();
            }
            if (tags) {
                tag.executeBatch();
            }
        }
        return tagIds;
    }

    /**
     * The contacts of numbers uploaded to a campaign: created when new; an existing contact keeps its
     * name, country and opt-in unless it has none. {@code optIn} maps a number to the opt-in to record
     * where none is (absent: a suppressed number, recorded without one).
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void fromUpload(Map<String, String> countries, Map<String, String> names, Map<String, Contact.OptIn> optIn,
            Instant now) {
        if (countries.isEmpty()) {
            return;
        }
        String sql = "INSERT INTO contacts (phone_e164, country, name, opt_in_source, opt_in_at, opt_in_evidence,"
                + " created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
                + " ON DUPLICATE KEY UPDATE country = COALESCE(country, VALUES(country)),"
                + " name = COALESCE(name, VALUES(name))," + OPT_IN_IF_NONE;
        try (Connection connection = dataSource.getConnection(); PreparedStatement insert = connection.prepareStatement(sql)) {
            // The contacts' cells after the upsert follow from their facts before it (country and opt-in
            // only where none), so one locking read does: the writes below are the only change to them.
            Map<String, ContactCounts.Facts> before = ContactCounts.factsOfPhones(connection, countries.keySet());
            Map<String, ContactCounts.Facts> after = new HashMap<>(countries.size());
            countries.forEach((phone, country) -> {
                Contact.OptIn given = optIn.get(phone);
                String source = given == null ? "" : given.source().value();
                ContactCounts.Facts was = before.get(phone);
                after.put(phone, was == null ? new ContactCounts.Facts(ContactCounts.blank(country), source, List.of())
                        : was.with(was.country().isEmpty() ? ContactCounts.blank(country) : was.country(),
                                was.source().isEmpty() ? source : was.source()));
            });
            String at = Jdbc.datetime(now);
            for (var entry : new TreeMap<>(countries).entrySet()) { // number order, as upsertAll
                insert.setString(1, entry.getKey());
                insert.setString(2, entry.getValue());
                insert.setString(3, names.get(entry.getKey()));
                bindOptIn(insert, 4, optIn.get(entry.getKey()));
                insert.setString(7, at);
                insert.setString(8, at);
                insert.addBatch();
            }
            insert.executeBatch();
            ContactCounts.append(connection, ContactCounts.cellsOf(before.values()), ContactCounts.cellsOf(after.values()));
            List<String> changed = before.entrySet().stream().filter(was -> {
                ContactCounts.Facts became = after.get(was.getKey());
                return !became.country().equals(was.getValue().country()) || !became.source().equals(was.getValue().source());
            }).map(Map.Entry::getKey).sorted().toList();
            copyFactsToAttributes(connection, changed);
            ConsentHistoryRepository.optedIn(connection, optIn);
        } catch (SQLException e) {
            throw Jdbc.failure("storing the contacts of uploaded recipients", e);
        }
    }

    /** The user's own opt-in (START, WhatsApp preference): recorded over any earlier one, contact created if new. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void recordOptIns(Map<String, String> countries, Map<String, Contact.OptIn> optIns, Instant now) {
        if (optIns.isEmpty()) {
            return;
        }
        String sql = "INSERT INTO contacts (phone_e164, country, opt_in_source, opt_in_at, opt_in_evidence, created_at,"
                + " updated_at) VALUES (?, ?, ?, ?, ?, ?, ?) ON DUPLICATE KEY UPDATE"
                + " country = COALESCE(country, VALUES(country)), opt_in_source = VALUES(opt_in_source),"
                + " opt_in_at = VALUES(opt_in_at), opt_in_evidence = VALUES(opt_in_evidence), updated_at = VALUES(updated_at)";
        try (Connection connection = dataSource.getConnection(); PreparedStatement insert = connection.prepareStatement(sql)) {
            Map<ContactCounts.Cell, Long> before = ContactCounts.cellsOfPhones(connection, new TreeSet<>(optIns.keySet()));
            for (var entry : new TreeMap<>(optIns).entrySet()) {
                insert.setString(1, entry.getKey());
                insert.setString(2, countries.get(entry.getKey()));
                bindOptIn(insert, 3, entry.getValue());
                Jdbc.setInstant(insert, 6, now);
                Jdbc.setInstant(insert, 7, now);
                insert.addBatch();
            }
            insert.executeBatch();
            ContactCounts.append(connection, before, ContactCounts.cellsOfPhones(connection, new TreeSet<>(optIns.keySet())));
            List<String> phones = new ArrayList<>(new TreeSet<>(optIns.keySet()));
            copyFactsToAttributes(connection, phones);
            ConsentHistoryRepository.optedIn(connection, optIns);
        } catch (SQLException e) {
            throw Jdbc.failure("recording opt-ins", e);
        }
    }

    private static final String OPT_IN_IF_NONE = " opt_in_at = CASE WHEN opt_in_source IS NULL THEN VALUES(opt_in_at) ELSE opt_in_at END,"
            + " opt_in_evidence = CASE WHEN opt_in_source IS NULL THEN VALUES(opt_in_evidence) ELSE opt_in_evidence END,"
            + " opt_in_source = COALESCE(opt_in_source, VALUES(opt_in_source))";

    private static void bindOptIn(PreparedStatement statement, int index, Contact.OptIn optIn) throws SQLException {
        statement.setString(index, optIn == null ? null : optIn.source().value());
        statement.setString(index + 1, optIn == null ? null : Jdbc.datetime(optIn.at()));
        statement.setString(index + 2, optIn == null ? null : optIn.evidence());
    }

    // ---- one contact -----------------------------------------------------------------------------

    /** The contact's id, its row locked until the transaction ends; empty when there is none. */
    @Transactional(Transactional.TxType.MANDATORY)
    public Optional<Long> lockByPhone(String phone) {
        return Jdbc.list(dataSource, "SELECT id FROM contacts WHERE phone_e164 = ? FOR UPDATE",
                query -> query.setString(1, phone), row -> row.getLong(1), "locking a contact").stream().findFirst();
    }

    /** The number of the contact that holds this BSUID, if any. */
    @Transactional(Transactional.TxType.MANDATORY)
    public Optional<String> phoneOfBsuid(String bsuid) {
        return Jdbc.list(dataSource, "SELECT phone_e164 FROM contacts WHERE bsuid = ?",
                query -> query.setString(1, bsuid), row -> row.getString(1), "finding a BSUID").stream().findFirst();
    }

    /** Creates or replaces a contact's fields, attributes and tags; returns its id. Its opt-in is not touched. */
    @Transactional(Transactional.TxType.MANDATORY)
    public long replace(Optional<Long> existing, Replacement contact, Instant now) {
        String attributes = contact.attributes().isEmpty() ? null : JsonColumns.write(contact.attributes());
        try (Connection connection = dataSource.getConnection()) {
            long id;
            Map<ContactCounts.Cell, Long> before = existing.isPresent() ? ContactCounts.cellsOfIds(connection, existing.get().toString())
                    : Map.of();
            if (existing.isPresent()) {
                id = existing.get();
                try (PreparedStatement update = connection.prepareStatement("UPDATE contacts SET country = ?, bsuid = ?,"
                        + " name = ?, language = ?, attributes = ?, updated_at = ? WHERE id = ?")) {
                    update.setString(1, contact.country());
                    update.setString(2, contact.bsuid());
                    update.setString(3, contact.name());
                    update.setString(4, contact.language());
                    update.setString(5, attributes);
                    Jdbc.setInstant(update, 6, now);
                    update.setLong(7, id);
                    update.executeUpdate();
                }
                try (Statement delete = connection.createStatement()) {
                    delete.executeUpdate("DELETE FROM contact_attributes WHERE contact_id = " + id);
                    delete.executeUpdate("DELETE FROM contact_tags WHERE contact_id = " + id);
                }
            } else {
                try (PreparedStatement insert = connection.prepareStatement("INSERT INTO contacts (phone_e164, country,"
                        + " bsuid, name, language, attributes, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                        Statement.RETURN_GENERATED_KEYS)) {
                    insert.setString(1, contact.phone());
                    insert.setString(2, contact.country());
                    insert.setString(3, contact.bsuid());
                    insert.setString(4, contact.name());
                    insert.setString(5, contact.language());
                    insert.setString(6, attributes);
                    Jdbc.setInstant(insert, 7, now);
                    Jdbc.setInstant(insert, 8, now);
                    insert.executeUpdate();
                    try (ResultSet keys = insert.getGeneratedKeys()) {
                        keys.next();
                        id = keys.getLong(1);
                    }
                }
            }
            if (!contact.attributes().isEmpty()) {
                try (PreparedStatement insert = connection.prepareStatement(
                        "INSERT INTO contact_attributes (contact_id, name, value) VALUES (?, ?, ?)")) {
                    for (var entry : contact.attributes().entrySet()) {
                        insert.setLong(1, id);
                        insert.setString(2, entry.getKey());
                        insert.setString(3, entry.getValue());
                        insert.addBatch();
                    }
                    insert.executeBatch();
                }
            }
            if (!contact.tags().isEmpty()) {
                Map<String, Long> tagIds = tagIds(connection, contact.tags(), now);
                try (PreparedStatement insert = connection.prepareStatement("INSERT INTO contact_tags (contact_id, tag_id) VALUES (?, ?)")) {
                    for (String tag : contact.tags()) {
                        insert.setLong(1, id);
                        insert.setLong(2, tagIds.get(tag));
                        insert.addBatch();
                    }
                    insert.executeBatch();
                }
            }
            copyFactsToAttributes(connection, id);
            ContactCounts.append(connection, before, ContactCounts.cellsOfIds(connection, Long.toString(id)));
            return id;
        } catch (SQLException e) {
            throw Jdbc.failure("storing a contact", e);
        }
    }

    /** Records an opt-in over any earlier one, or with null clears the recorded opt-in. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void setOptIn(long id, Contact.OptIn optIn, Instant now) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement update = connection.prepareStatement("UPDATE contacts SET opt_in_source = ?,"
                        + " opt_in_at = ?, opt_in_evidence = ?, updated_at = ? WHERE id = ?")) {
            bindOptIn(update, 1, optIn);
            Jdbc.setInstant(update, 4, now);
            update.setLong(5, id);
            Map<ContactCounts.Cell, Long> before = ContactCounts.cellsOfIds(connection, Long.toString(id));
            int updated = update.executeUpdate();
            copyFactsToAttributes(connection, id);
            ContactCounts.append(connection, before, ContactCounts.cellsOfIds(connection, Long.toString(id)));
            if (updated == 1) {
                String hash = Jdbc.list(dataSource, "SELECT phone_hash FROM contacts WHERE id = ?", query -> query.setLong(1, id),
                        row -> row.getString(1), "reading a contact's hash").get(0);
                ConsentHistoryRepository.record(connection, hash, optIn == null ? "none" : "opted_in",
                        optIn == null ? null : optIn.source().value(), optIn == null ? null : optIn.evidence(), now);
            }
        } catch (SQLException e) {
            throw Jdbc.failure("recording consent", e);
        }
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public Optional<Contact> find(String phone) {
        return page(ContactFilter.ALL, "c.phone_e164 = ?", List.of(phone), 0, 1).stream().findFirst();
    }

    /**
     * Erases the contact of {@code phone} (its row, then its tags and attributes, which have no foreign
     * key to cascade) and strips the number from its
     * opt-out, which stays as a hash; false when there was neither. The number's recipients in loaded
     * campaigns are noted as having lost their contact (the plan's facts, §11 D32).
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public boolean erase(String phone) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement contact = connection.prepareStatement("DELETE FROM contacts WHERE id = ?");
                PreparedStatement optOut = connection.prepareStatement(
                        "UPDATE opt_outs SET phone_e164 = NULL, reason = NULL WHERE phone_hash = ? AND phone_e164 IS NOT NULL")) {
            int contacts = 0;
            Optional<Long> id = lockByPhone(phone);
            if (id.isPresent()) {
                Map<ContactCounts.Cell, Long> before = ContactCounts.cellsOfIds(connection, id.get().toString());
                ContactCounts.append(connection, before, Map.of());
                try (Statement delete = connection.createStatement()) {
                    delete.executeUpdate("DELETE FROM contact_attributes WHERE contact_id = " + id.get());
                    delete.executeUpdate("DELETE FROM contact_tags WHERE contact_id = " + id.get());
                }
                contact.setLong(1, id.get());
                contacts = contact.executeUpdate();
                LoadedRecipients.contactErased(connection, phone);
            }
            optOut.setString(1, PhoneHash.of(phone));
            int optOuts = optOut.executeUpdate();
            ConsentHistoryRepository.forgetEvidence(connection, phone);
            try (PreparedStatement userIds = connection.prepareStatement(
                    "UPDATE user_ids SET phone_e164 = NULL WHERE phone_hash = ?")) {
                userIds.setString(1, PhoneHash.of(phone)); // the BSUID keeps mapping to the hash only
                userIds.executeUpdate();
            }
            return contacts + optOuts > 0;
        } catch (SQLException e) {
            throw Jdbc.failure("erasing a contact", e);
        }
    }

    // ---- reading by filter -----------------------------------------------------------------------

    @Transactional(Transactional.TxType.SUPPORTS)
    public List<Contact> page(ContactFilter filter, int page, int size) {
        return page(filter, null, List.of(), page, size);
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public long count(ContactFilter filter) {
        List<Object> params = new ArrayList<>();
        String where = where(filter, params);
        return Jdbc.list(dataSource, "SELECT COUNT(*) FROM contacts c" + where, query -> bind(query, params, 1),
                row -> row.getLong(1), "counting contacts").get(0);
    }

    private List<Contact> page(ContactFilter filter, String extra, List<Object> extraParams, int page, int size) {
        List<Object> params = new ArrayList<>();
        String where = where(filter, params);
        if (extra != null) {
            where += (where.isEmpty() ? " WHERE " : " AND ") + extra;
            params.addAll(extraParams);
        }
        params.add(size);
        params.add((long) page * size);
        String sql = "SELECT " + COLUMNS + " FROM contacts c" + where + " ORDER BY c.id LIMIT ? OFFSET ?";
        try (Connection connection = dataSource.getConnection(); PreparedStatement query = connection.prepareStatement(sql)) {
            bind(query, params, 1);
            List<Object[]> rows = new ArrayList<>();
            try (ResultSet found = query.executeQuery()) {
                while (found.next()) {
                    String source = found.getString(8);
                    Contact.OptIn optIn = source == null ? null : new Contact.OptIn(ConsentSource.fromString(source),
                            Jdbc.instant(found.getTimestamp(9)), found.getString(10));
                    rows.add(new Object[] {found.getLong(1), found.getString(2), found.getString(3), found.getString(4),
                        found.getString(5), found.getString(6), JsonColumns.readStringMap(found.getString(7)), optIn,
                        Jdbc.instant(found.getTimestamp(11)), Jdbc.instant(found.getTimestamp(12))});
                }
            }
            if (rows.isEmpty()) {
                return List.of();
            }
            Map<Long, List<String>> tags = tagsOf(connection, rows.stream().map(r -> (Long) r[0]).toList());
            Map<String, Contact.OptOutFact> optOuts = optOutsOf(connection, rows.stream().map(r -> (String) r[1]).toList());
            List<Contact> contacts = new ArrayList<>(rows.size());
            for (Object[] r : rows) {
                @SuppressWarnings("unchecked")
                Map<String, String> attributes = (Map<String, String>) r[6];
                contacts.add(new Contact((Long) r[0], (String) r[1], (String) r[2], (String) r[3], (String) r[4],
                        (String) r[5], attributes, tags.getOrDefault((Long) r[0], List.of()), (Contact.OptIn) r[7],
                        optOuts.get((String) r[1]), (Instant) r[8], (Instant) r[9]));
            }
            return contacts;
        } catch (SQLException e) {
            throw Jdbc.failure("listing contacts", e);
        }
    }

    /**
     * Streams the matching contacts in id order, in the import's format, on a connection of its own
     * (row by row: Connector/J streams a forward-only result with fetch size MIN_VALUE). Returns the
     * attribute names that exist anywhere, which are the export's attribute columns.
     */
    @Transactional(Transactional.TxType.NOT_SUPPORTED)
    public void export(ContactFilter filter, java.util.function.Consumer<List<String>> header, RowSink rows)
            throws java.io.IOException {
        List<Object> params = new ArrayList<>();
        String where = where(filter, params);
        String sql = "SELECT c.phone_e164, c.name, c.language, c.attributes, (SELECT GROUP_CONCAT(t.name ORDER BY t.name"
                + " SEPARATOR ';') FROM contact_tags ct JOIN tags t ON t.id = ct.tag_id WHERE ct.contact_id = c.id)"
                + " FROM contacts c" + where + " ORDER BY c.id";
        try (Connection connection = dataSource.getConnection()) {
            List<String> names = new ArrayList<>();
            try (Statement statement = connection.createStatement()) {
                statement.execute("SET SESSION group_concat_max_len = 1048576");
                try (ResultSet found = statement.executeQuery("SELECT DISTINCT name FROM contact_attributes ORDER BY name")) {
                    while (found.next()) {
                        names.add(found.getString(1));
                    }
                }
            }
            header.accept(names);
            try (PreparedStatement query = connection.prepareStatement(sql, ResultSet.TYPE_FORWARD_ONLY,
                    ResultSet.CONCUR_READ_ONLY)) {
                query.setFetchSize(Integer.MIN_VALUE);
                bind(query, params, 1);
                try (ResultSet found = query.executeQuery()) {
                    while (found.next()) {
                        rows.accept(new ExportRow(found.getString(1), found.getString(2), found.getString(3),
                                found.getString(5), JsonColumns.readStringMap(found.getString(4))));
                    }
                }
            }
        } catch (SQLException e) {
            throw Jdbc.failure("exporting contacts", e);
        }
    }

    // ---- bulk tags -------------------------------------------------------------------------------

    /**
     * The ids of the matching contacts, in id order: a bulk change evaluates its filter once, so
     * removing a tag the filter names does not change which contacts the next tag applies to.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public long[] ids(ContactFilter filter) {
        List<Object> params = new ArrayList<>();
        String where = where(filter, params);
        try (Connection connection = dataSource.getConnection();
                PreparedStatement query = connection.prepareStatement("SELECT c.id FROM contacts c" + where + " ORDER BY c.id")) {
            bind(query, params, 1);
            long[] ids = new long[1024];
            int n = 0;
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    if (n == ids.length) {
                        ids = java.util.Arrays.copyOf(ids, n * 2);
                    }
                    ids[n++] = rows.getLong(1);
                }
            }
            return java.util.Arrays.copyOf(ids, n);
        } catch (SQLException e) {
            throw Jdbc.failure("selecting contacts", e);
        }
    }

    /** Adds {@code tag} to these contacts; returns how many did not have it. */
    @Transactional(Transactional.TxType.MANDATORY)
    public long tag(long[] ids, String tag, Instant now) {
        try (Connection connection = dataSource.getConnection()) {
            long tagId = tagIds(connection, List.of(tag), now).get(tag);
            return inChunks(connection, ids, chunk -> "INSERT INTO contact_tags (contact_id, tag_id) SELECT c.id, " + tagId
                    + " FROM contacts c WHERE c.id IN (" + chunk + ") AND NOT EXISTS (SELECT 1 FROM contact_tags x"
                    + " WHERE x.contact_id = c.id AND x.tag_id = " + tagId + ")");
        } catch (SQLException e) {
            throw Jdbc.failure("tagging contacts", e);
        }
    }

    /** Removes {@code tag} from these contacts; returns how many had it. */
    @Transactional(Transactional.TxType.MANDATORY)
    public long untag(long[] ids, String tag) {
        try (Connection connection = dataSource.getConnection()) {
            List<Long> tagId = new ArrayList<>();
            try (PreparedStatement query = connection.prepareStatement("SELECT id FROM tags WHERE name = ?")) {
                query.setString(1, tag);
                try (ResultSet rows = query.executeQuery()) {
                    while (rows.next()) {
                        tagId.add(rows.getLong(1));
                    }
                }
            }
            if (tagId.isEmpty()) {
                return 0;
            }
            return inChunks(connection, ids, chunk -> "DELETE FROM contact_tags WHERE tag_id = " + tagId.get(0)
                    + " AND contact_id IN (" + chunk + ")");
        } catch (SQLException e) {
            throw Jdbc.failure("untagging contacts", e);
        }
    }

    /**
     * Runs one statement of tag changes per 5,000 ids (numbers only, so they are written into the SQL), keeping
     * {@link ContactCounts} with each; the rows changed.
     */
    private static long inChunks(Connection connection, long[] ids, java.util.function.Function<String, String> sql)
            throws SQLException {
        long changed = 0;
        try (Statement statement = connection.createStatement()) {
            for (int from = 0; from < ids.length; from += 5000) {
                StringBuilder chunk = new StringBuilder();
                for (int i = from; i < Math.min(ids.length, from + 5000); i++) {
                    if (i > from) {
                        chunk.append(',');
                    }
                    chunk.append(ids[i]);
                }
                Map<ContactCounts.Cell, Long> before = ContactCounts.cellsOfIds(connection, chunk.toString());
                changed += statement.executeUpdate(sql.apply(chunk.toString()));
                ContactCounts.append(connection, before, ContactCounts.cellsOfIds(connection, chunk.toString()));
            }
        }
        return changed;
    }

    // ---- SQL of a filter -------------------------------------------------------------------------

    /** " WHERE …" over alias c, or "" for no condition; appends its parameters in order. */
    static String where(ContactFilter filter, List<Object> params) {
        List<String> conditions = new ArrayList<>();
        for (String tag : filter.tags()) {
            conditions.add("c.id IN (SELECT ct.contact_id FROM contact_tags ct JOIN tags t ON t.id = ct.tag_id WHERE t.name = ?)");
            params.add(tag);
        }
        for (AttributeCondition condition : filter.attributes()) {
            conditions.add("c.id " + (condition.op() == ContactFilter.Operator.NE ? "NOT " : "")
                    + "IN (SELECT a.contact_id FROM contact_attributes a WHERE a.name = ? AND a.value = ?)");
            params.add(condition.name());
            params.add(condition.value());
        }
        if (filter.country() != null) {
            conditions.add("c.country = ?");
            params.add(filter.country());
        }
        String suppressed = "EXISTS (SELECT 1 FROM opt_outs o WHERE o.phone_e164 = c.phone_e164)";
        if (filter.consent() == ConsentStatus.OPTED_OUT) {
            conditions.add(suppressed);
        } else if (filter.consent() == ConsentStatus.OPTED_IN) {
            conditions.add("c.opt_in_source IS NOT NULL AND NOT " + suppressed);
        } else if (filter.consent() == ConsentStatus.NONE) {
            conditions.add("c.opt_in_source IS NULL AND NOT " + suppressed);
        }
        if (!filter.consentSources().isEmpty()) {
            conditions.add("c.opt_in_source IN (" + Jdbc.placeholders(filter.consentSources().size()) + ")");
            filter.consentSources().forEach(source -> params.add(source.value()));
        }
        if (filter.createdFrom() != null) {
            conditions.add("c.created_at >= ?");
            params.add(filter.createdFrom());
        }
        if (filter.createdTo() != null) {
            conditions.add("c.created_at < ?");
            params.add(filter.createdTo());
        }
        return conditions.isEmpty() ? "" : " WHERE " + String.join(" AND ", conditions);
    }

    private static void bind(PreparedStatement statement, List<Object> params, int first) throws SQLException {
        int i = first;
        for (Object param : params) {
            if (param instanceof Instant instant) {
                Jdbc.setInstant(statement, i++, instant);
            } else if (param instanceof Long number) {
                statement.setLong(i++, number);
            } else if (param instanceof Integer number) {
                statement.setInt(i++, number);
            } else {
                statement.setString(i++, (String) param);
            }
        }
    }

    // ---- helpers ---------------------------------------------------------------------------------

    /** A contact as just written: its id and the facts its attribute rows carry. */
    private record Stored(long id, String source, String country) {
    }

    private static Map<String, Stored> storedByPhone(Connection connection, List<String> phones) throws SQLException {
        Map<String, Stored> stored = new HashMap<>(phones.size() * 2);
        try (PreparedStatement query = connection.prepareStatement("SELECT phone_e164, id, opt_in_source, country FROM contacts"
                + " WHERE phone_e164 IN (" + Jdbc.placeholders(phones.size()) + ")")) {
            for (int i = 0; i < phones.size(); i++) {
                query.setString(i + 1, phones.get(i));
            }
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    stored.put(rows.getString(1), new Stored(rows.getLong(2), rows.getString(3), rows.getString(4)));
                }
            }
        }
        return stored;
    }

    /** The copy of a contact's facts onto its attribute rows that differ, for the contacts its last condition names. */
    private static final String COPY_FACTS = "UPDATE contact_attributes a JOIN contacts c ON c.id = a.contact_id"
            + " SET a.opt_in_source = c.opt_in_source, a.country = c.country"
            + " WHERE NOT (a.opt_in_source <=> c.opt_in_source AND a.country <=> c.country) AND ";

    /**
     * Copies the opt-in source and country of the contacts with these numbers onto their attribute rows
     * where these differ (V35, §11 D37). Every writer that may change either calls this or
     * {@link #copyFactsToAttributes(Connection, long)} after its writes, in its transaction, so an attribute
     * row always carries its contact's.
     */
    private static void copyFactsToAttributes(Connection connection, List<String> phones) throws SQLException {
        if (phones.isEmpty()) {
            return;
        }
        try (PreparedStatement update = connection.prepareStatement(COPY_FACTS + "c.phone_e164 IN ("
                + Jdbc.placeholders(phones.size()) + ")")) {
            for (int i = 0; i < phones.size(); i++) {
                update.setString(i + 1, phones.get(i));
            }
            update.executeUpdate();
        }
    }

    /** {@link #copyFactsToAttributes(Connection, List)} for one contact, by id. */
    private static void copyFactsToAttributes(Connection connection, long id) throws SQLException {
        try (PreparedStatement update = connection.prepareStatement(COPY_FACTS + "c.id = ?")) {
            update.setLong(1, id);
            update.executeUpdate();
        }
    }

    /** Ids of these tags, created when new (in name order, so concurrent creators cannot deadlock). */
    private static Map<String, Long> tagIds(Connection connection, Collection<String> names, Instant now) throws SQLException {
        Map<String, Long> ids = new HashMap<>();
        if (names.isEmpty()) {
            return ids;
        }
        List<String> sorted = new ArrayList<>(new TreeSet<>(names));
        try (PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO tags (name, created_at) VALUES (?, ?) ON DUPLICATE KEY UPDATE name = name")) {
            for (String name : sorted) {
                insert.setString(1, name);
                Jdbc.setInstant(insert, 2, now);
                insert.addBatch();
            }
            insert.executeBatch();
        }
        try (PreparedStatement query = connection.prepareStatement("SELECT name, id FROM tags WHERE name IN ("
                + Jdbc.placeholders(sorted.size()) + ")")) {
            for (int i = 0; i < sorted.size(); i++) {
                query.setString(i + 1, sorted.get(i));
            }
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    ids.put(rows.getString(1), rows.getLong(2));
                }
            }
        }
        return ids;
    }

    private static Map<Long, List<String>> tagsOf(Connection connection, List<Long> ids) throws SQLException {
        Map<Long, List<String>> tags = new HashMap<>();
        try (PreparedStatement query = connection.prepareStatement("SELECT ct.contact_id, t.name FROM contact_tags ct"
                + " JOIN tags t ON t.id = ct.tag_id WHERE ct.contact_id IN (" + Jdbc.placeholders(ids.size()) + ")"
                + " ORDER BY ct.contact_id, t.name")) {
            for (int i = 0; i < ids.size(); i++) {
                query.setLong(i + 1, ids.get(i));
            }
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    tags.computeIfAbsent(rows.getLong(1), id -> new ArrayList<>()).add(rows.getString(2));
                }
            }
        }
        return tags;
    }

    private static Map<String, Contact.OptOutFact> optOutsOf(Connection connection, List<String> phones) throws SQLException {
        Map<String, Contact.OptOutFact> optOuts = new LinkedHashMap<>();
        try (PreparedStatement query = connection.prepareStatement("SELECT phone_e164, source, created_at, reason FROM opt_outs"
                + " WHERE phone_e164 IN (" + Jdbc.placeholders(phones.size()) + ")")) {
            for (int i = 0; i < phones.size(); i++) {
                query.setString(i + 1, phones.get(i));
            }
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    optOuts.put(rows.getString(1), new Contact.OptOutFact(rows.getString(2),
                            Jdbc.instant(rows.getTimestamp(3)), rows.getString(4)));
                }
            }
        }
        return optOuts;
    }
}
