package io.wacast.simulator.signal;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * One account-level webhook the simulator is told to send ({@code PUT /sim/config {"signals":[…]}}),
 * in few words; the simulator writes Meta's payload. Without {@code atPercent} it goes at once; with
 * it, when the template's accepted messages reach {@code atPercent} % of {@code ofMessages} ("pause
 * template X at 40 % of the campaign"). A template status change also changes the simulator's own
 * template (a paused template is then answered 132015, as Meta does).
 *
 * @param field Meta's webhook field
 * @param template the template's name (template fields, and the trigger of {@code atPercent})
 * @param event template status event, number event (FLAGGED, THROUGHPUT_UPGRADE, …) or account event
 * @param quality the new quality score of {@code message_template_quality_update}
 * @param category the new category of {@code template_category_update}; {@code impending} announces it
 * @param phoneNumberId the number of {@code phone_number_quality_update} (default: the first)
 * @param currentLimit {@code current_limit} of a number (e.g. TIER_UNLIMITED)
 * @param messagingLimitTier the portfolio tier a number webhook carries (e.g. TIER_2K)
 * @param messagingLimit {@code max_daily_conversations_per_business} of a business capability webhook
 * @param restrictions {@code restriction_info} types of an account restriction
 * @param banState {@code ban_info.waba_ban_state} of a DISABLED_UPDATE
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = false)
public record SignalSpec(
        String field,
        String template,
        String language,
        String event,
        String reason,
        String quality,
        String category,
        Boolean impending,
        String phoneNumberId,
        String currentLimit,
        String messagingLimitTier,
        Long messagingLimit,
        List<String> restrictions,
        String banState,
        Integer atPercent,
        Integer ofMessages) {
}
