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
        boolean resend) {

    public static final int SCHEMA_VERSION = 1;

    public SendJob {
        Objects.requireNonNull(eventId, "eventId");
        variables = variables == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(variables));
    }

    public static SendJob of(String jobId, long campaignId, long recipientId, String phoneNumberId, String to,
            String templateName, String templateLanguage, Map<String, String> variables, int attempt,
            Instant notBefore, Instant createdAt) {
        return new SendJob(UUID.randomUUID().toString(), SCHEMA_VERSION, jobId, campaignId, recipientId,
                phoneNumberId, to, templateName, templateLanguage, variables, attempt, notBefore, createdAt, false);
    }

    /** The same job again as a new event: next attempt number, not before {@code notBefore}. */
    public SendJob nextAttempt(Instant notBefore, Instant createdAt) {
        return new SendJob(UUID.randomUUID().toString(), SCHEMA_VERSION, jobId, campaignId, recipientId,
                phoneNumberId, to, templateName, templateLanguage, variables, attempt + 1, notBefore, createdAt, resend);
    }

    /** The same job again as a new event, not before {@code notBefore}. */
    public SendJob notBefore(Instant notBefore, Instant createdAt) {
        return new SendJob(eventId, SCHEMA_VERSION, jobId, campaignId, recipientId, phoneNumberId, to, templateName,
                templateLanguage, variables, attempt, notBefore, createdAt, resend);
    }

    /** This job as the one re-send of an attempt that ended unknown (see {@code resend}). */
    public SendJob asResend(Instant createdAt) {
        return new SendJob(UUID.randomUUID().toString(), SCHEMA_VERSION, jobId, campaignId, recipientId,
                phoneNumberId, to, templateName, templateLanguage, variables, attempt, null, createdAt, true);
    }
}
