package io.wacast.common.event;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * One template message to one recipient, published by the campaign service to
 * {@code wacast.send-jobs} (keyed by {@code to}). {@code jobId} is stable across attempts and goes to
 * Meta as {@code biz_opaque_callback_data}, so webhooks find their way back to the job.
 *
 * @param to the recipient in E.164
 * @param variables template parameters by name, in the order they were given
 * @param attempt 1 for the first attempt
 * @param notBefore earliest time to send, set on retries; null means now
 * @param resend true for the one re-send of a message whose attempt ended {@code unknown} and that no
 *     webhook settled (the campaign service's safety net): the sender's ledger lets it replace that
 *     unknown attempt once, and only once; false (or absent, as from older producers) otherwise
 * @param templateCategory the template's latest category as the campaign service knew it at dispatch
 *     ({@code marketing}, {@code utility}, {@code authentication}); it decides the endpoint: a marketing
 *     template goes to Meta's Marketing Messages API ({@code /marketing_messages}), every other one to
 *     {@code /messages} (docs/DESIGN.md §5). Absent (schema version 1 producers): {@code /messages}
 * @param viaMessages true for an attempt of a marketing template that goes to {@code /messages} because
 *     the Marketing Messages API refused the previous attempt (terms not accepted, not a marketing
 *     template for Meta); false (or absent) otherwise
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record SendJob(
        String eventId,
        int schemaVersion,
        String jobId,
        long campaignId,
        long recipientId,
        String phoneNumberId,
        String to,
        String templateName,
        String templateLanguage,
        Map<String, String> variables,
        int attempt,
        Instant notBefore,
        Instant createdAt,
        boolean resend,
        String templateCategory,
        boolean viaMessages) {

    /** 2: {@code templateCategory} and {@code viaMessages}; a version 1 job reads with neither (null, false). */
    public static final int SCHEMA_VERSION = 2;
    /** The {@link #templateCategory} routed to the Marketing Messages API. */
    public static final String MARKETING = "marketing";

    public SendJob {
        Objects.requireNonNull(eventId, "eventId");
        variables = variables == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(variables));
    }

    /** A job whose template's category is not known (it goes to {@code /messages}). */
    public static SendJob of(String jobId, long campaignId, long recipientId, String phoneNumberId, String to,
            String templateName, String templateLanguage, Map<String, String> variables, int attempt,
            Instant notBefore, Instant createdAt) {
        return of(jobId, campaignId, recipientId, phoneNumberId, to, templateName, templateLanguage, variables, attempt,
                notBefore, createdAt, null);
    }

    public static SendJob of(String jobId, long campaignId, long recipientId, String phoneNumberId, String to,
            String templateName, String templateLanguage, Map<String, String> variables, int attempt,
            Instant notBefore, Instant createdAt, String templateCategory) {
        return new SendJob(UUID.randomUUID().toString(), SCHEMA_VERSION, jobId, campaignId, recipientId,
                phoneNumberId, to, templateName, templateLanguage, variables, attempt, notBefore, createdAt, false,
                templateCategory, false);
    }

    /** Whether the template was a marketing one at dispatch (case-insensitive, as Meta writes it upper case). */
    public boolean marketing() {
        return MARKETING.equalsIgnoreCase(templateCategory);
    }

    /** This job for {@code /messages} although its template is a marketing one (see {@code viaMessages}). */
    public SendJob viaMessagesApi() {
        return new SendJob(eventId, SCHEMA_VERSION, jobId, campaignId, recipientId, phoneNumberId, to, templateName,
                templateLanguage, variables, attempt, notBefore, createdAt, resend, templateCategory, true);
    }

    /** The same job again as a new event: next attempt number, not before {@code notBefore}. */
    public SendJob nextAttempt(Instant notBefore, Instant createdAt) {
        return new SendJob(UUID.randomUUID().toString(), SCHEMA_VERSION, jobId, campaignId, recipientId,
                phoneNumberId, to, templateName, templateLanguage, variables, attempt + 1, notBefore, createdAt, resend,
                templateCategory, viaMessages);
    }

    /** The same job again as a new event, not before {@code notBefore}. */
    public SendJob notBefore(Instant notBefore, Instant createdAt) {
        return new SendJob(eventId, SCHEMA_VERSION, jobId, campaignId, recipientId, phoneNumberId, to, templateName,
                templateLanguage, variables, attempt, notBefore, createdAt, resend, templateCategory, viaMessages);
    }

    /** This job as the one re-send of an attempt that ended unknown (see {@code resend}). */
    public SendJob asResend(Instant createdAt) {
        return new SendJob(UUID.randomUUID().toString(), SCHEMA_VERSION, jobId, campaignId, recipientId,
                phoneNumberId, to, templateName, templateLanguage, variables, attempt, null, createdAt, true,
                templateCategory, false);
    }
}
