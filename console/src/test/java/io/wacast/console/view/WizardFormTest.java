package io.wacast.console.view;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import jakarta.ws.rs.core.MultivaluedHashMap;

import org.junit.jupiter.api.Test;

import io.wacast.console.client.CampaignApi.Campaign;
import io.wacast.console.client.CampaignApi.CampaignSpec;
import io.wacast.console.client.CampaignApi.SendWindow;

class WizardFormTest {

    static Campaign draft(SendWindow window, int rateLimit) {
        return new Campaign(7, "Diwali", null, "draft", null, "offer", "en", Map.of("body.1", "20"), null, rateLimit, window,
                null, Instant.now(), Instant.now(), null, null, 0, null);
    }

    @Test
    void the_first_step_keeps_only_filled_variables_and_splits_the_template_choice() {
        MultivaluedHashMap<String, String> fields = new MultivaluedHashMap<>();
        fields.putSingle("name", "  Diwali week ");
        fields.putSingle("template", "tour_package_marketing::en_US");
        fields.putSingle("var.body.1", "Bali");
        fields.putSingle("var.body.2", " ");
        fields.putSingle("phoneNumberId", "");
        CampaignSpec spec = WizardForm.from(fields).spec(draft(new SendWindow(9, 21, "Asia/Kolkata"), 600));
        assertThat(spec.name()).isEqualTo("Diwali week");
        assertThat(spec.templateName()).isEqualTo("tour_package_marketing");
        assertThat(spec.templateLanguage()).isEqualTo("en_US");
        assertThat(spec.templateVariables()).containsExactly(Map.entry("body.1", "Bali"));
        assertThat(spec.phoneNumberId()).isNull();
        assertThat(spec.rateLimit()).as("later steps' settings survive going back").isEqualTo(600);
        assertThat(spec.sendWindow()).isEqualTo(new SendWindow(9, 21, "Asia/Kolkata"));
        assertThat(spec.scheduledFor()).as("only the confirmation schedules").isNull();
    }

    @Test
    void pasted_numbers_split_on_lines_commas_and_tabs() {
        assertThat(WizardForm.numbers("+911\r\n+912, +913;\t+914\n\n")).containsExactly("+911", "+912", "+913", "+914");
        assertThat(WizardForm.numbers("  \n ")).isEmpty();
    }

    @Test
    void the_schedule_step_names_each_wrong_field() {
        MultivaluedHashMap<String, String> f = new MultivaluedHashMap<>();
        f.putSingle("when", "later");
        f.putSingle("date", "2020-01-01T10:00");
        f.putSingle("zone", "Asia/Kolkata");
        f.putSingle("window", "on");
        f.putSingle("startHour", "9");
        f.putSingle("endHour", "25");
        f.putSingle("windowZone", "Mars/Base");
        f.putSingle("rateLimit", "-3");
        WizardForm.Schedule s = WizardForm.Schedule.from(f);
        assertThat(s.errors()).containsOnlyKeys("date", "endHour", "windowZone", "rateLimit");
        assertThat(s.startAt()).isNull();
    }

    @Test
    void a_future_start_becomes_an_instant_in_the_chosen_zone() {
        MultivaluedHashMap<String, String> f = new MultivaluedHashMap<>();
        f.putSingle("when", "later");
        f.putSingle("date", "2099-01-31T09:00");
        f.putSingle("zone", "Asia/Kolkata");
        WizardForm.Schedule s = WizardForm.Schedule.from(f);
        assertThat(s.errors()).isEmpty();
        assertThat(s.startAt().toInstant()).isEqualTo(Instant.parse("2099-01-31T03:30:00Z"));
        assertThat(s.applyTo(draft(null, 600)).sendWindow()).isNull();
    }

    @Test
    void the_estimate_counts_daily_windows() {
        WizardForm.Estimate anyTime = WizardForm.Estimate.of(draft(null, 600), 60_000, null);
        assertThat(anyTime.seconds()).isEqualTo(6_000);
        assertThat(anyTime.hasWindow()).isFalse();
        WizardForm.Estimate twoHoursADay = WizardForm.Estimate.of(draft(new SendWindow(10, 12, "UTC"), 60), 10_000, null);
        assertThat(twoHoursADay.seconds()).isEqualTo(10_000);
        assertThat(twoHoursADay.windowDays()).isEqualTo(2);
        assertThat(twoHoursADay.spansDays()).isTrue();
    }

    @Test
    void wire_names_read_as_words_and_numbers_get_separators() {
        assertThat(Formats.label("opted_out")).isEqualTo("Opted out");
        assertThat(Formats.fmt(1234567L)).isEqualTo("1,234,567");
        assertThat(Formats.pct(96.8412)).isEqualTo("96.84%");
        assertThat(Formats.share(1, 3)).isEqualTo("33.3");
        assertThat(Formats.share(5, 0)).isEqualTo("0");
        assertThat(Formats.duration(3725L)).isEqualTo("1 h 2 min");
        assertThat(List.of(Formats.duration(59L), Formats.duration(null))).containsExactly("59 s", "—");
        assertThat(List.of(Formats.perSecond(12.25), Formats.perSecond(1 / 60.0), Formats.perSecond(0.025), Formats.perSecond(null)))
                .containsExactly("12.3/s", "1 per minute", "1.5 per minute", "—");
        assertThat(Formats.money(new java.math.BigDecimal("0.0800"), "USD")).isEqualTo("USD 0.08");
        assertThat(Formats.money(new java.math.BigDecimal("0.78460"), "INR")).isEqualTo("INR 0.7846");
    }
}
