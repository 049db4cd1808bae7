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

    /**
     * Meta's {@code user_changed_user_id} system message (no contacts[]): the new BSUID in
     * {@code system.user_id}, the old one as the message's sender, in {@code previous_user_id} or only in the
     * body; each shape is the same event as the {@code user_id_update} field's, so whichever Meta sends
     * second is a duplicate the applier drops.
     */
    @Test
    void aUserChangedUserIdSystemMessageIsTheSameEventAsTheUserIdUpdateField() {
        String field = change("user_id_update", """
                "user_id_update":[{"detail":"User id for Asha has been updated.",                "user_id":{"previous":"%s","current":"IN.99887766"},"timestamp":"%d"}]""".formatted(BSUID, T0));
        String asSender = change("messages", """
                "messages":[{"from_user_id":"%s","id":"wamid.SYS1","timestamp":"%d","type":"system",                "system":{"body":"User Asha changed from %s to IN.99887766","user_id":"IN.99887766",                "parent_user_id":"IN.ENT.5566","type":"user_changed_user_id"}}]""".formatted(BSUID, T0, BSUID));
        String asPrevious = change("messages", """
                "messages":[{"id":"wamid.SYS2","timestamp":"%d","type":"system","system":{"body":"changed",                "previous_user_id":"%s","user_id":"IN.99887766","type":"user_changed_user_id"}}]""".formatted(T0, BSUID));
        String inBody = change("messages", """
                "messages":[{"id":"wamid.SYS3","timestamp":"%d","type":"system","system":{                "body":"User Asha changed from %s to IN.99887766","user_id":"IN.99887766",                "type":"user_changed_user_id"}}]""".formatted(T0, BSUID));

        PublishableEvent expected = single(read(field));
        for (String body : List.of(asSender, asPrevious, inBody)) {
            PublishableEvent published = single(read(body));
            InboundEvent event = (InboundEvent) published.payload();
            assertThat(event.messageType()).isEqualTo(InboundEvent.USER_ID_UPDATE);
            assertThat(event.kind()).isEqualTo(InboundKind.OTHER);
            assertThat(event.previousUserId()).isEqualTo(BSUID);
            assertThat(event.fromUserId()).isEqualTo("IN.99887766");
            assertThat(published.eventId()).as(body).isEqualTo(expected.eventId());
            assertThat(published.key()).isEqualTo(expected.key());
        }
    }

    /** Without the old BSUID, the new one is published with the number the message names (a mapping), or not at all. */
    @Test
    void aUserChangedUserIdWithoutTheOldBsuidMapsTheNewOneToItsNumberOrIsCounted() {
        InboundEvent mapped = (InboundEvent) single(read(change("messages", """
                "messages":[{"from":"%s","id":"wamid.SYS4","timestamp":"%d","type":"system","system":{                "body":"changed","user_id":"IN.99887766","type":"user_changed_user_id"}}]""".formatted(PHONE, T0))))
                .payload();
        assertThat(mapped.from()).isEqualTo(PHONE);
        assertThat(mapped.fromUserId()).isEqualTo("IN.99887766");
        assertThat(mapped.previousUserId()).isNull();
        assertThat(mapped.kind()).isEqualTo(InboundKind.OTHER);

        WebhookBatch nothing = read(change("messages", """
                "messages":[{"id":"wamid.SYS5","timestamp":"%d","type":"system","system":{                "body":"changed","user_id":"IN.99887766","type":"user_changed_user_id"}}]""".formatted(T0)));
        assertThat(nothing.events()).isEmpty();
        assertThat(nothing.ignored()).containsExactly(IgnoredReason.UNREADABLE_ENTRY);

        WebhookBatch badParent = read(change("messages", """
                "messages":[{"from_user_id":"%s","id":"wamid.SYS6","timestamp":"%d","type":"system","system":{                "body":"changed","user_id":"IN.99887766","parent_user_id":"not-a-bsuid",                "type":"user_changed_user_id"}}]""".formatted(BSUID, T0)));
        assertThat(badParent.events()).hasSize(1);
        assertThat(badParent.ignored()).containsExactly(IgnoredReason.INVALID_BSUID);
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
