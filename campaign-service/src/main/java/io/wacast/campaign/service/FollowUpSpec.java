package io.wacast.campaign.service;

import java.util.Map;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import io.wacast.common.text.FreeText;
import io.wacast.common.text.SingleLine;

/**
 * A follow-up as the operator asks for it. Everything but {@code outcome} is optional: the follow-up
 * takes the source's template, variables, number, rate and send window unless told otherwise.
 *
 * @param outcome {@code failed}, {@code not_delivered}, {@code delivered_not_read}, {@code read_not_responded},
 *     {@code responded} or {@code clicked}
 * @param afterHours for {@code delivered_not_read}: delivered at least this long ago (default 24)
 * @param payload for {@code clicked}: the quick-reply button payload the recipients pressed
 * @param templateName another template (its language defaults to the source's)
 * @param templateVariables the follow-up's defaults; by default the source's, for the keys the template takes
 */
public record FollowUpSpec(
        @NotBlank @Size(max = 64) @Schema(example = "failed") String outcome,
        @Size(max = 200) @SingleLine String name,
        @Size(max = 2000) @FreeText String description,
        @Size(max = 512) @SingleLine String templateName,
        @Pattern(regexp = TemplateService.LANGUAGE, message = TemplateService.LANGUAGE_RULE) String templateLanguage,
        @Size(max = CampaignSpec.MAX_VARIABLES) Map<@NotBlank @Size(max = 64) @SingleLine String,
                @NotNull @Size(max = CampaignSpec.MAX_VARIABLE_LENGTH) @FreeText String> templateVariables,
        @Min(1) @Max(MAX_AFTER_HOURS) Integer afterHours,
        @Size(max = 1024) @Schema(example = "Interested") String payload) {

    /** A follow-up without a button payload (every outcome but {@code clicked}). */
    public FollowUpSpec(String outcome, String name, String description, String templateName, String templateLanguage,
            Map<String, String> templateVariables, Integer afterHours) {
        this(outcome, name, description, templateName, templateLanguage, templateVariables, afterHours, null);
    }

    /** A year: Meta redelivers statuses for days, and nobody follows up a delivery older than that. */
    public static final int MAX_AFTER_HOURS = 8784;
}
