package io.wacast.webhook.domain;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * One entry of {@code value.contacts[]}: who the change is about. {@code waId} (the phone number) may be
 * absent for a user with a username; {@code userId} is the business-scoped user id. The profile (name,
 * username) is personal data wacast does not keep, so it is not bound.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record MetaContact(String waId, String userId) {
}
