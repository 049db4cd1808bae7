package io.wacast.simulator.service;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.List;

/** Meta's answer to an accepted send: accepted, not yet delivered. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record SendResponse(String messagingProduct, List<Contact> contacts, List<Message> messages) {

    public static SendResponse accepted(String input, String waId, String wamid) {
        return new SendResponse("whatsapp", List.of(new Contact(input, waId)), List.of(new Message(wamid, "accepted")));
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Contact(String input, String waId) {
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Message(String id, String messageStatus) {
    }
}
