package io.wacast.console.view;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.ws.rs.core.MultivaluedMap;

import io.wacast.common.problem.Problem;
import io.wacast.console.client.AudienceApi.ScheduleRequest;
import io.wacast.console.client.AudienceApi.Series;
import io.wacast.console.client.AudienceApi.SeriesRequest;
import io.wacast.console.client.CampaignApi.Template;
import io.wacast.console.client.UpstreamException;

/**
 * The series form (a new series, or an existing one edited) as typed: the request it makes, and the errors next to each field — the form's
 * own (a number field that is not a number) and the API's problem+json field errors mapped to the
 * field the operator typed them in ({@code schedule.days[1]} → the days, {@code templateName} → the
 * template). The API is the authority on everything else.
 *
 * @param template {@code name::language} of the chosen template
 * @param variables template key → default value for every contact
 * @param attributes template key → contact attribute to read it from
 * @param mode {@code weekly} (days and times) or {@code cron}
 * @param times times of day, comma-separated ({@code 10:00, 18:30})
 * @param startsAt a {@code datetime-local} in the series' time zone, or empty for now
 */
public record SeriesForm(String name, String description, String audienceId, String template, Map<String, String> variables,
        Map<String, String> attributes, String phoneNumberId, String rateLimit, String mode, List<String> days, String times,
        String cron, String timeZone, String startsAt, String endsOn, String maxOccurrences, String minIntervalHours,
        Map<String, String> errors) {

    private static final java.time.format.DateTimeFormatter LOCAL_MINUTE =
            java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm");

    public static final List<String> DAYS = List.of("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday");

    /** The fields a field error of the API lands on, by the API's field (or its prefix before {@code [} or {@code .}). */
    private static final Map<String, String> FIELDS = Map.ofEntries(Map.entry("name", "name"),
            Map.entry("description", "description"), Map.entry("audienceId", "audienceId"), Map.entry("templateName", "template"),
            Map.entry("templateLanguage", "template"), Map.entry("templateVariables", "variables"),
            Map.entry("variables", "variables"), Map.entry("phoneNumberId", "phoneNumberId"), Map.entry("rateLimit", "rateLimit"),
            Map.entry("schedule", "schedule"), Map.entry("schedule.cron", "cron"), Map.entry("schedule.days", "days"),
            Map.entry("schedule.times", "times"), Map.entry("timeZone", "timeZone"), Map.entry("startsAt", "startsAt"),
            Map.entry("endsOn", "endsOn"), Map.entry("maxOccurrences", "maxOccurrences"),
            Map.entry("minIntervalHours", "minIntervalHours"));

    /** A blank form: every Monday at 10:00 in the operator's zone, the service's default spacing. */
    public static SeriesForm empty(ZoneId zone) {
        return new SeriesForm("", "", "", "", Map.of(), Map.of(), "", "", "weekly", List.of("monday"), "10:00", "",
                zone.getId().equals("Z") ? "UTC" : zone.getId(), "", "", "", "24", Map.of());
    }

    /** A new series like an existing one: its settings under a new name, starting now. */
    public static SeriesForm like(Series s) {
        return of(s, "Copy of " + s.name(), "");
    }

    /**
     * An existing series to edit, as it is: its rule as days and times when it is one (the API stores
     * every rule as cron), its start only while it is still ahead (an empty start keeps it).
     */
    public static SeriesForm editing(Series s, Instant now) {
        String start = "";
        if (s.startsAt() != null && s.startsAt().isAfter(now)) {
            try {
                start = LOCAL_MINUTE.format(s.startsAt().atZone(ZoneId.of(s.timeZone())));
            } catch (DateTimeException e) {
                start = "";
            }
        }
        return of(s, s.name(), start);
    }

    private static SeriesForm of(Series s, String name, String startsAt) {
        Weekly weekly = Weekly.of(s.schedule());
        return new SeriesForm(name, s.description() == null ? "" : s.description(),
                String.valueOf(s.audienceId()), s.templateName() + "::" + s.templateLanguage(),
                s.templateVariables() == null ? Map.of() : s.templateVariables(), s.variables() == null ? Map.of() : s.variables(),
                s.phoneNumberId() == null ? "" : s.phoneNumberId(), s.rateLimit() == null ? "" : String.valueOf(s.rateLimit()),
                weekly == null ? "cron" : "weekly", weekly == null ? List.of() : weekly.days(),
                weekly == null ? "" : weekly.times(), s.schedule(), s.timeZone(), startsAt,
                s.endsOn() == null ? "" : s.endsOn().toString(),
                s.maxOccurrences() == null ? "" : String.valueOf(s.maxOccurrences()), String.valueOf(s.minIntervalHours()),
                Map.of());
    }

    /** A stored cron rule read back as the form's days and times, when it is one ({@code 0 10,18 * * MON,THU}). */
    record Weekly(List<String> days, String times) {

        private static final List<String> CRON_DAYS = List.of("MON", "TUE", "WED", "THU", "FRI", "SAT", "SUN");
        private static final java.util.regex.Pattern RULE = java.util.regex.Pattern.compile(
                "(\\d{1,2}(?:,\\d{1,2})*) (\\d{1,2}(?:,\\d{1,2})*) \\* \\* ([A-Za-z]{3}(?:,[A-Za-z]{3})*)");

        static Weekly of(String cron) {
            java.util.regex.Matcher rule = cron == null ? null : RULE.matcher(cron.strip());
            if (rule == null || !rule.matches()) {
                return null;
            }
            List<Integer> minutes = Arrays.stream(rule.group(1).split(",")).map(Integer::valueOf).toList();
            List<Integer> hours = Arrays.stream(rule.group(2).split(",")).map(Integer::valueOf).toList();
            if (minutes.size() > 1 && hours.size() > 1 || minutes.stream().anyMatch(m -> m > 59) || hours.stream().anyMatch(h -> h > 23)) {
                return null; // not a rule the days-and-times fields can say
            }
            List<String> days = new ArrayList<>();
            for (String day : rule.group(3).split(",")) {
                int index = CRON_DAYS.indexOf(day.toUpperCase(java.util.Locale.ROOT));
                if (index < 0) {
                    return null;
                }
                days.add(DAYS.get(index));
            }
            List<String> times = new ArrayList<>();
            for (int hour : hours) {
                for (int minute : minutes) {
                    times.add(String.format(java.util.Locale.ROOT, "%02d:%02d", hour, minute));
                }
            }
            return new Weekly(DAYS.stream().filter(days::contains).toList(), String.join(", ", times));
        }
    }

    public static SeriesForm from(MultivaluedMap<String, String> f) {
        Map<String, String> variables = new LinkedHashMap<>();
        Map<String, String> attributes = new LinkedHashMap<>();
        f.forEach((key, values) -> {
            String value = values == null || values.isEmpty() ? "" : values.get(0).strip();
            if (key.startsWith("var.") && !value.isEmpty()) {
                variables.put(key.substring(4), value);
            } else if (key.startsWith("attr.") && !value.isEmpty()) {
                attributes.put(key.substring(5), value);
            }
        });
        List<String> days = f.get("days") == null ? List.of() : List.copyOf(f.get("days"));
        return new SeriesForm(text(f, "name"), text(f, "description"), text(f, "audienceId"), text(f, "template"), variables,
                attributes, text(f, "phoneNumberId"), text(f, "rateLimit"), "cron".equals(text(f, "mode")) ? "cron" : "weekly",
                days, text(f, "times"), text(f, "cron"), text(f, "timeZone"), text(f, "startsAt"), text(f, "endsOn"),
                text(f, "maxOccurrences"), text(f, "minIntervalHours"), Map.of());
    }

    /** What the form's own checks found (numbers that are not numbers, a start that is not a date-time); empty when none. */
    public Map<String, String> problems() {
        Map<String, String> found = new LinkedHashMap<>();
        number(found, "rateLimit", rateLimit, "a whole number of messages per minute");
        number(found, "maxOccurrences", maxOccurrences, "a whole number of occurrences");
        number(found, "minIntervalHours", minIntervalHours, "a whole number of hours");
        if (!audienceId.matches("\\d{1,18}")) {
            found.put("audienceId", "choose an audience");
        }
        if (template.isEmpty()) {
            found.put("template", "choose a template");
        }
        if (!startsAt.isEmpty()) {
            try {
                LocalDateTime.parse(startsAt);
            } catch (DateTimeParseException e) {
                found.put("startsAt", "not a date and time");
            }
        }
        return found;
    }

    /** The form with these errors shown. */
    public SeriesForm withErrors(Map<String, String> shown) {
        return new SeriesForm(name, description, audienceId, template, variables, attributes, phoneNumberId, rateLimit, mode, days,
                times, cron, timeZone, startsAt, endsOn, maxOccurrences, minIntervalHours, Map.copyOf(shown));
    }

    /** The form with the API's field errors next to their fields; those with no field here stay in the banner. */
    public SeriesForm withErrors(UpstreamException refusal) {
        Map<String, String> shown = new LinkedHashMap<>();
        for (Problem.FieldError e : refusal.errors()) {
            String field = fieldOf(e.field());
            if (field != null) {
                shown.putIfAbsent(field, e.message() + (e.value() != null && e.field().contains("[") ? " (" + e.value() + ")" : ""));
            }
        }
        return withErrors(shown);
    }

    /** The form's field an API field error belongs to, or null. */
    static String fieldOf(String apiField) {
        if (apiField == null) {
            return null;
        }
        String key = apiField;
        while (true) {
            String field = FIELDS.get(key);
            if (field != null) {
                return field;
            }
            int cut = Math.max(key.lastIndexOf('['), key.lastIndexOf('.'));
            if (cut <= 0) {
                return null;
            }
            key = key.substring(0, cut);
        }
    }

    /** Whether every API field error has a place in the form (else the page also shows the refusal as a banner). */
    public static boolean placesAll(UpstreamException refusal) {
        return !refusal.errors().isEmpty() && refusal.errors().stream().allMatch(e -> fieldOf(e.field()) != null);
    }

    public SeriesRequest request() {
        String[] chosen = template.split("::", 2);
        ScheduleRequest schedule = "cron".equals(mode) ? new ScheduleRequest(cron, null, null)
                : new ScheduleRequest(null, days, Arrays.stream(times.split("[,\\s]+")).filter(t -> !t.isBlank()).toList());
        return new SeriesRequest(name, description.isEmpty() ? null : description, Long.valueOf(audienceId), chosen[0],
                chosen.length > 1 ? chosen[1] : "", variables.isEmpty() ? null : variables,
                attributes.isEmpty() ? null : attributes, blankToNull(phoneNumberId), integer(rateLimit), schedule, timeZone,
                startAt(), blankToNull(endsOn), integer(maxOccurrences), integer(minIntervalHours));
    }

    /** The start in the chosen zone; null for now, or when the zone is not one (the API then names the zone). */
    private OffsetDateTime startAt() {
        if (startsAt.isEmpty()) {
            return null;
        }
        try {
            return LocalDateTime.parse(startsAt).atZone(ZoneId.of(timeZone)).toOffsetDateTime();
        } catch (DateTimeException e) {
            return null;
        }
    }

    public String error(String field) {
        return errors.get(field);
    }

    public boolean selected(Template t) {
        return template.equals(t.name() + "::" + t.language());
    }

    public boolean audienceIs(long id) {
        return audienceId.equals(String.valueOf(id));
    }

    public boolean day(String day) {
        return days.contains(day);
    }

    public boolean isCron() {
        return "cron".equals(mode);
    }

    /** Every template key the form has a value or an attribute for, in a template's order: header, body 1, 2, …, buttons. */
    public List<String> keys() {
        List<String> keys = new ArrayList<>(variables.keySet());
        attributes.keySet().stream().filter(k -> !keys.contains(k)).forEach(keys::add);
        keys.sort(Comparator.comparingInt(SeriesForm::part).thenComparingInt(SeriesForm::index).thenComparing(k -> k));
        return keys;
    }

    private static int part(String key) {
        return key.startsWith("header.") ? 0 : key.startsWith("body.") ? 1 : key.startsWith("button.") ? 2 : 3;
    }

    private static int index(String key) {
        String last = key.substring(key.lastIndexOf('.') + 1);
        return last.matches("\\d{1,9}") ? Integer.parseInt(last) : Integer.MAX_VALUE;
    }

    private static void number(Map<String, String> found, String field, String value, String message) {
        if (!value.isEmpty() && integer(value) == null) {
            found.put(field, message);
        }
    }

    private static Integer integer(String value) {
        try {
            return value == null || value.isBlank() ? null : Integer.valueOf(value.strip());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }

    private static String text(MultivaluedMap<String, String> f, String key) {
        String value = f.getFirst(key);
        return value == null ? "" : value.strip();
    }
}
