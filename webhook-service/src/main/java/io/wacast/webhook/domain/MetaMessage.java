package io.wacast.webhook.domain;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.math.BigDecimal;
import java.util.List;

/**
 * One entry of {@code value.messages[]} of a Meta webhook: a message a user sent to the business
 * number. Only the parts wacast uses are bound; the rest of Meta's fields are ignored. {@code from}
 * (the phone number) may be absent for a user with a username; {@code fromUserId} is the user's
 * business-scoped user id.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record MetaMessage(
        String from,
        String id,
        String timestamp,
        String type,
        Context context,
        Text text,
        Button button,
        Interactive interactive,
        Order order,
        Media image,
        Media video,
        Media audio,
        Media document,
        Media sticker,
        Reaction reaction,
        List<MetaError> errors,
        String fromUserId,
        System system) {

    /**
     * A system message ({@code type: "system"}); {@code user_changed_user_id} reports a user's new BSUID
     * ({@code userId}, with {@code parentUserId} where Meta sends parents) and names the old one as the
     * message's {@code from_user_id}, in {@code previousUserId} or in the body ("… changed from A to B"),
     * depending on the payload (docs/META.md, "Business-scoped user IDs").
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record System(String type, String body, String waId, String userId, String parentUserId,
            String previousUserId) {

        public static final String USER_CHANGED_USER_ID = "user_changed_user_id";
    }

    /** Present when the user replied to one of our messages; {@code id} is that message's wamid. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Context(String from, String id) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Text(String body) {
    }

    /** A quick-reply button of a template. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Button(String text, String payload) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Interactive(String type, Reply buttonReply, Reply listReply, FlowReply nfmReply) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Reply(String id, String title, String description) {
    }

    /** The answer to a WhatsApp Flow. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record FlowReply(String name, String body, String responseJson) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Order(String catalogId, String text, List<ProductItem> productItems) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record ProductItem(String productRetailerId, Integer quantity, BigDecimal itemPrice, String currency) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Media(String id, String caption) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Reaction(String messageId, String emoji) {
    }
}
