package io.wacast.common.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SendJobTest {

    private static final Instant AT = Instant.parse("2025-06-01T10:15:30Z");

    @Test
    void nextAttemptIsANewEventForTheSameJob() {
        SendJob first = job(Map.of("1", "Bali"));

        SendJob second = first.nextAttempt(AT.plusSeconds(12), AT.plusSeconds(1));

        assertThat(second.eventId()).isNotEqualTo(first.eventId());
        assertThat(second.jobId()).isEqualTo(first.jobId());
        assertThat(second.attempt()).isEqualTo(2);
        assertThat(second.notBefore()).isEqualTo(AT.plusSeconds(12));
        assertThat(second.createdAt()).isEqualTo(AT.plusSeconds(1));
        assertThat(second.variables()).isEqualTo(first.variables());
        assertThat(second.schemaVersion()).isEqualTo(SendJob.SCHEMA_VERSION);
    }

    @Test
    void retriesAndReSendsKeepTheCategoryAndOnlyTheNextAttemptsKeepTheRoute() {
        SendJob first = SendJob.of("job-1", 42, 7, "106540352242922", "+919978783238", "promo", "en_US", Map.of(), 1,
                null, AT, "marketing");
        assertThat(first.marketing()).isTrue();
        assertThat(first.viaMessages()).isFalse();

        SendJob fallback = first.nextAttempt(AT, AT).viaMessagesApi();
        assertThat(fallback.viaMessages()).isTrue();
        assertThat(fallback.templateCategory()).isEqualTo("marketing");
        assertThat(fallback.nextAttempt(AT, AT).viaMessages()).isTrue();
        assertThat(fallback.notBefore(AT, AT).viaMessages()).isTrue();
        assertThat(fallback.asResend(AT).viaMessages()).as("a re-send is routed afresh").isFalse();
        assertThat(fallback.asResend(AT).templateCategory()).isEqualTo("marketing");
        assertThat(SendJob.of("job-1", 42, 7, "1", "+919978783238", "t", "en", Map.of(), 1, null, AT, "UTILITY")
                .marketing()).isFalse();
    }

    @Test
    void variablesKeepTheirOrderAndCannotBeChanged() {
        Map<String, String> variables = new LinkedHashMap<>();
        variables.put("3", "c");
        variables.put("1", "a");
        variables.put("2", "b");

        SendJob job = job(variables);
        variables.put("4", "d");

        assertThat(job.variables().keySet()).containsExactly("3", "1", "2");
        assertThatThrownBy(() -> job.variables().put("5", "e")).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void missingVariablesAreEmpty() {
        assertThat(job(null).variables()).isEmpty();
    }

    @Test
    void aNullVariableValueIsKept() {
        Map<String, String> variables = new HashMap<>();
        variables.put("1", null);

        assertThat(job(variables).variables()).containsEntry("1", null);
    }

    private static SendJob job(Map<String, String> variables) {
        return SendJob.of("job-1", 42, 7, "106540352242922", "+919978783238", "tour_package_marketing", "en_US",
                variables, 1, null, AT);
    }
}
