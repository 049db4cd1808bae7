package io.wacast.webhook.domain;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * One entry of {@code value.user_preferences[]}: the user stopped ({@code value: "stop"}) or resumed
 * ({@code "resume"}) marketing messages from the WhatsApp client itself, not by a reply. A user with a
 * username may be named by {@code userId} (the business-scoped user id) alone, without {@code waId}.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record MetaUserPreference(String waId, String detail, String category, String value, String timestamp,
        String userId) {
}
