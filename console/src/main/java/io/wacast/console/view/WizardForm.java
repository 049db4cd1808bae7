package io.wacast.console.view;

import java.time.DateTimeException;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.ws.rs.core.MultivaluedMap;

import io.wacast.console.client.CampaignApi.Campaign;
import io.wacast.console.client.CampaignApi.CampaignSpec;
import io.wacast.console.client.CampaignApi.SendWindow;
import io.wacast.console.client.CampaignApi.Template;

/**
 * What the wizard's first step holds: as typed (so a refused submit shows it again), and as the
 * campaign spec the API takes. Template variables arrive as fields named {@code var.<key>}.
 */
public record WizardForm(String name, String description, String phoneNumberId, String template,
        Map<String, String> variables) {

    private static final String VAR = "var.";
    private static final String SEP = "::";

    public static WizardForm empty() {
        return new WizardForm("", "", "", "", Map.of());
    }

    public static WizardForm of(Campaign c) {
        return new WizardForm(c.name(), c.description() == null ? "" : c.description(),
                c.phoneNumberId() == null ? "" : c.phoneNumberId(), c.templateName() + SEP + c.templateLanguage(),
                c.templateVariables() == null ? Map.of() : c.templateVariables());
    }

    public static WizardForm from(MultivaluedMap<String, String> fields) {
        Map<String, String> variables = new LinkedHashMap<>();
        fields.forEach((k, v) -> {
            if (k.startsWith(VAR) && v != null && !v.isEmpty() && v.get(0) != null && !v.get(0).isBlank()) {
                variables.put(k.substring(VAR.length()), v.get(0));
            }
        });
        return new WizardForm(trim(fields.getFirst("name")), trim(fields.getFirst("description")),
                trim(fields.getFirst("phoneNumberId")), trim(fields.getFirst("template")), variables);
    }

    /** The spec to create ({@code existing} null) or to replace {@code existing}'s first-step fields. */
    public CampaignSpec spec(Campaign existing) {
        int sep = template.indexOf(SEP);
        String templateName = sep < 0 ? template : template.substring(0, sep);
        String language = sep < 0 ? "" : template.substring(sep + SEP.length());
        return new CampaignSpec(name, description.isEmpty() ? null : description, templateName, language,
                variables.isEmpty() ? null : variables, phoneNumberId.isEmpty() ? null : phoneNumberId,
                existing == null ? null : existing.rateLimit(), existing == null ? null : existing.sendWindow(), null);
    }

    public boolean selected(Template t) {
        return template.equals(t.name() + SEP + t.language());
    }

    public String value(String key) {
        return variables.getOrDefault(key, "");
    }

    public static String optionValue(Template t) {
        return t.name() + SEP + t.language();
    }

    /** The campaign's current spec, to replace it with one field changed. */
    public static CampaignSpec specOf(Campaign c) {
        return new CampaignSpec(c.name(), c.description(), c.templateName(), c.templateLanguage(), c.templateVariables(),
                c.phoneNumberId(), c.rateLimit(), c.sendWindow(), null);
    }

    /** Pasted numbers: one per line, or separated by commas, semicolons or tabs. */
    public static List<String> numbers(String pasted) {
        return Arrays.stream(pasted.split("[\\r\\n,;\\t]+")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    /** An ISO date-time with offset from a link, or null (absent or not a date-time). */
    public static OffsetDateTime parseAt(String at) {
        if (at == null || at.isBlank()) {
            return null;
        }
        try {
            return OffsetDateTime.parse(at.trim());
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static String trim(String s) {
        return s == null ? "" : s.trim();
    }

    /**
     * The third step: start now or at a local date-time in a zone; an optional daily send window; the
     * rate limit in messages per minute. Checked here for what only the form knows (a date in the
     * past, a zone that does not exist); the API checks the rest.
     */
    public record Schedule(String when, String date, String zone, boolean window, String startHour, String endHour,
            String windowZone, String rateLimit, Map<String, String> errors) {

        public static Schedule of(Campaign c, String at, ZoneId operatorZone) {
            OffsetDateTime startAt = parseAt(at);
            SendWindow w = c.sendWindow();
            String zone = operatorZone.getId();
            return new Schedule(startAt == null ? "now" : "later",
                    startAt == null ? "" : startAt.atZoneSameInstant(operatorZone).toLocalDateTime().truncatedTo(ChronoUnit.MINUTES).toString(),
                    zone, w != null, w == null ? "9" : String.valueOf(w.startHour()), w == null ? "21" : String.valueOf(w.endHour()),
                    w == null ? zone : w.timeZone(), String.valueOf(c.rateLimit()), Map.of());
        }

        public static Schedule from(MultivaluedMap<String, String> f) {
            Schedule raw = new Schedule(or(f.getFirst("when"), "now"), or(f.getFirst("date"), ""), or(f.getFirst("zone"), "UTC"),
                    "on".equals(f.getFirst("window")), or(f.getFirst("startHour"), ""), or(f.getFirst("endHour"), ""),
                    or(f.getFirst("windowZone"), "UTC"), or(f.getFirst("rateLimit"), ""), Map.of());
            return new Schedule(raw.when, raw.date, raw.zone, raw.window, raw.startHour, raw.endHour, raw.windowZone,
                    raw.rateLimit, raw.check());
        }

        private Map<String, String> check() {
            Map<String, String> found = new LinkedHashMap<>();
            if ("later".equals(when)) {
                if (zoneOf(zone) == null) {
                    found.put("zone", "not a time zone: use a name like Asia/Kolkata or Europe/Berlin");
                } else if (date.isEmpty()) {
                    found.put("date", "choose the date and time to start");
                } else {
                    try {
                        if (!LocalDateTime.parse(date).atZone(zoneOf(zone)).toInstant().isAfter(java.time.Instant.now())) {
                            found.put("date", "this time has passed: choose a time in the future, or start now");
                        }
                    } catch (DateTimeParseException e) {
                        found.put("date", "not a date and time");
                    }
                }
            }
            if (window) {
                hour(found, "startHour", startHour, 23);
                hour(found, "endHour", endHour, 24);
                if (zoneOf(windowZone) == null) {
                    found.put("windowZone", "not a time zone: use a name like Asia/Kolkata");
                }
            }
            if (!rateLimit.isEmpty()) {
                try {
                    if (Integer.parseInt(rateLimit) <= 0) {
                        found.put("rateLimit", "must be a positive number of messages per minute");
                    }
                } catch (NumberFormatException e) {
                    found.put("rateLimit", "must be a whole number of messages per minute");
                }
            }
            return found;
        }

        private static void hour(Map<String, String> found, String field, String value, int max) {
            try {
                int h = Integer.parseInt(value);
                if (h < 0 || h > max) {
                    found.put(field, "an hour from 0 to " + max);
                }
            } catch (NumberFormatException e) {
                found.put(field, "an hour from 0 to " + max);
            }
        }

        /** The form's own error for a field (API errors come separately), or null. */
        public String error(String field) {
            return errors.get(field);
        }

        public boolean hasErrors() {
            return !errors.isEmpty();
        }

        public String problem() {
            return errors.isEmpty() ? null : "Some fields need a fix: see below.";
        }

        public boolean isLater() {
            return "later".equals(when);
        }

        public OffsetDateTime startAt() {
            if (!isLater() || hasErrors()) {
                return null;
            }
            return LocalDateTime.parse(date).atZone(zoneOf(zone)).toOffsetDateTime();
        }

        public CampaignSpec applyTo(Campaign c) {
            SendWindow w = window ? new SendWindow(Integer.parseInt(startHour), Integer.parseInt(endHour), windowZone) : null;
            Integer rate = rateLimit.isEmpty() ? null : Integer.valueOf(rateLimit);
            return new CampaignSpec(c.name(), c.description(), c.templateName(), c.templateLanguage(), c.templateVariables(),
                    c.phoneNumberId(), rate, w, null);
        }

        private static ZoneId zoneOf(String id) {
            try {
                return ZoneId.of(id);
            } catch (DateTimeException e) {
                return null;
            }
        }

        private static String or(String s, String fallback) {
            return s == null || s.isBlank() ? fallback : s.trim();
        }
    }

    /**
     * How long sending takes at the campaign's rate limit: recipients ÷ rate, and how many daily send
     * windows that spans. The number's own throughput caps the rate limit (the API refuses more).
     */
    public record Estimate(long seconds, long windowDays, int windowHours, int perMinute, OffsetDateTime startAt) {

        public static Estimate of(Campaign c, long recipients, OffsetDateTime startAt) {
            int perMinute = Math.max(1, c.rateLimit());
            long seconds = (long) Math.ceil(recipients * 60.0 / perMinute);
            SendWindow w = c.sendWindow();
            int hours = w == null ? 24 : Math.max(0, w.endHour() - w.startHour());
            long days = hours <= 0 ? 0 : (long) Math.ceil(seconds / (hours * 3600.0));
            return new Estimate(seconds, w == null ? 0 : Math.max(1, days), hours, perMinute, startAt);
        }

        public boolean hasWindow() {
            return windowDays > 0;
        }

        public boolean spansDays() {
            return windowDays > 1;
        }
    }
}
