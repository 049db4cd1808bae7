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

/**
 * A campaign as an operator describes it, for creation (POST) and replacement (PUT).
 *
 * @param templateVariables default values by SendJob key ({@code body.1}, {@code header.image}, …)
 * @param rateLimit messages per minute; default and maximum: the number's cap × 60
 * @param scheduledFor when set, the campaign is {@code scheduled} and starts by itself at that time
 * @param recipients optional on creation; larger lists go to {@code /campaigns/{id}/recipients}
 */
public record CampaignSpec(
        @NotBlank @Size(max = 200) String name,
        @Size(max = 2000) String description,
        @NotBlank @Size(max = 512) String templateName,
        @NotBlank @Size(max = 16) String templateLanguage,
        Map<String, String> templateVariables,
        @Size(max = 32) @Pattern(regexp = "\\d+", message = "must be a Meta phone-number id (digits)") String phoneNumberId,
        @Positive Integer rateLimit,
        @Valid SendWindowSpec sendWindow,
        @Schema(example = "2030-01-31T09:00:00+05:30") OffsetDateTime scheduledFor,
        List<@NotNull @Valid RecipientSpec> recipients) {

    /** The hours messages may go out, from startHour (inclusive) to endHour (exclusive) in timeZone. */
    public record SendWindowSpec(
            @NotNull @Min(0) @Max(23) Integer startHour,
            @NotNull @Min(0) @Max(24) Integer endHour,
            @NotBlank @Schema(example = "Asia/Kolkata") String timeZone) {
    }

    /** @param variables this recipient's own values, over the campaign defaults */
    public record RecipientSpec(String phoneNumber, String name, Map<String, String> variables) {
    }
}
