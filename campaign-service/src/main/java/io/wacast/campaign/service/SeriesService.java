package io.wacast.campaign.service;

import java.time.DateTimeException;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;

import org.jboss.logging.Logger;

import io.wacast.campaign.config.CampaignConfig;
import io.wacast.campaign.config.SeriesConfig;
import io.wacast.campaign.domain.Template;
import io.wacast.campaign.domain.TemplateVariables;
import io.wacast.campaign.repository.AudienceRepository;
import io.wacast.campaign.repository.SeriesRepository;
import io.wacast.campaign.repository.SeriesRepository.Series;
import io.wacast.common.problem.Problem.FieldError;
import io.wacast.common.text.FreeText;
import io.wacast.common.text.SingleLine;

/** Recurring campaigns: create a series, edit it, list it with its occurrences, pause, resume and end it. */
@ApplicationScoped
public class SeriesService {

    private static final Logger LOG = Logger.getLogger(SeriesService.class);

    public static final String ACTIVE = "active";
    public static final String PAUSED = "paused";
    public static final String ENDED = "ended";

    /**
     * When the series repeats: either {@code cron} (five fields) or {@code days} + {@code times}
     * ("every Monday and Thursday at 10:00": {@code {"days": ["monday", "thursday"], "times": ["10:00"]}}).
     */
    public record ScheduleSpec(@Size(max = 200) String cron, @Size(max = 7) List<String> days, @Size(max = 24) List<String> times) {
    }

    /**
     * @param timeZone the IANA zone the rule is read in ({@code Europe/Berlin})
     * @param startsAt no occurrence before this instant (default: now)
     * @param endsOn no occurrence after this local date (inclusive)
     * @param maxOccurrences no more occurrences than this
     * @param minIntervalHours an occurrence leaves out contacts an earlier occurrence messaged less than this ago
     */
    public record SeriesSpec(@NotBlank @Size(max = 200) @SingleLine String name, @Size(max = 2000) @FreeText String description,
            @NotNull Long audienceId,
            @NotBlank @Size(max = 512) @SingleLine String templateName,
            @NotBlank @Pattern(regexp = TemplateService.LANGUAGE, message = TemplateService.LANGUAGE_RULE) String templateLanguage,
            @Size(max = CampaignSpec.MAX_VARIABLES) Map<@NotBlank @Size(max = 64) @SingleLine String,
                    @NotNull @Size(max = CampaignSpec.MAX_VARIABLE_LENGTH) @FreeText String> templateVariables,
            @Size(max = CampaignSpec.MAX_VARIABLES) Map<@NotBlank @Size(max = 64) @SingleLine String, @NotNull String> variables,
            @Size(max = 32) @Pattern(regexp = "\\d+", message = "must be a Meta phone-number id (digits)") String phoneNumberId,
            @Positive Integer rateLimit,
            @NotNull @Valid ScheduleSpec schedule,
            @NotBlank @Size(max = 64) String timeZone,
            OffsetDateTime startsAt,
            @Size(max = 10) String endsOn,
            @Min(1) @Max(10000) Integer maxOccurrences,
            @Min(0) @Max(8784) Integer minIntervalHours) {
    }

    public record SeriesPage(List<Series> items, int page, int size, long total) {
    }

    private final SeriesRepository repository;
    private final AudienceRepository audiences;
    private final TemplateService templates;
    private final CampaignConfig config;
    private final SeriesConfig seriesConfig;

    SeriesService(SeriesRepository repository, AudienceRepository audiences, TemplateService templates, CampaignConfig config,
            SeriesConfig seriesConfig) {
        this.repository = repository;
        this.audiences = audiences;
        this.templates = templates;
        this.config = config;
        this.seriesConfig = seriesConfig;
    }

    /** Creates an active series; 400 naming the field for a bad rule, zone, end; 422 for an unknown audience or template. */
    @Transactional
    public Series create(SeriesSpec spec) {
        Instant now = Instant.now();
        Series s = settings(spec, null, now);
        long id = repository.create(s, now);
        LOG.infof("series %d '%s' created: '%s' in %s, first occurrence %s", id, s.name(), s.schedule(), s.timeZone(),
                s.nextOccurrenceAt());
        return get(id);
    }

    /**
     * Replaces the editable settings of a series that has not ended (docs/DESIGN.md D30): the same checks
     * and answers as {@link #create}; 404 for an unknown series, 409 for an ended one. Its status and the
     * occurrences it has had stay (an end by count goes on counting them). The next occurrence is computed
     * anew from the new rule and zone; one whose time has already come, that no starter has claimed yet,
     * stays due and starts once, with the new settings. The series' row is locked as the starter locks it,
     * so an occurrence being started keeps the settings it started with and the edit sees it counted.
     */
    @Transactional
    public Series update(long id, SeriesSpec spec) {
        Instant now = Instant.now();
        Series current = repository.lock(id).orElseThrow(() -> ProblemException.notFound("series", id));
        if (ENDED.equals(current.status())) {
            throw new ProblemException(409, "conflict", "Conflict with the current state", "series " + id
                    + " has ended and cannot be edited; create a new series like it instead",
                    List.of(new FieldError("status", null, "current status", ENDED)));
        }
        Series edited = settings(spec, current, now);
        if (!repository.replace(edited, now)) {
            throw new IllegalStateException("series " + id + " ended under its lock");
        }
        LOG.infof("series %d edited: '%s' in %s, next occurrence %s (%d occurrences so far)", id, edited.schedule(),
                edited.timeZone(), edited.nextOccurrenceAt(), current.occurrences());
        return get(id);
    }

    /**
     * The series a spec describes, checked: a new one ({@code current} null) or {@code current} edited.
     * 400 naming every bad field (rule, zone, dates, an end already reached); then 422 for an unknown
     * audience or a template that cannot be sent; then the variables and the rate. Writes nothing.
     */
    private Series settings(SeriesSpec spec, Series current, Instant now) {
        List<FieldError> errors = new ArrayList<>();
        ZoneId zone = null;
        try {
            zone = ZoneId.of(spec.timeZone().strip());
        } catch (DateTimeException e) {
            errors.add(new FieldError("timeZone", null, "unknown time zone; use an IANA id such as Europe/Berlin", spec.timeZone()));
        }
        SeriesRule rule = rule(spec.schedule(), errors);
        LocalDate endsOn = null;
        if (spec.endsOn() != null) {
            try {
                endsOn = LocalDate.parse(spec.endsOn());
            } catch (DateTimeParseException e) {
                errors.add(new FieldError("endsOn", null, "not a date like 2027-06-30", spec.endsOn()));
            }
        }
        // an edit without startsAt keeps the series' start; a new series without one starts now
        Instant startsAt = spec.startsAt() != null ? spec.startsAt().toInstant() : current != null ? current.startsAt() : now;
        if (startsAt.isAfter(now.plus(CampaignSpec.MAX_SCHEDULE_AHEAD))) {
            errors.add(FieldError.of("startsAt", "must be at most " + CampaignSpec.MAX_SCHEDULE_AHEAD.toDays() + " days ahead"));
        }
        int made = current == null ? 0 : current.occurrences();
        if (spec.maxOccurrences() != null && spec.maxOccurrences() <= made) {
            errors.add(new FieldError("maxOccurrences", null, "the series has already had " + made + " occurrence"
                    + (made == 1 ? "" : "s") + ": give more, or end the series", String.valueOf(spec.maxOccurrences())));
        }
        Map<String, String> defaults = spec.templateVariables() == null ? new LinkedHashMap<>() : new LinkedHashMap<>(spec.templateVariables());
        Map<String, String> variableMap = spec.variables() == null ? new LinkedHashMap<>() : new LinkedHashMap<>(spec.variables());
        Instant next = null;
        if (zone != null && rule != null) {
            next = next(current, rule, zone, startsAt, now);
            if (next == null) {
                errors.add(new FieldError("schedule.cron", null, "the rule never fires (no occurrence within "
                        + SeriesRule.SEARCH_YEARS + " years)", rule.expression()));
            } else if (endsOn != null && next.atZone(zone).toLocalDate().isAfter(endsOn)) {
                errors.add(new FieldError("endsOn", null, "the " + (current == null ? "first" : "next") + " occurrence ("
                        + next.atZone(zone).toLocalDateTime() + ") is after endsOn: the series would never run"
                        + (current == null ? "" : " again"), spec.endsOn()));
            }
        }
        if (!errors.isEmpty()) {
            throw ProblemException.invalid(errors.size() == 1 ? errors.get(0).field() + ": " + errors.get(0).message()
                    : errors.size() + " fields are invalid", errors);
        }
        if (audiences.find(spec.audienceId()).isEmpty()) {
            throw ProblemException.unprocessable("no audience " + spec.audienceId(),
                    List.of(new FieldError("audienceId", null, "no such audience", String.valueOf(spec.audienceId()))));
        }
        Template template = templates.sendable(spec.templateName(), spec.templateLanguage());
        TemplateVariables variables = template.variables();
        List<String> unknown = variables.unknown(defaults);
        variableMap.keySet().stream().filter(key -> !variables.keys().contains(key)).forEach(key -> unknown.add(key));
        if (!unknown.isEmpty()) {
            throw ProblemException.invalidField("templateVariables", "unknown template variables: " + String.join(", ", unknown)
                    + " (the template takes " + (variables.keys().isEmpty() ? "none" : String.join(", ", variables.keys())) + ")");
        }
        for (Map.Entry<String, String> entry : variableMap.entrySet()) {
            String problem = ContactFields.attributeNameProblem(entry.getValue());
            if (problem != null) {
                throw ProblemException.invalidField("variables." + entry.getKey(), problem);
            }
        }
        String phoneNumberId = spec.phoneNumberId() == null ? config.defaultPhoneNumberId() : spec.phoneNumberId();
        int maxPerMinute = config.capPerSecond(phoneNumberId) * 60;
        if (spec.rateLimit() != null && spec.rateLimit() > maxPerMinute) {
            throw ProblemException.invalidField("rateLimit", "at most " + maxPerMinute + " messages per minute");
        }
        int minInterval = spec.minIntervalHours() != null ? spec.minIntervalHours() * 60
                : (int) seriesConfig.minInterval().toMinutes();
        return new Series(current == null ? 0 : current.id(), spec.name().strip(), spec.description(), spec.audienceId(),
                template.name, template.language, defaults, variableMap, phoneNumberId, spec.rateLimit(), rule.expression(),
                zone.getId(), startsAt, endsOn, spec.maxOccurrences(), minInterval, current == null ? ACTIVE : current.status(),
                next, made, current == null ? now : current.createdAt(), now);
    }

    /**
     * The next occurrence of a new or edited series: the rule's first from its start (or now). An active
     * series' occurrence that is already due stays (a starter starts it once, with these settings); an
     * edited series never goes back to or before an occurrence it already had, whatever the clocks say.
     */
    private Instant next(Series current, SeriesRule rule, ZoneId zone, Instant startsAt, Instant now) {
        if (current != null && ACTIVE.equals(current.status()) && current.nextOccurrenceAt() != null
                && !current.nextOccurrenceAt().isAfter(now)) {
            return current.nextOccurrenceAt();
        }
        Instant after = startsAt.isAfter(now) ? startsAt.minusNanos(1000) : now.minusNanos(1000);
        Instant last = current == null ? null : repository.lastOccurrence(current.id());
        if (last != null && !last.isBefore(after)) {
            after = last;
        }
        return rule.next(after, zone).orElse(null);
    }

    /** The rule of a schedule spec, or null with the errors added. */
    static SeriesRule rule(ScheduleSpec schedule, List<FieldError> errors) {
        boolean cron = schedule.cron() != null;
        boolean weekly = schedule.days() != null || schedule.times() != null;
        if (cron == weekly) {
            errors.add(FieldError.of("schedule", "give either cron, or days and times"));
            return null;
        }
        if (cron) {
            try {
                return SeriesRule.cron(schedule.cron());
            } catch (IllegalArgumentException e) {
                errors.add(new FieldError("schedule.cron", null, e.getMessage(), schedule.cron()));
                return null;
            }
        }
        List<DayOfWeek> days = new ArrayList<>();
        List<String> givenDays = schedule.days() == null ? List.of() : schedule.days();
        for (int i = 0; i < givenDays.size(); i++) {
            try {
                days.add(DayOfWeek.valueOf(String.valueOf(givenDays.get(i)).strip().toUpperCase(Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                errors.add(new FieldError("schedule.days[" + i + "]", null, "not a day like monday", givenDays.get(i)));
            }
        }
        List<LocalTime> times = new ArrayList<>();
        List<String> givenTimes = schedule.times() == null ? List.of() : schedule.times();
        for (int i = 0; i < givenTimes.size(); i++) {
            try {
                times.add(LocalTime.parse(String.valueOf(givenTimes.get(i)).strip()));
            } catch (DateTimeParseException e) {
                errors.add(new FieldError("schedule.times[" + i + "]", null, "not a time like 10:00", givenTimes.get(i)));
            }
        }
        if (days.isEmpty() && givenDays.isEmpty()) {
            errors.add(FieldError.of("schedule.days", "at least one day"));
        }
        if (times.isEmpty() && givenTimes.isEmpty()) {
            errors.add(FieldError.of("schedule.times", "at least one time"));
        }
        if (days.isEmpty() || times.isEmpty() || days.size() != givenDays.size() || times.size() != givenTimes.size()) {
            return null;
        }
        try {
            return SeriesRule.weekly(days, times);
        } catch (IllegalArgumentException e) {
            errors.add(FieldError.of("schedule.times", e.getMessage()));
            return null;
        }
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public Series get(long id) {
        return repository.find(id).orElseThrow(() -> ProblemException.notFound("series", id));
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public SeriesPage list(int page, int size) {
        return new SeriesPage(repository.page(page, size), page, size, repository.total());
    }

    /** The next {@code count} occurrences the rule gives from the series' next one (within its end). */
    public List<Instant> upcoming(Series series, int count) {
        List<Instant> upcoming = new ArrayList<>();
        if (series.nextOccurrenceAt() == null || !ACTIVE.equals(series.status()) && !PAUSED.equals(series.status())) {
            return upcoming;
        }
        SeriesRule rule = SeriesRule.cron(series.schedule());
        ZoneId zone = ZoneId.of(series.timeZone());
        Instant next = series.nextOccurrenceAt();
        int made = series.occurrences();
        while (next != null && upcoming.size() < count && within(series, next, made)) {
            upcoming.add(next);
            made++;
            next = rule.next(next, zone).orElse(null);
        }
        return upcoming;
    }

    /** Whether an occurrence at {@code at}, after {@code made} occurrences, is within the series' end. */
    static boolean within(Series series, Instant at, int made) {
        if (series.maxOccurrences() != null && made >= series.maxOccurrences()) {
            return false;
        }
        return series.endsOn() == null || !at.atZone(ZoneId.of(series.timeZone())).toLocalDate().isAfter(series.endsOn());
    }

    @Transactional
    public Series pause(long id) {
        return change(id, List.of(ACTIVE), PAUSED, false, "paused");
    }

    /** Resumes a paused series from now: occurrences that fell due while it was paused are not made up. */
    @Transactional
    public Series resume(long id) {
        return change(id, List.of(PAUSED), ACTIVE, true, "resumed");
    }

    @Transactional
    public Series end(long id) {
        return change(id, List.of(ACTIVE, PAUSED), ENDED, false, "ended");
    }

    private Series change(long id, List<String> from, String to, boolean resume, String verb) {
        // locked as the starter and an edit lock it: a resume computes from the rule an edit just committed
        Series series = repository.lock(id).orElseThrow(() -> ProblemException.notFound("series", id));
        Instant now = Instant.now();
        Instant next = null;
        String target = to;
        if (resume) {
            Instant after = series.startsAt().isAfter(now) ? series.startsAt().minusNanos(1000) : now;
            next = SeriesRule.cron(series.schedule()).next(after, ZoneId.of(series.timeZone())).orElse(null);
            if (next == null || !within(series, next, series.occurrences())) {
                target = ENDED;
                next = null;
            }
        }
        // an ended series has no next occurrence (a resume computes one; a pause keeps it to show)
        boolean setNext = resume || ENDED.equals(to);
        if (!repository.transition(id, from, target, next, setNext, now)) {
            Series current = get(id);
            ProblemException conflict = ProblemException.conflict("series " + id + " is " + current.status() + "; it can be "
                    + verb + " only while " + String.join(" or ", from));
            throw new ProblemException(conflict.status(), conflict.slug(), conflict.title(), conflict.getMessage(),
                    List.of(new FieldError("status", null, "current status", current.status())));
        }
        LOG.infof("series %d %s", id, target.equals(ENDED) && resume ? "ended: no occurrence left" : verb);
        return get(id);
    }

    /** For the console and the API: the occurrences, newest first. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public List<SeriesRepository.Occurrence> occurrences(long id, int page, int size) {
        get(id);
        return repository.occurrences(id, page, size);
    }

    public long occurrenceCount(long id) {
        return repository.occurrenceCount(id);
    }

    Optional<Series> find(long id) {
        return repository.find(id);
    }
}
