package io.wacast.simulator.webhook;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.math.BigDecimal;
import java.util.List;

/**
 * The body of a WhatsApp Business webhook, field for field as Meta sends it (snake_case, timestamps
 * as strings of epoch seconds), so the webhook-service is tested against the real shape.
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record WebhookPayload(String object, List<Entry> entry) {

    public static WebhookPayload of(String wabaId, Value value) {
        return new WebhookPayload("whatsapp_business_account",
                List.of(new Entry(wabaId, List.of(new Change(value, "messages")))));
    }

    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    public record Entry(String id, List<Change> changes) {
    }

    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    public record Change(Value value, String field) {
    }

    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Value(String messagingProduct, Metadata metadata, List<Contact> contacts, List<Message> messages,
            List<Status> statuses) {
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Metadata(String displayPhoneNumber, String phoneNumberId) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Status(String id, String status, String timestamp, String recipientId, String bizOpaqueCallbackData,
            Conversation conversation, Pricing pricing, List<Error> errors, String recipientUserId) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Conversation(String id, String expirationTimestamp, Origin origin) {
    }

    public record Origin(String type) {
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Pricing(boolean billable, String pricingModel, String category, String type) {
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Error(int code, String title, String message, ErrorData errorData, String href) {
    }

    public record ErrorData(String details) {
    }

    /** {@code wa_id} is absent for a user who withholds the number; {@code user_id} is the BSUID. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Contact(Profile profile, String waId, String userId) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Profile(String name, String username) {
    }

    /** {@code from} is absent for a user who withholds the number; {@code from_user_id} is the BSUID. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Message(String from, String id, String timestamp, String type, Context context, Text text,
            Button button, Order order, String fromUserId) {
    }

    public record Context(String from, String id) {
    }

    public record Text(String body) {
    }

    public record Button(String payload, String text) {
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Order(String catalogId, String text, List<ProductItem> productItems) {
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record ProductItem(String productRetailerId, int quantity, BigDecimal itemPrice, String currency) {
    }
}
