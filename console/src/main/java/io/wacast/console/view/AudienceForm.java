package io.wacast.console.view;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import jakarta.ws.rs.core.MultivaluedMap;

import io.wacast.console.client.AudienceApi.Attribute;
import io.wacast.console.client.AudienceApi.ConsentFilter;
import io.wacast.console.client.AudienceApi.Filter;
import io.wacast.console.client.AudienceApi.RecipientsOf;
import io.wacast.console.client.AudienceApi.Tags;

/**
 * The audience editor's fields as typed, and the filter they make. Lists are typed comma-separated;
 * the API checks every value and names the field of a bad one, which the page shows next to it.
 */
public record AudienceForm(String name, String description, String tagsAll, String tagsAny, String tagsNone,
        List<Condition> attributes, String countries, String consent, List<String> sources, String campaignId,
        String campaignStatuses, String notMessagedInDays) {

    /** Rows the editor offers for attribute conditions. */
    public static final int ATTRIBUTE_ROWS = 3;
    public static final List<String> OPERATORS = List.of("eq", "ne", "in", "exists", "absent");
    public static final List<String> SOURCES = List.of("csv_import", "api", "whatsapp_reply", "web_form", "qr", "campaign_upload");

    public record Condition(String name, String op, String value) {
    }

    public static AudienceForm empty() {
        List<Condition> rows = new ArrayList<>();
        for (int i = 0; i < ATTRIBUTE_ROWS; i++) {
            rows.add(new Condition("", "eq", ""));
        }
        return new AudienceForm("", "", "", "", "", rows, "", "opted_in", List.of(), "", "", "");
    }

    public static AudienceForm of(MultivaluedMap<String, String> fields) {
        List<Condition> rows = new ArrayList<>();
        for (int i = 0; i < ATTRIBUTE_ROWS; i++) {
            rows.add(new Condition(text(fields, "attr" + i + "Name"), fieldOr(fields, "attr" + i + "Op", "eq"),
                    text(fields, "attr" + i + "Value")));
        }
        List<String> sources = fields.get("source") == null ? List.of() : List.copyOf(fields.get("source"));
        return new AudienceForm(text(fields, "name"), text(fields, "description"), text(fields, "tagsAll"), text(fields, "tagsAny"),
                text(fields, "tagsNone"), rows, text(fields, "countries"), text(fields, "consent"), sources,
                text(fields, "campaignId"), text(fields, "campaignStatuses"), text(fields, "notMessagedInDays"));
    }

    /** The editor filled from a saved filter. */
    public static AudienceForm of(String name, String description, Filter filter) {
        List<Condition> rows = new ArrayList<>();
        List<Attribute> attributes = filter == null || filter.attributes() == null ? List.of() : filter.attributes();
        for (int i = 0; i < Math.max(ATTRIBUTE_ROWS, attributes.size()); i++) {
            Attribute a = i < attributes.size() ? attributes.get(i) : null;
            rows.add(a == null ? new Condition("", "eq", "")
                    : new Condition(a.name(), a.op(), a.values() != null ? String.join(", ", a.values()) : a.value() == null ? "" : a.value()));
        }
        Tags tags = filter == null ? null : filter.tags();
        RecipientsOf campaign = filter == null || filter.recipientsOf() == null || filter.recipientsOf().isEmpty() ? null
                : filter.recipientsOf().get(0);
        return new AudienceForm(name, description == null ? "" : description, join(tags == null ? null : tags.all()),
                join(tags == null ? null : tags.any()), join(tags == null ? null : tags.none()), rows,
                join(filter == null ? null : filter.countries()),
                filter == null || filter.consent() == null || filter.consent().status() == null ? "" : filter.consent().status(),
                filter == null || filter.consent() == null || filter.consent().sources() == null ? List.of() : filter.consent().sources(),
                campaign == null ? "" : String.valueOf(campaign.campaignId()), campaign == null ? "" : join(campaign.statuses()),
                filter == null || filter.notMessagedInDays() == null ? "" : String.valueOf(filter.notMessagedInDays()));
    }

    /**
     * The filter these fields describe. A number field that is not a number is passed on as a value the
     * API refuses with the field's name (-1), so the page has one place that explains errors.
     */
    public Filter toFilter() {
        List<Attribute> conditions = new ArrayList<>();
        for (Condition c : attributes) {
            if (c.name().isBlank()) {
                continue;
            }
            switch (c.op()) {
                case "in" -> conditions.add(new Attribute(c.name(), "in", null, split(c.value())));
                case "exists", "absent" -> conditions.add(new Attribute(c.name(), c.op(), null, null));
                default -> conditions.add(new Attribute(c.name(), c.op(), c.value(), null));
            }
        }
        List<RecipientsOf> campaigns = campaignId.isBlank() ? null
                : List.of(new RecipientsOf(number(campaignId), split(campaignStatuses)));
        Tags tags = tagsAll.isBlank() && tagsAny.isBlank() && tagsNone.isBlank() ? null
                : new Tags(split(tagsAll), split(tagsAny), split(tagsNone));
        ConsentFilter consentFilter = consent.isBlank() && sources.isEmpty() ? null
                : new ConsentFilter(consent.isBlank() ? null : consent, sources);
        return new Filter(tags, conditions.isEmpty() ? null : conditions, countries.isBlank() ? null : split(countries),
                consentFilter, campaigns, notMessagedInDays.isBlank() ? null : (int) (long) number(notMessagedInDays));
    }

    public List<String> operators() {
        return OPERATORS;
    }

    public List<String> sourceChoices() {
        return SOURCES;
    }

    public boolean hasSource(String source) {
        return sources.contains(source);
    }

    private static Long number(String text) {
        try {
            return Long.parseLong(text.strip());
        } catch (NumberFormatException e) {
            return -1L;
        }
    }

    private static List<String> split(String text) {
        return Arrays.stream(text.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
    }

    private static String join(List<String> values) {
        return values == null ? "" : String.join(", ", values);
    }

    private static String text(MultivaluedMap<String, String> fields, String name) {
        String value = fields.getFirst(name);
        return value == null ? "" : value.strip();
    }

    private static String fieldOr(MultivaluedMap<String, String> fields, String name, String fallback) {
        String value = fields.getFirst(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
