package io.wacast.webhook.domain;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/** An entry of an {@code errors[]} array of a Meta webhook (on a status, a message or a whole change). */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record MetaError(Integer code, String title, String message, ErrorData errorData) {

    /** {@code error_data.details} when Meta sends it (usually the most specific text), else the message. */
    public String bestMessage() {
        return errorData != null && errorData.details() != null && !errorData.details().isBlank()
                ? errorData.details()
                : message;
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record ErrorData(String details) {
    }
}
