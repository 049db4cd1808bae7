package io.wacast.campaign.repository;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import io.wacast.campaign.domain.ConsentStatus;
import io.wacast.campaign.service.AudienceFilter;

/**
 * An audience filter as SQL over {@code contacts c}. Each condition is an index lookup or a semi-join
 * on one: tags through {@code ix_contact_tags_tag}, attributes through {@code ix_contact_attributes_value},
 * campaign recipients through {@code ix_recipients_campaign_status}, recent messages through
 * {@code ix_recipients_messaged} (the generated {@code messaged_at, phone_digits}, V36), the suppression
 * list through {@code uq_opt_outs_hash} and the contacts' generated {@code phone_hash}.
 *
 * <p>The suppression part of consent is kept apart ({@link Suppression}) so that a count can be taken as
 * "all that match" minus "those of them on the suppression list", the second driven from the short
 * suppression list instead of probing it once per contact.
 */
final class AudienceQuery {

    /** What the suppression list must say about a contact. */
    enum Suppression {
        ANY, SUPPRESSED, NOT_SUPPRESSED
    }

    /** The contact's number as {@code recipients.phone_digits} (V36) holds it: the E.164 digits as an integer. */
    static final String DIGITS = "CAST(SUBSTRING(c.phone_e164, 2) AS UNSIGNED)";

    static final String SUPPRESSED = "EXISTS (SELECT 1 FROM opt_outs o WHERE o.phone_hash = c.phone_hash)";

    final String conditions;
    final Suppression suppression;
    final List<Object> params;
    /**
     * {@code contacts c}, with {@code FORCE INDEX (ix_contacts_facts)} (V27) when a condition reaches the
     * contacts by id (a tag, an attribute, a campaign's recipients, recent messages): each probe and any
     * scan then reads the narrow covering index instead of the wide rows. Left to the optimizer otherwise
     * (a consent or country range has its own index; everyone is counted on the smallest).
     */
    final String contacts;

    private AudienceQuery(String conditions, Suppression suppression, List<Object> params, boolean byId) {
        this.conditions = conditions;
        this.suppression = suppression;
        this.params = params;
        this.contacts = byId ? "contacts c FORCE INDEX (ix_contacts_facts)" : "contacts c";
    }

    /** The filter's conditions without the suppression part (see {@link #suppression}); "1 = 1" for none. */
    static AudienceQuery of(AudienceFilter filter, Instant now) {
        List<String> where = new ArrayList<>();
        List<Object> params = new ArrayList<>();
        String tagged = "SELECT ct.contact_id FROM contact_tags ct JOIN tags t ON t.id = ct.tag_id WHERE t.name";
        for (String tag : filter.allTags()) {
            where.add("c.id IN (" + tagged + " = ?)");
            params.add(tag);
        }
        if (!filter.anyTags().isEmpty()) {
            where.add("c.id IN (" + tagged + " IN (" + Jdbc.placeholders(filter.anyTags().size()) + "))");
            params.addAll(filter.anyTags());
        }
        if (!filter.noneTags().isEmpty()) {
            where.add("c.id NOT IN (" + tagged + " IN (" + Jdbc.placeholders(filter.noneTags().size()) + "))");
            params.addAll(filter.noneTags());
        }
        for (AudienceFilter.Attribute attribute : filter.attributeConditions()) {
            where.add("c.id " + (withoutRows(attribute) ? "NOT IN" : "IN")
                    + " (SELECT a.contact_id FROM contact_attributes a WHERE " + attributeRows(attribute, params) + ")");
        }
        if (!filter.countryCodes().isEmpty()) {
            where.add("c.country IN (" + Jdbc.placeholders(filter.countryCodes().size()) + ")");
            params.addAll(filter.countryCodes());
        }
        Suppression suppression = Suppression.ANY;
        ConsentStatus consent = filter.consentStatus();
        if (consent == ConsentStatus.OPTED_OUT) {
            suppression = Suppression.SUPPRESSED;
        } else if (consent == ConsentStatus.OPTED_IN) {
            where.add("c.opt_in_source IS NOT NULL");
            suppression = Suppression.NOT_SUPPRESSED;
        } else if (consent == ConsentStatus.NONE) {
            where.add("c.opt_in_source IS NULL");
            suppression = Suppression.NOT_SUPPRESSED;
        }
        if (!filter.consentSources().isEmpty()) {
            where.add("c.opt_in_source IN (" + Jdbc.placeholders(filter.consentSources().size()) + ")");
            filter.consentSources().forEach(source -> params.add(source.value()));
            if (suppression == Suppression.ANY) {
                suppression = Suppression.NOT_SUPPRESSED; // sources describe an opt-in that holds
            }
        }
        for (AudienceFilter.RecipientsOf campaign : filter.campaignConditions()) {
            StringBuilder sql = new StringBuilder("c.phone_e164 IN (SELECT r.phone_e164 FROM recipients r WHERE r.campaign_id = ?");
            params.add(campaign.campaignId());
            if (campaign.statuses() != null && !campaign.statuses().isEmpty()) {
                sql.append(" AND r.status IN (").append(Jdbc.placeholders(campaign.statuses().size())).append(')');
                params.addAll(campaign.statuses());
            }
            where.add(sql.append(')').toString());
        }
        if (filter.notMessagedInDays() != null) {
            where.add(DIGITS + " NOT IN (SELECT r.phone_digits FROM recipients r WHERE r.messaged_at >= ?)");
            params.add(now.minus(java.time.Duration.ofDays(filter.notMessagedInDays())));
        }
        boolean byId = !filter.allTags().isEmpty() || !filter.anyTags().isEmpty() || !filter.noneTags().isEmpty()
                || !filter.attributeConditions().isEmpty() || !filter.campaignConditions().isEmpty()
                || filter.notMessagedInDays() != null;
        return new AudienceQuery(where.isEmpty() ? "1 = 1" : String.join(" AND ", where), suppression, params, byId);
    }

    /** The conditions including the suppression part, for a query that reads the contacts anyway. */
    String whole() {
        return switch (suppression) {
            case ANY -> conditions;
            case SUPPRESSED -> conditions + " AND " + SUPPRESSED;
            case NOT_SUPPRESSED -> conditions + " AND NOT " + SUPPRESSED;
        };
    }

    /** Binds {@link #params} from parameter index {@code first}; returns the next free index. */
    int bind(PreparedStatement statement, int first) throws SQLException {
        int i = first;
        for (Object param : params) {
            if (param instanceof Instant instant) {
                Jdbc.setInstant(statement, i++, instant);
            } else if (param instanceof Long number) {
                statement.setLong(i++, number);
            } else {
                statement.setString(i++, (String) param);
            }
        }
        return i;
    }

    /**
     * The condition on {@code contact_attributes a} of the rows an attribute condition is about (its
     * parameters added to {@code params}): the named attribute with that value ({@code eq}, {@code ne}),
     * one of those values ({@code in}), or any value ({@code exists}, {@code absent}). The audience is the
     * contacts with such a row, or for {@link #withoutRows} the contacts without one.
     */
    static String attributeRows(AudienceFilter.Attribute attribute, List<? super String> params) {
        params.add(attribute.name());
        return switch (attribute.op()) {
            case "eq", "ne" -> {
                params.add(attribute.value());
                yield "a.name = ? AND a.value = ?";
            }
            case "in" -> {
                params.addAll(attribute.values());
                yield "a.name = ? AND a.value IN (" + Jdbc.placeholders(attribute.values().size()) + ")";
            }
            case "exists", "absent" -> "a.name = ?";
            default -> throw new IllegalArgumentException("unchecked attribute operator " + attribute.op());
        };
    }

    /** Whether the condition selects the contacts without the rows of {@link #attributeRows} ({@code ne}, {@code absent}). */
    static boolean withoutRows(AudienceFilter.Attribute attribute) {
        return attribute.op().equals("ne") || attribute.op().equals("absent");
    }
}
