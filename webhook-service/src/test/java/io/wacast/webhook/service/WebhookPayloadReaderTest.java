package io.wacast.webhook.service;

import static io.wacast.webhook.MetaPayloads.T0;
import static io.wacast.webhook.MetaPayloads.PHONE_NUMBER_ID;
import static io.wacast.webhook.MetaPayloads.change;
import static io.wacast.webhook.MetaPayloads.message;
import static io.wacast.webhook.MetaPayloads.messages;
import static io.wacast.webhook.MetaPayloads.status;
import static io.wacast.webhook.MetaPayloads.statuses;
import static io.wacast.webhook.MetaPayloads.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class WebhookPayloadReaderTest {

    private static final Instant NOW = Instant.ofEpochSecond(T0 + 60);
    private static final String USER = "919978783238";

    private final WebhookPayloadReader reader = new WebhookPayloadReader(new ObjectMapper(),
            new ReplyKeywords(List.of("stop", "stop promotions"), List.of("start")),
            new TimestampWindow(Duration.ofHours(192), Duration.ofHours(24)));

    @Test
    void aDeliveredStatusCarriesTheJobIdItsCampaignPricingAndMetaTimestamp() {
        WebhookBatch batch = read(statuses(status("wamid.A", "delivered", T0, "wc:42:7", USER)));

        PublishableEvent published = single(batch);
        assertThat(published.destination()).isEqualTo(Destination.EVENTS);
        assertThat(published.key()).isEqualTo("42");
        assertThat(published.type()).isEqualTo("status");
        StatusEvent event = (StatusEvent) published.payload();
        assertThat(event.eventId()).isEqualTo(published.eventId().toString());
        assertThat(event.jobId()).isEqualTo("wc:42:7");
        assertThat(event.campaignId()).isEqualTo(42L);
        assertThat(event.wamid()).isEqualTo("wamid.A");
        assertThat(event.status()).isEqualTo(DeliveryStatus.DELIVERED);
        assertThat(event.recipient()).isEqualTo(USER);
        assertThat(event.phoneNumberId()).isEqualTo(PHONE_NUMBER_ID);
        assertThat(event.metaTimestamp()).isEqualTo(Instant.ofEpochSecond(T0));
        assertThat(event.pricing()).isEqualTo(new StatusEvent.Pricing(true, "PMP", "marketing"));
        assertThat(event.conversationId()).isEqualTo("conv-wamid.A");
        assertThat(event.receivedAt()).isEqualTo(NOW);
        assertThat(event.schemaVersion()).isEqualTo(StatusEvent.SCHEMA_VERSION);
    }

    @Test
    void aFailedStatusCarriesMetasErrorCodeTitleAndDetails() {
        StatusEvent event = (StatusEvent) single(read(statuses(status("wamid.F", "failed", T0, "wc:42:8",
                USER)))).payload();

        assertThat(event.status()).isEqualTo(DeliveryStatus.FAILED);
        assertThat(event.errorCode()).isEqualTo(131026);
        assertThat(event.errorTitle()).isEqualTo("Message undeliverable");
        assertThat(event.errorMessage()).isEqualTo("Message Undeliverable.");
        assertThat(event.pricing()).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "someone-elses-data", "wc:0:1", "wc:x:1"})
    void aStatusWithoutOurJobIdIsKeyedByTheRecipientsE164Number(String callbackData) {
        StatusEvent event = (StatusEvent) single(read(statuses(status("wamid.B", "read", T0,
                callbackData.isEmpty() ? null : callbackData, USER)))).payload();
        PublishableEvent published = single(read(statuses(status("wamid.B", "read", T0,
                callbackData.isEmpty() ? null : callbackData, USER))));

        assertThat(event.campaignId()).isNull();
        assertThat(published.key()).isEqualTo("+" + USER);
    }

    @Test
    void redeliveriesGetTheSameEventIdAndEachStatusOfAMessageItsOwn() {
        String delivered = statuses(status("wamid.C", "delivered", T0, "wc:1:1", USER));
        String read = statuses(status("wamid.C", "read", T0 + 5, "wc:1:1", USER));

        assertThat(single(read(delivered)).eventId()).isEqualTo(single(read(delivered)).eventId());
        assertThat(single(read(delivered)).eventId()).isNotEqualTo(single(read(read)).eventId());
    }

    @Test
    void aTextReplyCarriesTheWamidItAnswersForAttribution() {
        PublishableEvent published = single(read(messages(text("wamid.IN1", USER, "Is Bali still on?", "wamid.OUT1"))));

        assertThat(published.key()).isEqualTo("+" + USER);
        assertThat(published.type()).isEqualTo("inbound");
        InboundEvent event = (InboundEvent) published.payload();
        assertThat(event.kind()).isEqualTo(InboundKind.REPLY);
        assertThat(event.messageId()).isEqualTo("wamid.IN1");
        assertThat(event.from()).isEqualTo(USER);
        assertThat(event.messageType()).isEqualTo("text");
        assertThat(event.text()).isEqualTo("Is Bali still on?");
        assertThat(event.contextWamid()).isEqualTo("wamid.OUT1");
        assertThat(event.campaignId()).isNull();
        assertThat(event.metaTimestamp()).isEqualTo(Instant.ofEpochSecond(T0));
    }

    @Test
    void aStopKeywordIsAnOptOutAndStartAnOptIn() {
        assertThat(inbound(text("wamid.S1", USER, "Stop!", "wamid.OUT1")).kind()).isEqualTo(InboundKind.OPT_OUT);
        assertThat(inbound(text("wamid.S2", USER, "START", null)).kind()).isEqualTo(InboundKind.OPT_IN);
    }

    @Test
    void aQuickReplyButtonIsAButtonPressWithItsPayload() {
        InboundEvent event = inbound(message("wamid.BT", USER, "button",
                "\"button\":{\"text\":\"Book now\",\"payload\":\"BOOK_BALI\"}", "wamid.OUT2"));

        assertThat(event.kind()).isEqualTo(InboundKind.BUTTON);
        assertThat(event.text()).isEqualTo("Book now");
        assertThat(event.payload()).isEqualTo("BOOK_BALI");
        assertThat(event.contextWamid()).isEqualTo("wamid.OUT2");
    }

    @Test
    void metasStopPromotionsButtonIsAnOptOut() {
        InboundEvent event = inbound(message("wamid.BT2", USER, "button",
                "\"button\":{\"text\":\"Stop promotions\",\"payload\":\"Stop promotions\"}", "wamid.OUT2"));

        assertThat(event.kind()).isEqualTo(InboundKind.OPT_OUT);
    }

    @Test
    void interactiveButtonAndListRepliesArePressesWithTheirIds() {
        InboundEvent button = inbound(message("wamid.IB", USER, "interactive",
                "\"interactive\":{\"type\":\"button_reply\",\"button_reply\":{\"id\":\"yes-1\",\"title\":\"Yes\"}}",
                "wamid.OUT3"));
        InboundEvent list = inbound(message("wamid.IL", USER, "interactive",
                "\"interactive\":{\"type\":\"list_reply\",\"list_reply\":{\"id\":\"row-2\",\"title\":\"Goa\","
                        + "\"description\":\"4 nights\"}}", "wamid.OUT3"));

        assertThat(button.kind()).isEqualTo(InboundKind.BUTTON);
        assertThat(button.payload()).isEqualTo("yes-1");
        assertThat(button.text()).isEqualTo("Yes");
        assertThat(list.kind()).isEqualTo(InboundKind.BUTTON);
        assertThat(list.payload()).isEqualTo("row-2");
        assertThat(list.contextWamid()).isEqualTo("wamid.OUT3");
    }

    @Test
    void mediaIsAReplyWithItsCaptionAndAReactionPointsAtTheMessageReactedTo() {
        InboundEvent image = inbound(message("wamid.IMG", USER, "image",
                "\"image\":{\"id\":\"media-1\",\"caption\":\"my passport\",\"mime_type\":\"image/jpeg\"}", null));
        InboundEvent reaction = inbound(message("wamid.RE", USER, "reaction",
                "\"reaction\":{\"message_id\":\"wamid.OUT4\",\"emoji\":\"\\uD83D\\uDC4D\"}", null));

        assertThat(image.kind()).isEqualTo(InboundKind.REPLY);
        assertThat(image.text()).isEqualTo("my passport");
        assertThat(reaction.kind()).isEqualTo(InboundKind.OTHER);
        assertThat(reaction.contextWamid()).isEqualTo("wamid.OUT4");
        assertThat(reaction.payload()).isEqualTo("👍");
    }

    @Test
    void anOrderGoesToTheOrdersTopicKeyedByPhoneWithThePricesTheUserSaw() {
        PublishableEvent published = single(read(messages(message("wamid.ORD", USER, "order", """
                "order":{"catalog_id":"catalog-9","text":"for two","product_items":[\
                {"product_retailer_id":"sku-bali-5n","quantity":"2","item_price":45000.00,"currency":"INR"},\
                {"product_retailer_id":"sku-visa","quantity":1,"item_price":"2500.5","currency":"INR"}]}""",
                "wamid.OUT5"))));

        assertThat(published.destination()).isEqualTo(Destination.ORDERS);
        assertThat(published.key()).isEqualTo("+" + USER);
        assertThat(published.type()).isEqualTo("order");
        OrderEvent order = (OrderEvent) published.payload();
        assertThat(order.catalogId()).isEqualTo("catalog-9");
        assertThat(order.text()).isEqualTo("for two");
        assertThat(order.contextWamid()).isEqualTo("wamid.OUT5");
        assertThat(order.items()).containsExactly(
                new OrderEvent.Item("sku-bali-5n", 2, new BigDecimal("45000.00"), "INR"),
                new OrderEvent.Item("sku-visa", 1, new BigDecimal("2500.5"), "INR"));
    }

    @Test
    void marketingPreferencesStopAndResumeAreOptOutAndOptIn() {
        String stop = change("user_preferences", """
                "user_preferences":[{"wa_id":"%s","detail":"User requested to stop marketing messages",\
                "category":"marketing_messages","value":"stop","timestamp":%d}]""".formatted(USER, T0 + 100));
        String resume = stop.replace("\"stop\"", "\"resume\"");

        InboundEvent optOut = (InboundEvent) single(read(stop)).payload();
        InboundEvent optIn = (InboundEvent) single(read(resume)).payload();

        assertThat(optOut.kind()).isEqualTo(InboundKind.OPT_OUT);
        assertThat(optOut.from()).isEqualTo(USER);
        assertThat(optOut.messageType()).isEqualTo("user_preferences");
        assertThat(optOut.metaTimestamp()).isEqualTo(Instant.ofEpochSecond(T0 + 100));
        assertThat(optIn.kind()).isEqualTo(InboundKind.OPT_IN);
        assertThat(single(read(stop)).eventId()).isNotEqualTo(single(read(resume)).eventId());
    }

    @Test
    void unknownFieldsTypesAndStatusesAreCountedWithoutFailingTheRestOfTheDelivery() {
        String body = """
                {"object":"whatsapp_business_account","entry":[{"id":"1","changes":[\
                {"field":"security","value":{"event":"PASSWORD_CHANGED"}},\
                {"field":"messages","value":{"metadata":{"phone_number_id":"%s"},\
                "statuses":[%s,{"id":"wamid.X","status":"deleted","timestamp":"1"},{"status":"sent"},"oops"],\
                "messages":[%s],\
                "errors":[{"code":131000,"title":"Something went wrong"}]}}]}]}"""
                .formatted(PHONE_NUMBER_ID, status("wamid.OK", "sent", T0, "wc:3:4", USER),
                        message("wamid.HOLO", USER, "hologram", "", null));

        WebhookBatch batch = read(body);

        assertThat(batch.events()).extracting(PublishableEvent::type).containsExactly("status", "inbound");
        assertThat(((InboundEvent) batch.events().get(1).payload()).kind()).isEqualTo(InboundKind.OTHER);
        assertThat(batch.ignored()).containsExactlyInAnyOrder(IgnoredReason.UNKNOWN_FIELD,
                IgnoredReason.UNKNOWN_STATUS, IgnoredReason.UNREADABLE_ENTRY, IgnoredReason.UNREADABLE_ENTRY,
                IgnoredReason.UNKNOWN_MESSAGE_TYPE, IgnoredReason.META_ERROR);
    }

    @ParameterizedTest
    @ValueSource(strings = {"{}", "[]", "42", "\"text\"", "null", "{\"object\":\"page\",\"entry\":[]}",
            "{\"object\":\"whatsapp_business_account\",\"entry\":\"none\"}"})
    void jsonOfAnotherShapeIsIgnoredNotRefused(String body) {
        WebhookBatch batch = read(body);

        assertThat(batch.events()).isEmpty();
        assertThat(batch.ignored()).containsExactly(IgnoredReason.UNKNOWN_SHAPE);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "{", "not json", "{\"object\":}", "<xml/>"})
    void bytesThatAreNotJsonAreRefused(String body) {
        assertThatThrownBy(() -> read(body)).isInstanceOf(MalformedWebhookException.class)
                .hasMessageStartingWith("not valid JSON");
    }

    private InboundEvent inbound(String message) {
        return (InboundEvent) single(read(messages(message))).payload();
    }

    private WebhookBatch read(String body) {
        return reader.read(body.getBytes(StandardCharsets.UTF_8), NOW);
    }

    private static PublishableEvent single(WebhookBatch batch) {
        assertThat(batch.events()).hasSize(1);
        return batch.events().get(0);
    }
}
