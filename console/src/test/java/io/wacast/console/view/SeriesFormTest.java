package io.wacast.console.view;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;

import jakarta.ws.rs.core.MultivaluedHashMap;

import org.junit.jupiter.api.Test;

import io.wacast.common.problem.Problem;
import io.wacast.console.client.AudienceApi.SeriesRequest;
import io.wacast.console.client.UpstreamException;

class SeriesFormTest {

    private static MultivaluedHashMap<String, String> weekly() {
        MultivaluedHashMap<String, String> fields = new MultivaluedHashMap<>();
        fields.putSingle("name", " Weekly Goa ");
        fields.putSingle("audienceId", "12");
        fields.putSingle("template", "tour_package_marketing::en_US");
        fields.putSingle("var.body.1", "Goa");
        fields.putSingle("var.body.2", " ");
        fields.putSingle("attr.body.1", "city");
        fields.putSingle("mode", "weekly");
        fields.put("days", List.of("monday", "thursday"));
        fields.putSingle("times", "10:00, 18:30");
        fields.putSingle("cron", "0 9 * * *");
        fields.putSingle("timeZone", "Asia/Kolkata");
        fields.putSingle("startsAt", "2031-03-01T09:30");
        fields.putSingle("maxOccurrences", "3");
        fields.putSingle("minIntervalHours", "48");
        return fields;
    }

    @Test
    void a_weekly_schedule_becomes_days_and_times_read_in_the_chosen_zone() {
        SeriesForm form = SeriesForm.from(weekly());
        assertThat(form.problems()).isEmpty();
        SeriesRequest request = form.request();
        assertThat(request.name()).isEqualTo("Weekly Goa");
        assertThat(request.audienceId()).isEqualTo(12L);
        assertThat(request.templateName()).isEqualTo("tour_package_marketing");
        assertThat(request.templateLanguage()).isEqualTo("en_US");
        assertThat(request.templateVariables()).containsExactly(Map.entry("body.1", "Goa"));
        assertThat(request.variables()).containsExactly(Map.entry("body.1", "city"));
        assertThat(request.schedule().cron()).as("the cron rule typed before switching is not sent").isNull();
        assertThat(request.schedule().days()).containsExactly("monday", "thursday");
        assertThat(request.schedule().times()).containsExactly("10:00", "18:30");
        assertThat(request.startsAt()).isEqualTo(OffsetDateTime.parse("2031-03-01T09:30+05:30"));
        assertThat(request.endsOn()).isNull();
        assertThat(request.maxOccurrences()).isEqualTo(3);
        assertThat(request.minIntervalHours()).isEqualTo(48);
        assertThat(request.rateLimit()).isNull();
    }

    @Test
    void variables_come_back_in_the_templates_order_whatever_order_the_form_posted_them() {
        MultivaluedHashMap<String, String> fields = weekly();
        fields.putSingle("var.button.url.0", "goa");
        fields.putSingle("var.body.10", "x");
        fields.putSingle("attr.header.image", "photo");
        assertThat(SeriesForm.from(fields).keys()).containsExactly("header.image", "body.1", "body.10", "button.url.0");
    }

    @Test
    void a_cron_schedule_sends_only_the_rule() {
        MultivaluedHashMap<String, String> fields = weekly();
        fields.putSingle("mode", "cron");
        SeriesRequest request = SeriesForm.from(fields).request();
        assertThat(request.schedule().cron()).isEqualTo("0 9 * * *");
        assertThat(request.schedule().days()).isNull();
        assertThat(request.schedule().times()).isNull();
    }

    @Test
    void the_form_names_what_is_not_a_number_or_not_chosen_before_asking_the_api() {
        MultivaluedHashMap<String, String> fields = weekly();
        fields.putSingle("audienceId", "");
        fields.putSingle("template", "");
        fields.putSingle("maxOccurrences", "three");
        fields.putSingle("startsAt", "tomorrow");
        assertThat(SeriesForm.from(fields).problems()).containsOnlyKeys("audienceId", "template", "maxOccurrences", "startsAt");
    }

    @Test
    void the_apis_field_errors_land_on_the_field_they_were_typed_in() {
        assertThat(SeriesForm.fieldOf("schedule.times[1]")).isEqualTo("times");
        assertThat(SeriesForm.fieldOf("schedule.days[0]")).isEqualTo("days");
        assertThat(SeriesForm.fieldOf("schedule.cron")).isEqualTo("cron");
        assertThat(SeriesForm.fieldOf("schedule")).isEqualTo("schedule");
        assertThat(SeriesForm.fieldOf("templateName")).isEqualTo("template");
        assertThat(SeriesForm.fieldOf("variables.body.1")).isEqualTo("variables");
        assertThat(SeriesForm.fieldOf("somethingElse")).isNull();
        UpstreamException refusal = new UpstreamException(400, Problem.of("invalid", "Invalid request", 400, "2 fields are invalid",
                null, List.of(new Problem.FieldError("schedule.times[1]", null, "not a time like 10:00", "25:00"),
                        Problem.FieldError.of("timeZone", "unknown time zone"))));
        SeriesForm shown = SeriesForm.from(weekly()).withErrors(refusal);
        assertThat(shown.error("times")).isEqualTo("not a time like 10:00 (25:00)");
        assertThat(shown.error("timeZone")).isEqualTo("unknown time zone");
        assertThat(shown.name()).as("what was typed is kept").isEqualTo("Weekly Goa");
        assertThat(SeriesForm.placesAll(refusal)).isTrue();
    }

    private static io.wacast.console.client.AudienceApi.Series stored(String cron, java.time.Instant startsAt) {
        return new io.wacast.console.client.AudienceApi.Series(7, "Weekly Goa", null, 12, "tour_package_marketing", "en_US",
                Map.of("body.1", "Goa"), Map.of("body.1", "city"), "106540352242922", null, cron, "Asia/Kolkata", startsAt,
                java.time.LocalDate.parse("2031-06-30"), 20, 48, "active", null, 3, List.of(), java.time.Instant.EPOCH,
                java.time.Instant.EPOCH);
    }

    @Test
    void an_edited_series_fills_the_form_with_its_days_and_times_when_its_rule_is_one() {
        java.time.Instant now = java.time.Instant.parse("2031-01-01T00:00:00Z");
        SeriesForm form = SeriesForm.editing(stored("0 10,18 * * SUN,MON,THU", java.time.Instant.parse("2030-12-01T04:30:00Z")), now);
        assertThat(form.name()).as("its own name, not a copy's").isEqualTo("Weekly Goa");
        assertThat(form.isCron()).isFalse();
        assertThat(form.days()).containsExactly("monday", "thursday", "sunday");
        assertThat(form.times()).isEqualTo("10:00, 18:00");
        assertThat(form.startsAt()).as("a start in the past is left empty: the API keeps it").isEmpty();
        assertThat(form.endsOn()).isEqualTo("2031-06-30");
        assertThat(form.maxOccurrences()).isEqualTo("20");
        assertThat(form.minIntervalHours()).isEqualTo("48");
        assertThat(form.attributes()).containsExactly(Map.entry("body.1", "city"));
        SeriesRequest request = form.request();
        assertThat(request.schedule().days()).containsExactly("monday", "thursday", "sunday");
        assertThat(request.schedule().times()).containsExactly("10:00", "18:00");
        assertThat(request.startsAt()).isNull();

        SeriesForm ahead = SeriesForm.editing(stored("30 9,17 * * fri", java.time.Instant.parse("2031-03-01T04:00:00Z")), now);
        assertThat(ahead.startsAt()).as("a start still ahead, in the series' zone").isEqualTo("2031-03-01T09:30");
        assertThat(ahead.times()).isEqualTo("09:30, 17:30");
        assertThat(ahead.days()).containsExactly("friday");
    }

    @Test
    void a_rule_the_days_and_times_cannot_say_is_edited_as_cron() {
        java.time.Instant now = java.time.Instant.parse("2031-01-01T00:00:00Z");
        for (String cron : List.of("0 10 1 * *", "0 10 * * *", "0,30 9,17 * * MON", "*/15 9 * * MON", "0 10 * * 1,4")) {
            SeriesForm form = SeriesForm.editing(stored(cron, now), now);
            assertThat(form.isCron()).as(cron).isTrue();
            assertThat(form.cron()).isEqualTo(cron);
            assertThat(form.request().schedule().cron()).isEqualTo(cron);
        }
    }
}
