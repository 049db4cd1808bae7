package io.wacast.campaign.service;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import io.wacast.campaign.domain.ConsentSource;
import io.wacast.campaign.domain.ConsentStatus;
import io.wacast.common.WireNames;
import io.wacast.common.phone.PhoneNumbers;
import io.wacast.common.problem.Problem.FieldError;

/**
 * Which contacts a list, an export or a bulk tag change is about. Every condition must hold; an empty
 * filter matches every contact. Each condition is an index lookup (DESIGN.md §2, contacts).
 *
 * @param tags the contact has every one of these tags
 * @param attributes attribute conditions ({@code eq}: has this value; {@code ne}: has not, or no value)
 * @param country ISO 3166 region derived from the number
 * @param consent the consent as read ({@link ConsentStatus})
 * @param consentSources the recorded opt-in came from one of these (implies an opt-in is recorded)
 * @param createdFrom created at or after (inclusive)
 * @param createdTo created before (exclusive)
 */
public record ContactFilter(List<String> tags, List<AttributeCondition> attributes, String country,
        ConsentStatus consent, List<ConsentSource> consentSources, Instant createdFrom, Instant createdTo) {

    public static final ContactFilter ALL = new ContactFilter(List.of(), List.of(), null, null, List.of(), null, null);

    public enum Operator {
        EQ, NE;

        @JsonValue
        public String value() {
            return WireNames.of(this);
        }

        @JsonCreator
        public static Operator fromString(String value) {
            return WireNames.parse(Operator.class, value);
        }
    }

    public record AttributeCondition(String name, Operator op, String value) {
    }

    public ContactFilter {
        tags = tags == null ? List.of() : List.copyOf(tags);
        attributes = attributes == null ? List.of() : List.copyOf(attributes);
        consentSources = consentSources == null ? List.of() : List.copyOf(consentSources);
    }

    /**
     * The filter of a request, checked: 400 naming {@code prefix}+field for a bad tag, an unknown
     * operator, an unknown country, a range that ends before it starts. Attribute conditions come as
     * {@code name:op:value} in query parameters ({@code city:eq:Bali}).
     */
    public static ContactFilter parse(String prefix, List<String> tags, List<String> attributes, String country,
            String consent, List<String> consentSources, String createdFrom, String createdTo) {
        List<FieldError> errors = new ArrayList<>();
        List<String> cleanTags = new ArrayList<>();
        for (String raw : tags == null ? List.<String>of() : tags) {
            String tag = ContactFields.normaliseTag(raw);
            String problem = ContactFields.tagProblem(tag);
            if (problem != null) {
                errors.add(new FieldError(prefix + "tag", null, problem, raw));
            } else {
                cleanTags.add(tag);
            }
        }
        List<AttributeCondition> conditions = new ArrayList<>();
        for (String raw : attributes == null ? List.<String>of() : attributes) {
            String[] parts = raw == null ? new String[0] : raw.split(":", 3);
            if (parts.length != 3) {
                errors.add(new FieldError(prefix + "attribute", null, "expected name:op:value, e.g. city:eq:Bali", raw));
                continue;
            }
            AttributeCondition condition = condition(prefix + "attribute", parts[0], parts[1], parts[2], errors);
            if (condition != null) {
                conditions.add(condition);
            }
        }
        String region = null;
        if (country != null && !country.isBlank()) {
            region = country.strip().toUpperCase(Locale.ROOT);
            if (!PhoneNumbers.isKnownRegion(region)) {
                errors.add(new FieldError(prefix + "country", null, "not an ISO 3166 region code like IN or ID", country));
            }
        }
        ConsentStatus status = null;
        if (consent != null && !consent.isBlank()) {
            try {
                status = WireNames.parse(ConsentStatus.class, consent);
            } catch (IllegalArgumentException e) {
                errors.add(new FieldError(prefix + "consent", null, e.getMessage(), null));
            }
        }
        List<ConsentSource> sources = new ArrayList<>();
        for (String raw : consentSources == null ? List.<String>of() : consentSources) {
            try {
                sources.add(WireNames.parse(ConsentSource.class, raw));
            } catch (IllegalArgumentException e) {
                errors.add(new FieldError(prefix + "consentSource", null, e.getMessage(), null));
            }
        }
        Instant from = instant(prefix + "createdFrom", createdFrom, errors);
        Instant to = instant(prefix + "createdTo", createdTo, errors);
        if (from != null && to != null && !to.isAfter(from)) {
            errors.add(new FieldError(prefix + "createdTo", null, "must be after createdFrom", createdTo));
        }
        if (!errors.isEmpty()) {
            throw ProblemException.invalid(errors.size() == 1 ? errors.get(0).field() + ": " + errors.get(0).message()
                    : errors.size() + " filter conditions are invalid", errors);
        }
        return new ContactFilter(cleanTags, conditions, region, status, sources, from, to);
    }

    /** An attribute condition, checked; null (with the error added) when it is wrong. */
    static AttributeCondition condition(String field, String name, String op, String value, List<FieldError> errors) {
        String nameProblem = ContactFields.attributeNameProblem(name);
        if (nameProblem != null) {
            errors.add(new FieldError(field, null, nameProblem, name));
            return null;
        }
        Operator operator;
        try {
            operator = WireNames.parse(Operator.class, op);
        } catch (IllegalArgumentException e) {
            errors.add(new FieldError(field, null, "unknown operator '" + op + "', expected one of: eq, ne", op));
            return null;
        }
        String valueProblem = ContactFields.attributeValueProblem(name, value);
        if (valueProblem != null) {
            errors.add(new FieldError(field, null, valueProblem, null));
            return null;
        }
        return new AttributeCondition(name, operator, value);
    }

    private static Instant instant(String field, String value, List<FieldError> errors) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Instant.parse(value.strip());
        } catch (DateTimeParseException e) {
            errors.add(new FieldError(field, null, "not an ISO-8601 instant like 2026-12-01T00:00:00Z", value));
            return null;
        }
    }
}
