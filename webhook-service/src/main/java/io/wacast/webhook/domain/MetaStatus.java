package io.wacast.webhook.domain;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.List;

/**
 * One entry of {@code value.statuses[]} of a Meta webhook, as Meta writes it. {@code recipientId} (the
 * phone number) may be absent for a user with a username; {@code recipientUserId} is the user's
 * business-scoped user id (docs/META.md, "Business-scoped user IDs").
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record MetaStatus(
        String id,
        String status,
        String timestamp,
        String recipientId,
        String bizOpaqueCallbackData,
        Conversation conversation,
        Pricing pricing,
        List<MetaError> errors,
        String recipientUserId) {

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Conversation(String id) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Pricing(Boolean billable, String pricingModel, String category, String type) {
    }
}
