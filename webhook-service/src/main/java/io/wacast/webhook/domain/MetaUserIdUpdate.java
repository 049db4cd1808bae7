package io.wacast.webhook.domain;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * One entry of {@code value.user_id_update[]} (webhook field {@code user_id_update}): the user's
 * business-scoped user id changed from {@code userId.previous} to {@code userId.current} (Meta issues a
 * new one when the user changes phone number). {@code waId} is absent when the phone is not shared.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record MetaUserIdUpdate(String waId, String detail, Change userId, String timestamp) {

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Change(String previous, String current) {
    }
}
