package io.wacast.webhook.service;

import static io.wacast.webhook.MetaPayloads.T0;
import static io.wacast.webhook.MetaPayloads.change;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.wacast.common.event.DeliveryStatus;
import io.wacast.common.event.InboundEvent;
import io.wacast.common.event.InboundKind;
import io.wacast.common.event.OrderEvent;
import io.wacast.common.event.StatusEvent;
import io.wacast.webhook.domain.PublishableEvent;
import io.wacast.webhook.domain.PublishableEvent.Destination;
import io.wacast.webhook.domain.WebhookBatch;
import io.wacast.webhook.domain.WebhookBatch.IgnoredReason;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Business-scoped user ids in each webhook shape Meta documents for them (docs/META.md,
 * "Business-scoped user IDs"): messages and contacts, statuses, user_preferences, user_id_update, and a
 * user with a username who never exposed a phone number.
 */
class BsuidPayloadsTest {

    private static final Instant NOW = Instant.ofEpochSecond(T0 + 60);
    private static final String PHONE = "919978783238";
    private static final String BSUID = "IN.1648738043044942";
    private static final String USERNAME_ONLY = "US.13491208655302741918";

    private final WebhookPayloadReader reader = new WebhookPayloadReader(new ObjectMapper(),
            new ReplyKeywords(List.of("stop", "stop promotions"), List.of("start")),
            new TimestampWindow(Duration.ofHours(192), Duration.ofHours(24)));

    @Test
    void aMessageCarriesTheSendersPhoneAndBsuid() {
        PublishableEvent published = single(read(change("messages", """
                "contacts":[{"profile":{"name":"Asha"},"wa_id":"%s","user_id":"%s"}],\
                "messages":[{"from":"%s","from_user_id":"%s","id":"wamid.IN1","timestamp":"%d","type":"text",\
                "text":{"body":"Is Bali still on?"}}]""".formatted(PHONE, BSUID, PHONE, BSUID, T0))));

        InboundEvent event = (InboundEvent) published.payload();
        assertThat(event.from()).isEqualTo(PHONE);
        assertThat(event.fromUserId()).isEqualTo(BSUID);
        assertThat(event.schemaVersion()).isEqualTo(2);
        assertThat(published.key()).isEqualTo("+" + PHONE);
    }

    @Test
    void aStopFromAUsernameUserWhoNeverExposedAPhoneIsAnOptOutKeyedByTheBsuid() {
        PublishableEvent published = single(read(change("messages", """
                "contacts":[{"profile":{"name":"J","username":"jsmith"},"user_id":"%s"}],\
                "messages":[{"from_user_id":"%s","id":"wamid.IN2","timestamp":"%d","type":"text",\
                "text":{"body":"STOP"}}]""".formatted(USERNAME_ONLY, USERNAME_ONLY, T0))));

        InboundEvent event = (InboundEvent) published.payload();
        assertThat(event.kind()).isEqualTo(InboundKind.OPT_OUT);
        assertThat(event.from()).isNull();
        assertThat(event.fromUserId()).isEqualTo(USERNAME_ONLY);
        assertThat(published.key()).isEqualTo(USERNAME_ONLY);
    }

    @Test
    void aMessageWithoutFromUserIdTakesTheBsuidOfItsContact() {
        InboundEvent event = (InboundEvent) single(read(change("messages", """
                "contacts":[{"profile":{"name":"Asha"},"wa_id":"%s","user_id":"%s"}],\
                "messages":[{"from":"%s","id":"wamid.IN3","timestamp":"%d","type":"text","text":{"body":"hi"}}]"""
                .formatted(PHONE, BSUID, PHONE, T0)))).payload();

        assertThat(event.fromUserId()).isEqualTo(BSUID);
    }

    @Test
    void anOrderFromAUsernameUserCarriesItsBsuid() {
        PublishableEvent published = single(read(change("messages", """
                "contacts":[{"user_id":"%s"}],"messages":[{"from_user_id":"%s","id":"wamid.ORD1","timestamp":"%d",\
                "type":"order","order":{"catalog_id":"c1","product_items":[{"product_retailer_id":"sku",\
                "quantity":1,"item_price":10.5,"currency":"USD"}]}}]""".formatted(USERNAME_ONLY, USERNAME_ONLY, T0))));

        assertThat(published.destination()).isEqualTo(Destination.ORDERS);
        OrderEvent order = (OrderEvent) published.payload();
        assertThat(order.from()).isNull();
        assertThat(order.fromUserId()).isEqualTo(USERNAME_ONLY);
        assertThat(published.key()).isEqualTo(USERNAME_ONLY);
    }

    @Test
    void aStatusCarriesTheRecipientsBsuidAndThePricingType() {
        StatusEvent event = (StatusEvent) single(read(change("messages", """
                "contacts":[{"wa_id":"%s","user_id":"%s"}],"statuses":[{"id":"wamid.OUT1","status":"delivered",\
                "timestamp":"%d","recipient_id":"%s","recipient_user_id":"%s","biz_opaque_callback_data":"wc:42:7",\
                "pricing":{"billable":true,"pricing_model":"PMP","type":"regular","category":"marketing"}}]"""
                .formatted(PHONE, BSUID, T0, PHONE, BSUID)))).payload();

        assertThat(event.recipient()).isEqualTo(PHONE);
        assertThat(event.recipientUserId()).isEqualTo(BSUID);
        assertThat(event.pricing()).isEqualTo(new StatusEvent.Pricing(true, "PMP", "marketing", "regular"));
        assertThat(event.status()).isEqualTo(DeliveryStatus.DELIVERED);
    }

    @Test
    void aStatusWithoutRecipientUserIdTakesItFromContacts() {
        StatusEvent event = (StatusEvent) single(read(change("messages", """
                "contacts":[{"wa_id":"%s","user_id":"%s"}],"statuses":[{"id":"wamid.OUT2","status":"read",\
                "timestamp":"%d","recipient_id":"%s","biz_opaque_callback_data":"wc:42:8"}]"""
                .formatted(PHONE, BSUID, T0, PHONE)))).payload();

        assertThat(event.recipientUserId()).isEqualTo(BSUID);
    }

    @Test
    void aUserPreferencesStopCarryingOnlyAUserIdIsAnOptOut() {
        PublishableEvent published = single(read(change("user_preferences", """
                "contacts":[{"profile":{"name":"J"},"user_id":"%s"}],"user_preferences":[{"user_id":"%s",\
                "detail":"User requested to stop marketing messages","category":"marketing_messages",\
                "value":"stop","timestamp":%d}]""".formatted(USERNAME_ONLY, USERNAME_ONLY, T0))));

        InboundEvent event = (InboundEvent) published.payload();
        assertThat(event.kind()).isEqualTo(InboundKind.OPT_OUT);
        assertThat(event.messageType()).isEqualTo("user_preferences");
        assertThat(event.from()).isNull();
        assertThat(event.fromUserId()).isEqualTo(USERNAME_ONLY);
        assertThat(published.key()).isEqualTo(USERNAME_ONLY);
    }

    @Test
    void aUserIdUpdateIsPublishedWithThePreviousAndCurrentBsuid() {
        String body = change("user_id_update", """
                "contacts":[{"profile":{"name":"Asha"},"wa_id":"%s"}],"user_id_update":[{"wa_id":"%s",\
                "detail":"User id for Asha has been updated.","user_id":{"previous":"%s","current":"IN.99887766"},\
                "timestamp":"%d"}]""".formatted(PHONE, PHONE, BSUID, T0));
        PublishableEvent published = single(read(body));

        InboundEvent event = (InboundEvent) published.payload();
        assertThat(event.messageType()).isEqualTo(InboundEvent.USER_ID_UPDATE);
        assertThat(event.kind()).isEqualTo(InboundKind.OTHER);
        assertThat(event.previousUserId()).isEqualTo(BSUID);
        assertThat(event.fromUserId()).isEqualTo("IN.99887766");
        assertThat(event.from()).isEqualTo(PHONE);
        assertThat(single(read(body)).eventId()).isEqualTo(published.eventId());
    }

    @Test
    void aMalformedBsuidIsCountedAndDroppedAndTheEntryStillPublishedByPhone() {
        WebhookBatch batch = read(change("messages", """
                "messages":[{"from":"%s","from_user_id":"US.1349-<script>","id":"wamid.IN4","timestamp":"%d",\
                "type":"text","text":{"body":"hi"}}]""".formatted(PHONE, T0)));

        InboundEvent event = (InboundEvent) single(batch).payload();
        assertThat(event.fromUserId()).isNull();
        assertThat(event.from()).isEqualTo(PHONE);
        assertThat(batch.ignored()).containsExactly(IgnoredReason.INVALID_BSUID);
    }

    @Test
    void anEntryNamedOnlyByAMalformedBsuidIsCountedAndNotPublished() {
        WebhookBatch batch = read(change("user_preferences", """
                "user_preferences":[{"user_id":"13491208655302741918","category":"marketing_messages",\
                "value":"stop","timestamp":%d}]""".formatted(T0)));

        assertThat(batch.events()).isEmpty();
        assertThat(batch.ignored()).containsExactly(IgnoredReason.INVALID_BSUID);
    }

    @Test
    void unknownFieldsBesideTheBsuidAreAcceptedAndIgnored() {
        InboundEvent event = (InboundEvent) single(read(change("messages", """
                "contacts":[{"user_id":"%s","parent_user_id":"US.ENT.118157","identity_key_hash":"x",\
                "profile":{"username":"j"}}],"messages":[{"from_user_id":"%s","from_parent_user_id":"US.ENT.118157",\
                "id":"wamid.IN5","timestamp":"%d","type":"text","text":{"body":"hello"},"new_thing":{"a":1}}]"""
                .formatted(USERNAME_ONLY, USERNAME_ONLY, T0)))).payload();

        assertThat(event.fromUserId()).isEqualTo(USERNAME_ONLY);
        assertThat(event.kind()).isEqualTo(InboundKind.REPLY);
    }

    private WebhookBatch read(String body) {
        return reader.read(body.getBytes(StandardCharsets.UTF_8), NOW);
    }

    private static PublishableEvent single(WebhookBatch batch) {
        assertThat(batch.events()).hasSize(1);
        return batch.events().get(0);
    }
}
