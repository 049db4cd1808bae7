package io.wacast.campaign.service;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;

import io.wacast.campaign.domain.ConsentSource;
import io.wacast.campaign.domain.ConsentStatus;
import io.wacast.common.WireNames;
import io.wacast.common.phone.PhoneNumbers;
import io.wacast.common.problem.Problem.FieldError;
import io.wacast.common.status.RecipientStatus;

/**
 * The filter of an audience, as stored (JSON) and as the API takes it. Every condition given must hold;
 * an empty filter matches every contact. {@link #checked} turns what an operator sent into the stored
 * form or a 400 naming each bad field ({@code filter.attributes[1].op}).
 *
 * @param tags tag conditions: has every tag of {@code all}, at least one of {@code any}, none of {@code none}
 * @param attributes attribute conditions, all must hold
 * @param countries the contact's region is one of these (ISO 3166, from the number)
 * @param consent the consent as read (status) and where the recorded opt-in came from (sources)
 * @param recipientsOf the contact's number was a recipient of each of these campaigns, in one of the statuses
 * @param notMessagedInDays no campaign dispatched a message to the number in the last N days
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AudienceFilter(Tags tags, List<Attribute> attributes, List<String> countries, Consent consent,
        List<RecipientsOf> recipientsOf, Integer notMessagedInDays) {

    public static final int MAX_CONDITIONS = 50;
    public static final int MAX_DAYS = 3660;

    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    public record Tags(List<String> all, List<String> any, List<String> none) {
    }

    /** Attribute operators: eq, ne (has not that value, or none), in (one of values), exists, absent. */
    public enum AttributeOp {
        EQ, NE, IN, EXISTS, ABSENT;

        String value() {
            return WireNames.of(this);
        }
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Attribute(String name, String op, String value, List<String> values) {
    }

    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    public record Consent(String status, List<String> sources) {
    }

    public record RecipientsOf(Long campaignId, List<String> statuses) {
    }

    public static final AudienceFilter EVERYONE = new AudienceFilter(null, null, null, null, null, null);

    /** Reads filters strictly: an unknown condition (a typo such as tags.some) is an error, never ignored. */
    private static final ObjectMapper STRICT = strict();

    private static ObjectMapper strict() {
        ObjectMapper mapper = io.wacast.campaign.domain.JsonColumns.mapperCopy(); // read from static code: no CDI here
        io.wacast.common.problem.StrictJsonReading.apply(mapper);
        return mapper.enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    }

    /**
     * The filter of a request body, read strictly, then {@link #checked}: 400 naming the field of an
     * unknown condition or operator key, a value of the wrong type, or a bad value.
     */
    public static AudienceFilter read(String prefix, JsonNode json) {
        if (json == null || json.isNull()) {
            return EVERYONE;
        }
        try {
            return checked(prefix, STRICT.treeToValue(json, AudienceFilter.class));
        } catch (UnrecognizedPropertyException e) {
            String field = prefix + path(e);
            throw ProblemException.invalid(field + ": unknown condition '" + e.getPropertyName() + "', expected one of: "
                    + e.getKnownPropertyIds().stream().map(String::valueOf).sorted().reduce((a, b) -> a + ", " + b).orElse(""),
                    List.of(new FieldError(field, null, "unknown condition", e.getPropertyName())));
        } catch (JsonMappingException e) {
            String field = prefix + path(e);
            throw ProblemException.invalid(field + ": not the expected type",
                    List.of(new FieldError(field, null, "not the expected type (lists are arrays, days a number)", null)));
        } catch (JsonProcessingException e) {
            throw ProblemException.invalidField(prefix.isEmpty() ? "filter" : prefix.substring(0, prefix.length() - 1),
                    "not a filter object");
        }
    }

    private static String path(JsonMappingException e) {
        StringBuilder path = new StringBuilder();
        for (JsonMappingException.Reference reference : e.getPath()) {
            if (reference.getFieldName() != null) {
                path.append(path.isEmpty() ? "" : ".").append(reference.getFieldName());
            } else if (reference.getIndex() >= 0) {
                path.append('[').append(reference.getIndex()).append(']');
            }
        }
        return path.toString();
    }

    public List<String> allTags() {
        return tags == null || tags.all() == null ? List.of() : tags.all();
    }

    public List<String> anyTags() {
        return tags == null || tags.any() == null ? List.of() : tags.any();
    }

    public List<String> noneTags() {
        return tags == null || tags.none() == null ? List.of() : tags.none();
    }

    public List<Attribute> attributeConditions() {
        return attributes == null ? List.of() : attributes;
    }

    public List<String> countryCodes() {
        return countries == null ? List.of() : countries;
    }

    public ConsentStatus consentStatus() {
        return consent == null || consent.status() == null ? null : WireNames.parse(ConsentStatus.class, consent.status());
    }

    public List<ConsentSource> consentSources() {
        return consent == null || consent.sources() == null ? List.of()
                : consent.sources().stream().map(ConsentSource::fromString).toList();
    }

    public List<RecipientsOf> campaignConditions() {
        return recipientsOf == null ? List.of() : recipientsOf;
    }

    /**
     * This filter checked and normalised (tags lower case, countries upper case, duplicates gone), or a
     * 400 listing every bad field under {@code prefix}. Campaign ids are checked to exist by the caller.
     */
    public static AudienceFilter checked(String prefix, AudienceFilter raw) {
        if (raw == null) {
            return EVERYONE;
        }
        List<FieldError> errors = new ArrayList<>();
        Tags tags = null;
        if (raw.tags() != null) {
            tags = new Tags(tags(prefix + "tags.all", raw.tags().all(), errors), tags(prefix + "tags.any", raw.tags().any(), errors),
                    tags(prefix + "tags.none", raw.tags().none(), errors));
        }
        List<Attribute> attributes = new ArrayList<>();
        List<Attribute> given = raw.attributes() == null ? List.of() : raw.attributes();
        if (given.size() > MAX_CONDITIONS) {
            errors.add(FieldError.of(prefix + "attributes", "at most " + MAX_CONDITIONS + " attribute conditions"));
        }
        for (int i = 0; i < given.size() && i < MAX_CONDITIONS; i++) {
            Attribute attribute = attribute(prefix + "attributes[" + i + "]", given.get(i), errors);
            if (attribute != null) {
                attributes.add(attribute);
            }
        }
        List<String> countries = new ArrayList<>();
        List<String> givenCountries = raw.countries() == null ? List.of() : raw.countries();
        for (int i = 0; i < givenCountries.size() && i < 300; i++) {
            String country = givenCountries.get(i);
            String region = country == null ? "" : country.strip().toUpperCase(Locale.ROOT);
            if (!PhoneNumbers.isKnownRegion(region)) {
                errors.add(new FieldError(prefix + "countries[" + i + "]", null, "not an ISO 3166 region code like IN or ID",
                        country));
            } else if (!countries.contains(region)) {
                countries.add(region);
            }
        }
        Consent consent = null;
        if (raw.consent() != null) {
            String status = null;
            if (raw.consent().status() != null) {
                try {
                    status = WireNames.of(WireNames.parse(ConsentStatus.class, raw.consent().status()));
                } catch (IllegalArgumentException e) {
                    errors.add(new FieldError(prefix + "consent.status", null, e.getMessage(), null));
                }
            }
            List<String> sources = new ArrayList<>();
            List<String> givenSources = raw.consent().sources() == null ? List.of() : raw.consent().sources();
            for (int i = 0; i < givenSources.size(); i++) {
                try {
                    String source = ConsentSource.fromString(givenSources.get(i)).value();
                    if (!sources.contains(source)) {
                        sources.add(source);
                    }
                } catch (IllegalArgumentException e) {
                    errors.add(new FieldError(prefix + "consent.sources[" + i + "]", null, e.getMessage(), null));
                }
            }
            if (!sources.isEmpty() && status != null && !status.equals("opted_in")) {
                errors.add(FieldError.of(prefix + "consent.sources", "sources describe a recorded opt-in: use them with"
                        + " status opted_in or without a status"));
            }
            consent = new Consent(status, sources);
        }
        List<RecipientsOf> campaigns = new ArrayList<>();
        List<RecipientsOf> givenCampaigns = raw.recipientsOf() == null ? List.of() : raw.recipientsOf();
        if (givenCampaigns.size() > 10) {
            errors.add(FieldError.of(prefix + "recipientsOf", "at most 10 campaign conditions"));
        }
        for (int i = 0; i < givenCampaigns.size() && i < 10; i++) {
            String field = prefix + "recipientsOf[" + i + "]";
            RecipientsOf condition = givenCampaigns.get(i);
            if (condition == null || condition.campaignId() == null || condition.campaignId() <= 0) {
                errors.add(FieldError.of(field + ".campaignId", "a campaign id is required"));
                continue;
            }
            List<String> statuses = new ArrayList<>();
            List<String> givenStatuses = condition.statuses() == null ? List.of() : condition.statuses();
            for (int j = 0; j < givenStatuses.size(); j++) {
                try {
                    String status = WireNames.of(WireNames.parse(RecipientStatus.class, givenStatuses.get(j)));
                    if (!statuses.contains(status)) {
                        statuses.add(status);
                    }
                } catch (IllegalArgumentException e) {
                    errors.add(new FieldError(field + ".statuses[" + j + "]", null, e.getMessage(), null));
                }
            }
            campaigns.add(new RecipientsOf(condition.campaignId(), statuses));
        }
        Integer days = raw.notMessagedInDays();
        if (days != null && (days < 1 || days > MAX_DAYS)) {
            errors.add(new FieldError(prefix + "notMessagedInDays", null, "between 1 and " + MAX_DAYS, String.valueOf(days)));
        }
        if (!errors.isEmpty()) {
            throw ProblemException.invalid(errors.size() == 1 ? errors.get(0).field() + ": " + errors.get(0).message()
                    : errors.size() + " filter conditions are invalid", errors);
        }
        return new AudienceFilter(tags, attributes.isEmpty() ? null : attributes, countries.isEmpty() ? null : countries,
                consent, campaigns.isEmpty() ? null : campaigns, days);
    }

    private static List<String> tags(String field, List<String> given, List<FieldError> errors) {
        if (given == null) {
            return List.of();
        }
        if (given.size() > MAX_CONDITIONS) {
            errors.add(FieldError.of(field, "at most " + MAX_CONDITIONS + " tags"));
            return List.of();
        }
        LinkedHashSet<String> clean = new LinkedHashSet<>();
        for (int i = 0; i < given.size(); i++) {
            String tag = ContactFields.normaliseTag(given.get(i));
            String problem = ContactFields.tagProblem(tag);
            if (problem != null) {
                errors.add(new FieldError(field + "[" + i + "]", null, problem, given.get(i)));
            } else {
                clean.add(tag);
            }
        }
        return List.copyOf(clean);
    }

    private static Attribute attribute(String field, Attribute given, List<FieldError> errors) {
        if (given == null) {
            errors.add(FieldError.of(field, "an attribute condition {name, op, value} is required"));
            return null;
        }
        String nameProblem = ContactFields.attributeNameProblem(given.name());
        if (nameProblem != null) {
            errors.add(new FieldError(field + ".name", null, nameProblem, given.name()));
            return null;
        }
        AttributeOp op;
        try {
            op = WireNames.parse(AttributeOp.class, given.op());
        } catch (IllegalArgumentException e) {
            errors.add(new FieldError(field + ".op", null, "unknown operator '" + given.op()
                    + "', expected one of: eq, ne, in, exists, absent", given.op()));
            return null;
        }
        switch (op) {
            case EQ, NE -> {
                String problem = given.value() == null ? "a value is required for " + op.value()
                        : ContactFields.attributeValueProblem(given.name(), given.value());
                if (problem != null) {
                    errors.add(FieldError.of(field + ".value", problem));
                    return null;
                }
                return new Attribute(given.name(), op.value(), given.value(), null);
            }
            case IN -> {
                if (given.values() == null || given.values().isEmpty() || given.values().size() > 100) {
                    errors.add(FieldError.of(field + ".values", "1 to 100 values are required for in"));
                    return null;
                }
                for (int i = 0; i < given.values().size(); i++) {
                    String value = given.values().get(i);
                    String problem = value == null ? "a value is required" : ContactFields.attributeValueProblem(given.name(), value);
                    if (problem != null) {
                        errors.add(FieldError.of(field + ".values[" + i + "]", problem));
                        return null;
                    }
                }
                return new Attribute(given.name(), op.value(), null, List.copyOf(new LinkedHashSet<>(given.values())));
            }
            default -> {
                if (given.value() != null || given.values() != null) {
                    errors.add(FieldError.of(field + ".value", op.value() + " takes no value"));
                    return null;
                }
                return new Attribute(given.name(), op.value(), null, null);
            }
        }
    }
}
