package io.wacast.campaign.repository;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLIntegrityConstraintViolationException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.agroal.api.AgroalDataSource;
import io.wacast.campaign.domain.JsonColumns;
import io.wacast.campaign.service.AudienceFilter;
import io.wacast.common.status.RecipientStatus;

/**
 * Audiences in SQL: the saved filters, their live count, the link of a campaign to its audience and
 * the pieces of a snapshot (the matching contact ids once, then their details chunk by chunk, then the
 * recipient rows).
 */
@ApplicationScoped
public class AudienceRepository {


    public record Audience(long id, String name, String description, AudienceFilter filter, long version, Instant createdAt,
            Instant updatedAt) {
    }

    /** A campaign's audience and, once taken, its snapshot's report. */
    public record Link(long campaignId, long audienceId, Map<String, String> variableMap, Instant snapshotAt,
            Snapshot snapshot) {
    }

    /** What a snapshot did with the contacts the audience matched. */
    public record Snapshot(long matched, long added, long suppressed, long noOptIn, long missingVariables,
            long invalidVariables, long alreadyRecipients, long recentlyMessaged) {
    }

    /** A matching contact as a snapshot needs it. */
    public record Candidate(long id, String phone, String name, Map<String, String> attributes, boolean optedIn,
            boolean suppressed, boolean alreadyRecipient, boolean recentlyMessaged) {
    }

    /** A recipient row of a snapshot; {@code reason} goes to last_error_message (opted_out rows). */
    public record Row(String phone, String name, Map<String, String> variables, RecipientStatus status, String reason) {
    }

    /**
     * The suppressed contacts, driven from the short suppression list: one probe by hash per suppressed
     * number into {@code ix_contacts_hash_facts}, which holds the facts a condition asks about.
     */
    private static final String SUPPRESSED_CONTACTS = " FROM opt_outs o STRAIGHT_JOIN contacts c"
            + " FORCE INDEX (ix_contacts_hash_facts) ON c.phone_hash = o.phone_hash";

    private final AgroalDataSource dataSource;
    private final ObjectMapper json;
    private final ContactCounts cells;
    private final LoadedRecipients loaded;
    /**
     * Recipient rows dispatched within a "not messaged" window up to which the audience is counted as the
     * rest of its filter minus those of them messaged then, one probe per such number; beyond, by the scan.
     */
    private final int recentProbes;

    AudienceRepository(AgroalDataSource dataSource, ObjectMapper json, ContactCounts cells, LoadedRecipients loaded,
            io.wacast.campaign.config.CampaignConfig config) {
        this.dataSource = dataSource;
        this.json = json;
        this.cells = cells;
        this.loaded = loaded;
        this.recentProbes = config.contacts().recentMessageProbes();
    }

    // ---- the saved audiences ---------------------------------------------------------------------

    /** Creates an audience; empty when the name is taken. */
    @Transactional(Transactional.TxType.MANDATORY)
    public Optional<Long> create(String name, String description, AudienceFilter filter, Instant now) {
        try (Connection connection = dataSource.getConnection(); PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO audiences (name, description, filter, version, created_at, updated_at) VALUES (?, ?, ?, 0, ?, ?)",
                Statement.RETURN_GENERATED_KEYS)) {
            insert.setString(1, name);
            insert.setString(2, description);
            insert.setString(3, JsonColumns.write(filter));
            Jdbc.setInstant(insert, 4, now);
            Jdbc.setInstant(insert, 5, now);
            insert.executeUpdate();
            try (ResultSet keys = insert.getGeneratedKeys()) {
                keys.next();
                return Optional.of(keys.getLong(1));
            }
        } catch (SQLIntegrityConstraintViolationException e) {
            return Optional.empty();
        } catch (SQLException e) {
            throw Jdbc.failure("creating an audience", e);
        }
    }

    /** Replaces an audience's fields; false when the name is taken by another audience. */
    @Transactional(Transactional.TxType.MANDATORY)
    public boolean update(long id, String name, String description, AudienceFilter filter, Instant now) {
        try (Connection connection = dataSource.getConnection(); PreparedStatement update = connection.prepareStatement(
                "UPDATE audiences SET name = ?, description = ?, filter = ?, version = version + 1, updated_at = ? WHERE id = ?")) {
            update.setString(1, name);
            update.setString(2, description);
            update.setString(3, JsonColumns.write(filter));
            Jdbc.setInstant(update, 4, now);
            update.setLong(5, id);
            update.executeUpdate();
            return true;
        } catch (SQLIntegrityConstraintViolationException e) {
            return false;
        } catch (SQLException e) {
            throw Jdbc.failure("updating an audience", e);
        }
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public boolean delete(long id) {
        return update("DELETE FROM audiences WHERE id = ?", id, "deleting an audience") == 1;
    }

    public Optional<Audience> find(long id) {
        return Jdbc.list(dataSource, "SELECT id, name, description, filter, version, created_at, updated_at FROM audiences WHERE id = ?",
                query -> query.setLong(1, id), this::audience, "reading an audience").stream().findFirst();
    }

    /** A page by name. */
    public List<Audience> page(int page, int size) {
        return Jdbc.list(dataSource, "SELECT id, name, description, filter, version, created_at, updated_at FROM audiences"
                + " ORDER BY name, id LIMIT ? OFFSET ?", query -> {
                    query.setInt(1, size);
                    query.setLong(2, (long) page * size);
                }, this::audience, "listing audiences");
    }

    public long total() {
        return Jdbc.list(dataSource, "SELECT COUNT(*) FROM audiences", query -> {
        }, row -> row.getLong(1), "counting audiences").get(0);
    }

    /** The campaigns that target this audience (ids, newest first, at most {@code limit}). */
    public List<Long> campaignsOf(long audienceId, int limit) {
        return Jdbc.list(dataSource, "SELECT campaign_id FROM campaign_audiences WHERE audience_id = ? ORDER BY campaign_id DESC LIMIT ?",
                query -> {
                    query.setLong(1, audienceId);
                    query.setInt(2, limit);
                }, row -> row.getLong(1), "listing an audience's campaigns");
    }

    private Audience audience(ResultSet row) throws SQLException {
        try {
            return new Audience(row.getLong(1), row.getString(2), row.getString(3),
                    json.readValue(row.getString(4), AudienceFilter.class), row.getLong(5), Jdbc.instant(row.getTimestamp(6)),
                    Jdbc.instant(row.getTimestamp(7)));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("corrupt filter of audience " + row.getLong(1), e);
        }
    }

    // ---- counting --------------------------------------------------------------------------------

    /**
     * How many contacts the filter matches now: the matches without the suppression part, minus (or
     * only) those on the suppression list, the latter driven from {@code opt_outs} (STRAIGHT_JOIN: one
     * index probe per suppressed number, not one per contact). Kinds with a shorter way say so below. One
     * transaction, so every part is read in one snapshot.
     */
    @Transactional
    public long count(AudienceFilter filter, Instant now) {
        return count(filter, now, recentProbes);
    }

    /** {@link #count(AudienceFilter, Instant)}, probing at most {@code recentProbes} recently dispatched rows. */
    @Transactional
    long count(AudienceFilter filter, Instant now, int recentProbes) {
        if (filter.notMessagedInDays() != null) {
            Instant since = now.minus(java.time.Duration.ofDays(filter.notMessagedInDays()));
            if (dispatchedSinceAtMost(since, recentProbes)) {
                AudienceFilter rest = new AudienceFilter(filter.tags(), filter.attributes(), filter.countries(), filter.consent(),
                        filter.recipientsOf(), null);
                return count(rest, now, recentProbes) - countMessagedSince(rest, since, now);
            }
        }
        AudienceQuery query = AudienceQuery.of(filter, now);
        CellQuery byCells = CellQuery.of(filter);
        if (byCells != null) {
            return countByCells(byCells, query.suppression);
        }
        if (oneAttributeWithFacts(filter)) {
            return countByAttribute(filter, query.suppression);
        }
        if (onlyOneCampaign(filter)) {
            AudienceFilter.RecipientsOf campaign = filter.campaignConditions().get(0);
            OptionalLong counted = loaded.recipientsWithContacts(campaign.campaignId(),
                    campaign.statuses() == null ? List.of() : campaign.statuses());
            if (counted.isPresent()) {
                return counted.getAsLong();
            }
        }
        long suppressed = query.suppression == AudienceQuery.Suppression.ANY ? 0
                : single("SELECT COUNT(*) FROM opt_outs o STRAIGHT_JOIN contacts c ON c.phone_hash = o.phone_hash WHERE "
                        + query.conditions, query);
        if (query.suppression == AudienceQuery.Suppression.SUPPRESSED) {
            return suppressed;
        }
        long all = single("SELECT COUNT(*) FROM " + query.contacts + " WHERE " + query.conditions, query);
        return query.suppression == AudienceQuery.Suppression.NOT_SUPPRESSED ? all - suppressed : all;
    }

    /**
     * An audience made only of at most one tag (all or any of one, or none of one), countries and consent,
     * as conditions over the cells of {@link ContactCounts}: {@code contact_counts} has the same columns
     * ({@code country}, {@code opt_in_source}, "" for none) as {@code contacts c}.
     */
    record CellQuery(String tag, boolean without, String condition, List<String> rowConditions, List<String> params) {

        static CellQuery of(AudienceFilter filter) {
            if (!filter.attributeConditions().isEmpty() || !filter.campaignConditions().isEmpty()
                    || filter.notMessagedInDays() != null) {
                return null;
            }
            java.util.Set<String> with = new java.util.LinkedHashSet<>(filter.allTags());
            java.util.Set<String> any = new java.util.LinkedHashSet<>(filter.anyTags());
            java.util.Set<String> none = new java.util.LinkedHashSet<>(filter.noneTags());
            if (!any.isEmpty()) {
                if (any.size() > 1 || (!with.isEmpty() && !with.equals(any))) {
                    return null;
                }
                with = any;
            }
            if (with.size() > 1 || none.size() > 1 || (!with.isEmpty() && !none.isEmpty())) {
                return null;
            }
            List<String> cellConditions = new ArrayList<>();
            List<String> rowConditions = new ArrayList<>(); // the same over a row with these columns (NULL: none)
            List<String> params = new ArrayList<>();
            if (!filter.countryCodes().isEmpty()) {
                String in = " IN (" + Jdbc.placeholders(filter.countryCodes().size()) + ")";
                cellConditions.add("country" + in);
                rowConditions.add("country" + in);
                params.addAll(filter.countryCodes());
            }
            io.wacast.campaign.domain.ConsentStatus consent = filter.consentStatus();
            if (consent == io.wacast.campaign.domain.ConsentStatus.OPTED_IN) {
                cellConditions.add("opt_in_source <> ''");
                rowConditions.add("opt_in_source IS NOT NULL");
            } else if (consent == io.wacast.campaign.domain.ConsentStatus.NONE) {
                cellConditions.add("opt_in_source = ''");
                rowConditions.add("opt_in_source IS NULL");
            }
            if (!filter.consentSources().isEmpty()) {
                String in = " IN (" + Jdbc.placeholders(filter.consentSources().size()) + ")";
                cellConditions.add("opt_in_source" + in);
                rowConditions.add("opt_in_source" + in);
                filter.consentSources().forEach(source -> params.add(source.value()));
            }
            String tag = with.isEmpty() ? none.isEmpty() ? null : none.iterator().next() : with.iterator().next();
            return new CellQuery(tag, !none.isEmpty(), String.join(" AND ", cellConditions), rowConditions, params);
        }

        /**
         * The conditions over the rows of {@code alias}: a contact ({@code c}) or an attribute row
         * ({@code a}), which carries its contact's country and opt-in source (V35); "" for none.
         */
        String over(String alias) {
            return String.join(" AND ", rowConditions.stream().map(condition -> alias + "." + condition).toList());
        }
    }

    /**
     * The count from the kept cells (a few rows), with the suppressed among them counted live, driven from
     * {@code opt_outs} (one probe by hash per suppressed number into {@code ix_contacts_hash_facts}, and for a
     * tag one into contact_tags' primary key). "None of tag t" is everyone minus those with t.
     */
    private long countByCells(CellQuery query, AudienceQuery.Suppression suppression) {
        Long tagId = query.tag() == null ? Long.valueOf(0)
                : Jdbc.list(dataSource, "SELECT id FROM tags WHERE name = ?", statement -> statement.setString(1, query.tag()),
                        row -> row.getLong(1), "reading a tag").stream().findFirst().orElse(null);
        long tagged = tagId == null ? 0 : countCells(tagId, query, suppression);
        return query.without() ? countCells(0, query, suppression) - tagged : tagged;
    }

    /** Whether at most {@code limit} recipient rows were messaged at or after {@code since} (their index range, bounded). */
    private boolean dispatchedSinceAtMost(Instant since, int limit) {
        return Jdbc.list(dataSource, "SELECT COUNT(*) FROM (SELECT 1 FROM recipients r WHERE r.messaged_at >= ? LIMIT ?) x", query -> {
            Jdbc.setInstant(query, 1, since);
            query.setInt(2, limit + 1);
        }, row -> row.getLong(1), "counting recent messages").get(0) <= limit;
    }

    /**
     * The contacts of {@code filter} (with its suppression part) whose number was messaged at or after
     * {@code since}: driven from the numbers messaged then, read from {@code ix_recipients_messaged} alone
     * (no recipient row; numbers as integers, so their DISTINCT compares no strings), one probe of
     * {@code uq_contacts_phone} each, so the cost grows with the recent messages, not the contact book.
     * The suppressed among them are counted apart and subtracted, driven from the short suppression list as
     * the other counts do: asked of each messaged contact, the suppression list cost more than everything
     * else together (a 64-character hash compared by collation, 100,000 times).
     */
    private long countMessagedSince(AudienceFilter filter, Instant since, Instant now) {
        AudienceQuery query = AudienceQuery.of(filter, now);
        long suppressed = query.suppression == AudienceQuery.Suppression.ANY ? 0
                : Jdbc.list(dataSource, "SELECT COUNT(*)" + SUPPRESSED_CONTACTS + " WHERE " + query.conditions
                        + " AND " + AudienceQuery.DIGITS + " IN (SELECT r.phone_digits FROM recipients r WHERE r.messaged_at >= ?)",
                        statement -> Jdbc.setInstant(statement, query.bind(statement, 1), since),
                        row -> row.getLong(1), "counting recently messaged suppressed contacts").get(0);
        if (query.suppression == AudienceQuery.Suppression.SUPPRESSED) {
            return suppressed;
        }
        long all = Jdbc.list(dataSource, "SELECT COUNT(*) FROM (SELECT DISTINCT r.phone_digits FROM recipients r WHERE r.messaged_at >= ?)"
                + " m STRAIGHT_JOIN contacts c ON c.phone_e164 = CONCAT('+', m.phone_digits) WHERE " + query.conditions, statement -> {
                    Jdbc.setInstant(statement, 1, since);
                    query.bind(statement, 2);
                }, row -> row.getLong(1), "counting recently messaged contacts").get(0);
        return query.suppression == AudienceQuery.Suppression.NOT_SUPPRESSED ? all - suppressed : all;
    }

    /**
     * An audience of the recipients of one campaign and nothing else: counted from that campaign's
     * counters and the loaders' facts while these account for all its recipients (a recipient is one
     * contact, by number, while it has one), by the SQL above otherwise.
     */
    private static boolean onlyOneCampaign(AudienceFilter filter) {
        return filter.campaignConditions().size() == 1 && filter.allTags().isEmpty() && filter.anyTags().isEmpty()
                && filter.noneTags().isEmpty() && filter.attributeConditions().isEmpty() && filter.countryCodes().isEmpty()
                && filter.consentStatus() == null && filter.consentSources().isEmpty() && filter.notMessagedInDays() == null;
    }

    /** One attribute condition, perhaps with countries and consent, and nothing else. */
    private static boolean oneAttributeWithFacts(AudienceFilter filter) {
        return filter.attributeConditions().size() == 1 && filter.allTags().isEmpty() && filter.anyTags().isEmpty()
                && filter.noneTags().isEmpty() && filter.campaignConditions().isEmpty() && filter.notMessagedInDays() == null;
    }

    /**
     * An audience of one attribute condition, perhaps with countries and consent, counted on
     * {@code ix_contact_attributes_value} alone: a contact has at most one row per attribute name, its
     * rows go with it (erasure and replacement delete them in the contact's transaction) and carry its
     * country and opt-in source (V35, §11 D37), so the rows are the contacts. Consent leaves out the
     * suppressed among them, counted from {@code opt_outs} (one probe per suppressed number), as for the
     * cells. "Not equal" and "absent" are the cells of the same countries and consent minus those, the
     * suppressed among both counted in one pass.
     * Through the contacts, as other audiences are counted, this took 264-330 ms for an attribute alone
     * and 280-380 ms with a consent source on 1M contacts (BENCHMARKS.md "Audiences").
     */
    private long countByAttribute(AudienceFilter filter, AudienceQuery.Suppression suppression) {
        AudienceFilter.Attribute attribute = filter.attributeConditions().get(0);
        CellQuery facts = CellQuery.of(new AudienceFilter(null, null, filter.countries(), filter.consent(), null, null));
        List<String> params = new ArrayList<>();
        String rows = AudienceQuery.attributeRows(attribute, params);
        params.addAll(facts.params());
        String factsOfRows = facts.rowConditions().isEmpty() ? "" : " AND " + facts.over("a");
        long matching = suppression == AudienceQuery.Suppression.SUPPRESSED ? 0
                : countRows("SELECT COUNT(*) FROM contact_attributes a WHERE " + rows + factsOfRows, params);
        if (!AudienceQuery.withoutRows(attribute)) {
            long suppressed = suppression == AudienceQuery.Suppression.ANY ? 0
                    : countRows("SELECT COUNT(*)" + SUPPRESSED_CONTACTS
                            + " STRAIGHT_JOIN contact_attributes a ON a.contact_id = c.id AND " + rows
                            + factsOfRows, params);
            return suppression == AudienceQuery.Suppression.SUPPRESSED ? suppressed : matching - suppressed;
        }
        long all = cells.sum(0, facts.condition(), facts.params());
        if (suppression == AudienceQuery.Suppression.ANY) {
            return all - matching;
        }
        // the suppressed of those facts that have no such row, in one pass over the suppression list
        long suppressedWithout = countRows("SELECT COUNT(*) - COUNT(a.contact_id)" + SUPPRESSED_CONTACTS
                + " LEFT JOIN contact_attributes a ON a.contact_id = c.id AND " + rows
                + (facts.rowConditions().isEmpty() ? "" : " WHERE " + facts.over("c")), params);
        return suppression == AudienceQuery.Suppression.SUPPRESSED ? suppressedWithout
                : all - matching - suppressedWithout;
    }

    private long countRows(String sql, List<String> params) {
        return Jdbc.list(dataSource, sql, statement -> {
            for (int i = 0; i < params.size(); i++) {
                statement.setString(i + 1, params.get(i));
            }
        }, row -> row.getLong(1), "counting an audience").get(0);
    }

    private long countCells(long tagId, CellQuery query, AudienceQuery.Suppression suppression) {
        long suppressed = 0;
        if (suppression != AudienceQuery.Suppression.ANY) {
            String where = query.over("c");
            suppressed = countRows("SELECT COUNT(*)" + SUPPRESSED_CONTACTS
                    + (tagId == 0 ? "" : " STRAIGHT_JOIN contact_tags ct ON ct.contact_id = c.id AND ct.tag_id = " + tagId)
                    + (where.isEmpty() ? "" : " WHERE " + where), query.params());
            if (suppression == AudienceQuery.Suppression.SUPPRESSED) {
                return suppressed;
            }
        }
        return cells.sum(tagId, query.condition(), query.params()) - suppressed;
    }

    private long single(String sql, AudienceQuery query) {
        return Jdbc.list(dataSource, sql, statement -> query.bind(statement, 1), row -> row.getLong(1), "counting an audience")
                .get(0);
    }

    // ---- snapshots -------------------------------------------------------------------------------

    /**
     * The ids of the matching contacts in id order, read once (the transaction's consistent view) and
     * streamed: Connector/J otherwise holds the whole result before the first row (a 1M-contact audience
     * ran a 128 MB heap out of memory), so 8 bytes a contact is all this keeps.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public long[] matchingIds(AudienceFilter filter, Instant now) {
        AudienceQuery query = AudienceQuery.of(filter, now);
        try (Connection connection = dataSource.getConnection();
                PreparedStatement select = connection.prepareStatement("SELECT c.id FROM " + query.contacts + " WHERE " + query.whole()
                        + " ORDER BY c.id", ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY)) {
            query.bind(select, 1);
            select.setFetchSize(Integer.MIN_VALUE); // row by row; nothing else runs on the connection meanwhile
            long[] ids = new long[1024];
            int n = 0;
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    if (n == ids.length) {
                        ids = Arrays.copyOf(ids, n * 2);
                    }
                    ids[n++] = rows.getLong(1);
                }
            }
            return Arrays.copyOf(ids, n);
        } catch (SQLException e) {
            throw Jdbc.failure("selecting an audience's contacts", e);
        }
    }

    /**
     * The contacts {@code ids[from, to)} with what a snapshot decides on: opt-in, suppression (by hash),
     * whether the campaign has the number already, and whether an occurrence of series {@code seriesId}
     * messaged it at or after {@code messagedSince} or is about to (still pending there); null: not asked.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public List<Candidate> candidates(long[] ids, int from, int to, long campaignId, Long seriesId, Instant messagedSince) {
        StringBuilder in = new StringBuilder();
        for (int i = from; i < to; i++) {
            in.append(i > from ? "," : "").append(ids[i]);
        }
        String recent = seriesId == null ? "FALSE"
                : "EXISTS (SELECT 1 FROM series_occurrences so JOIN recipients p ON p.campaign_id = so.campaign_id"
                        + " WHERE so.series_id = ? AND p.phone_e164 = c.phone_e164 AND (p.status = 'pending'"
                        + " OR p.messaged_at >= ?))";
        String sql = "SELECT c.id, c.phone_e164, c.name, c.attributes, c.opt_in_source IS NOT NULL, "
                + AudienceQuery.SUPPRESSED + ", x.id IS NOT NULL, " + recent
                + " FROM contacts c LEFT JOIN recipients x ON x.campaign_id = ? AND x.phone_e164 = c.phone_e164"
                + " WHERE c.id IN (" + in + ") ORDER BY c.id";
        return Jdbc.list(dataSource, sql, query -> {
            int i = 1;
            if (seriesId != null) {
                query.setLong(i++, seriesId);
                Jdbc.setInstant(query, i++, messagedSince);
            }
            query.setLong(i, campaignId);
        }, row -> new Candidate(row.getLong(1), row.getString(2), row.getString(3), JsonColumns.readStringMap(row.getString(4)),
                row.getBoolean(5), row.getBoolean(6), row.getBoolean(7), row.getBoolean(8)), "reading an audience's contacts");
    }

    /** One JDBC batch of recipient rows (multi-row INSERTs). */
    @Transactional(Transactional.TxType.MANDATORY)
    public void insertRecipients(long campaignId, List<Row> rows, Instant now) {
        if (rows.isEmpty()) {
            return;
        }
        try (Connection connection = dataSource.getConnection(); PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO recipients (campaign_id, phone_e164, name, variables, status, last_error_message, created_at, updated_at)"
                        + " VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
            String at = Jdbc.datetime(now);
            for (Row row : rows) {
                insert.setLong(1, campaignId);
                insert.setString(2, row.phone());
                insert.setString(3, row.name());
                insert.setString(4, row.variables() == null || row.variables().isEmpty() ? null : JsonColumns.write(row.variables()));
                insert.setString(5, io.wacast.common.WireNames.of(row.status()));
                insert.setString(6, row.reason());
                insert.setString(7, at);
                insert.setString(8, at);
                insert.addBatch();
            }
            insert.executeBatch();
        } catch (SQLException e) {
            throw Jdbc.failure("storing an audience's recipients", e);
        }
    }

    // ---- the link of a campaign to its audience ---------------------------------------------------

    @Transactional(Transactional.TxType.MANDATORY)
    public void link(long campaignId, long audienceId, Map<String, String> variableMap) {
        try (Connection connection = dataSource.getConnection(); PreparedStatement upsert = connection.prepareStatement(
                "INSERT INTO campaign_audiences (campaign_id, audience_id, variable_map) VALUES (?, ?, ?)"
                        + " ON DUPLICATE KEY UPDATE audience_id = VALUES(audience_id), variable_map = VALUES(variable_map)")) {
            upsert.setLong(1, campaignId);
            upsert.setLong(2, audienceId);
            upsert.setString(3, variableMap == null || variableMap.isEmpty() ? null : JsonColumns.write(variableMap));
            upsert.executeUpdate();
        } catch (SQLException e) {
            throw Jdbc.failure("linking a campaign to an audience", e);
        }
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public boolean unlink(long campaignId) {
        return update("DELETE FROM campaign_audiences WHERE campaign_id = ? AND snapshot_at IS NULL", campaignId,
                "unlinking a campaign's audience") == 1;
    }

    /** The campaign's audience link, its row locked until the transaction ends (one snapshot per campaign). */
    @Transactional(Transactional.TxType.MANDATORY)
    public Optional<Link> lockLink(long campaignId) {
        return link(campaignId, " FOR UPDATE");
    }

    public Optional<Link> link(long campaignId) {
        return link(campaignId, "");
    }

    private Optional<Link> link(long campaignId, String lock) {
        return Jdbc.list(dataSource, "SELECT campaign_id, audience_id, variable_map, snapshot_at, matched, added, suppressed,"
                + " no_opt_in, missing_variables, invalid_variables, already_recipients, recently_messaged"
                + " FROM campaign_audiences WHERE campaign_id = ?" + lock, query -> query.setLong(1, campaignId),
                row -> new Link(row.getLong(1), row.getLong(2), JsonColumns.readStringMap(row.getString(3)),
                        Jdbc.instant(row.getTimestamp(4)), row.getTimestamp(4) == null ? null
                                : new Snapshot(row.getLong(5), row.getLong(6), row.getLong(7), row.getLong(8), row.getLong(9),
                                        row.getLong(10), row.getLong(11), row.getLong(12))),
                "reading a campaign's audience").stream().findFirst();
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public void recordSnapshot(long campaignId, Snapshot snapshot, Instant now) {
        try (Connection connection = dataSource.getConnection(); PreparedStatement update = connection.prepareStatement(
                "UPDATE campaign_audiences SET snapshot_at = ?, matched = ?, added = ?, suppressed = ?, no_opt_in = ?,"
                        + " missing_variables = ?, invalid_variables = ?, already_recipients = ?, recently_messaged = ?"
                        + " WHERE campaign_id = ?")) {
            Jdbc.setInstant(update, 1, now);
            long[] values = {snapshot.matched(), snapshot.added(), snapshot.suppressed(), snapshot.noOptIn(),
                snapshot.missingVariables(), snapshot.invalidVariables(), snapshot.alreadyRecipients(), snapshot.recentlyMessaged()};
            for (int i = 0; i < values.length; i++) {
                update.setLong(i + 2, values[i]);
            }
            update.setLong(10, campaignId);
            update.executeUpdate();
        } catch (SQLException e) {
            throw Jdbc.failure("recording an audience snapshot", e);
        }
    }

    private int update(String sql, long id, String what) {
        try (Connection connection = dataSource.getConnection(); PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setLong(1, id);
            return statement.executeUpdate();
        } catch (SQLException e) {
            throw Jdbc.failure(what, e);
        }
    }

}
