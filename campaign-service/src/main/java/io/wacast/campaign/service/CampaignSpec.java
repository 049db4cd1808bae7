package io.wacast.campaign.service;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import io.wacast.common.text.FreeText;
import io.wacast.common.text.SingleLine;

/**
 * A campaign as an operator describes it, for creation (POST) and replacement (PUT).
 *
 * @param templateVariables default values by SendJob key ({@code body.1}, {@code header.image}, …)
 * @param rateLimit messages per minute; default and maximum: the number's cap × 60
 * @param scheduledFor when set, the campaign is {@code scheduled} and starts by itself at that time (at
 *     most {@link #MAX_SCHEDULE_AHEAD} ahead)
 * @param recipients optional on creation; larger lists go to {@code /campaigns/{id}/recipients}
 * @param audienceId a saved audience to target (instead of, or in addition to, recipients): its contacts
 *     become recipients when the campaign starts, as with {@code PUT /campaigns/{id}/audience}; on
 *     replacement (PUT) absent keeps the campaign's audience as it is
 * @param audienceVariables template key → contact attribute name for the audience's contacts
 *     ({@code {"body.1": "first_name"}}); a key not named reads the attribute of its own name
 */
public record CampaignSpec(
        @NotBlank @Size(max = 200) @SingleLine String name,
        @Size(max = 2000) @FreeText String description,
        @NotBlank @Size(max = 512) @SingleLine String templateName,
        @NotBlank @Pattern(regexp = TemplateService.LANGUAGE, message = TemplateService.LANGUAGE_RULE) String templateLanguage,
        @Size(max = MAX_VARIABLES) Map<@NotBlank @Size(max = 64) @SingleLine String,
                @NotNull @Size(max = MAX_VARIABLE_LENGTH) @FreeText String> templateVariables,
        @Size(max = 32) @Pattern(regexp = "\\d+", message = "must be a Meta phone-number id (digits)") String phoneNumberId,
        @Positive Integer rateLimit,
        @Valid SendWindowSpec sendWindow,
        @Schema(example = "2030-01-31T09:00:00+05:30") OffsetDateTime scheduledFor,
        List<@NotNull @Valid RecipientSpec> recipients,
        @Positive Long audienceId,
        @Size(max = MAX_VARIABLES) Map<@NotBlank @Size(max = 64) @SingleLine String, @NotNull String> audienceVariables) {

    /** A campaign without an audience (follow-ups, series occurrences: they target one themselves if at all). */
    public CampaignSpec(String name, String description, String templateName, String templateLanguage,
            Map<String, String> templateVariables, String phoneNumberId, Integer rateLimit, SendWindowSpec sendWindow,
            OffsetDateTime scheduledFor, List<RecipientSpec> recipients) {
        this(name, description, templateName, templateLanguage, templateVariables, phoneNumberId, rateLimit, sendWindow,
                scheduledFor, recipients, null, null);
    }

    /** The hours messages may go out, from startHour (inclusive) to endHour (exclusive) in timeZone. */
    public record SendWindowSpec(
            @NotNull @Min(0) @Max(23) Integer startHour,
            @NotNull @Min(0) @Max(24) Integer endHour,
            @NotBlank @Schema(example = "Asia/Kolkata") String timeZone) {
    }

    /** How far ahead a campaign may be scheduled. */
    public static final java.time.Duration MAX_SCHEDULE_AHEAD = java.time.Duration.ofDays(366);

    /** The most variables a campaign or a recipient may name. */
    public static final int MAX_VARIABLES = 100;
    /** The longest variable value (a body parameter, a link): Meta's template body is at most 1,024 characters. */
    public static final int MAX_VARIABLE_LENGTH = 1024;

    /** @param variables this recipient's own values, over the campaign defaults */
    public record RecipientSpec(@Size(max = 32) String phoneNumber, @Size(max = 200) @SingleLine String name,
            @Size(max = MAX_VARIABLES) Map<@NotBlank @Size(max = 64) @SingleLine String,
                    @NotNull @Size(max = MAX_VARIABLE_LENGTH) @FreeText String> variables) {
    }
}
