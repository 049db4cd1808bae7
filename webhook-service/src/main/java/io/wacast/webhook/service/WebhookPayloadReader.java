package io.wacast.webhook.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import io.wacast.common.Topics;
import io.wacast.common.event.AccountSignal;
import io.wacast.common.event.DeliveryStatus;
import io.wacast.common.event.InboundEvent;
import io.wacast.common.event.InboundKind;
import io.wacast.common.event.JobId;
import io.wacast.common.event.OrderEvent;
import io.wacast.common.event.StatusEvent;
import io.wacast.common.problem.JsonSyntax;
import io.wacast.common.user.Bsuid;
import io.wacast.webhook.domain.MetaContact;
import io.wacast.webhook.domain.MetaError;
import io.wacast.webhook.domain.MetaMessage;
import io.wacast.webhook.domain.MetaStatus;
import io.wacast.webhook.domain.MetaUserIdUpdate;
import io.wacast.webhook.domain.MetaUserPreference;
import io.wacast.webhook.domain.PublishableEvent;
import io.wacast.webhook.domain.PublishableEvent.Destination;
import io.wacast.webhook.domain.WebhookBatch;
import io.wacast.webhook.domain.WebhookBatch.IgnoredReason;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Turns the JSON of one Meta webhook into wacast events. Meta's payloads grow new fields, types and
 * values all the time, and anything it cannot read it will redeliver for a week, so every entry is
 * read on its own: an entry of an unknown kind is reported as ignored and never fails the others.
 * Users are named by phone number ({@code from}, {@code recipient_id}, {@code wa_id}) and/or by
 * business-scoped user id ({@code from_user_id}, {@code recipient_user_id}, {@code user_id}, also in
 * {@code contacts[]}); both travel in the events, and a user with a username may have only the latter.
 */
@Singleton
public class WebhookPayloadReader {

    static final String WHATSAPP_BUSINESS_ACCOUNT = "whatsapp_business_account";
    private static final Logger LOG = Logger.getLogger(WebhookPayloadReader.class);
    /** Meta's message types, as of Graph API v23; anything else is counted as unknown. */
    private static final Set<String> USER_CONTENT_TYPES =
            Set.of("text", "image", "video", "audio", "document", "sticker", "location", "contacts");
    private static final Set<String> OTHER_KNOWN_TYPES =
            Set.of("reaction", "system", "unsupported", "request_welcome", "ephemeral", "unknown");

    private final ObjectMapper mapper;
    private final ReplyKeywords keywords;
    private final TimestampWindow window;
    private final AccountSignalReader signals = new AccountSignalReader();

    /**
     * Prices stay exactly as the user saw them ("45000.00"), hence exact big decimals in the tree; a
     * body is one JSON value and nothing after it ({@code {} trailing} is not JSON).
     */
    @Inject
    public WebhookPayloadReader(ObjectMapper mapper, ReplyKeywords keywords, TimestampWindow window) {
        this.mapper = mapper.copy()
                .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .configure(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES, false);
        this.keywords = keywords;
        this.window = window;
    }

    /** @throws MalformedWebhookException when the body is not JSON at all */
    public WebhookBatch read(byte[] body, Instant receivedAt) {
        JsonNode root;
        try {
            root = mapper.readTree(body);
        } catch (JsonProcessingException e) {
            throw new MalformedWebhookException(JsonSyntax.describe(e));
        } catch (IOException e) {
            throw new MalformedWebhookException("not valid JSON: the body cannot be read as JSON text");
        }
        if (root == null || root.isMissingNode()) {
            throw new MalformedWebhookException("not valid JSON: the body is empty");
        }
        Collector collector = new Collector(receivedAt);
        if ( !root.isObject() || !WHATSAPP_BUSINESS_ACCOUNT.equals(root.path("object").asText())
                || !root.path("entry").isArray()) {
            collector.ignore(IgnoredReason.UNKNOWN_SHAPE);
            return collector.batch();
        }
        for (JsonNode entry : root.path("entry")) {
            for (JsonNode change : entry.path("changes")) {
                if (AccountSignal.FIELDS.contains(change.path("field").asText(""))) {
                    readSignal(entry, change, collector);
                } else {
                    readChange(change, collector);
                }
            }
        }
        return collector.batch();
    }

    private void readChange(JsonNode change, Collector collector) {
        String field = change.path("field").asText("");
        JsonNode value = change.path("value");
        if (!value.isObject() || !(field.equals("messages") || field.equals("user_preferences")
                || field.equals(InboundEvent.USER_ID_UPDATE))) {
            collector.ignore(IgnoredReason.UNKNOWN_FIELD);
            return;
        }
        String phoneNumberId = textOrNull(value.path("metadata").path("phone_number_id"));
        Contacts contacts = contacts(value.path("contacts"), collector);
        for (JsonNode node : value.path("statuses")) {
            MetaStatus status = bind(node, MetaStatus.class, collector);
            if (status != null) {
                readStatus(status, phoneNumberId, contacts, collector);
            }
        }
        for (JsonNode node : value.path("messages")) {
            MetaMessage message = bind(node, MetaMessage.class, collector);
            if (message != null) {
                readMessage(message, phoneNumberId, contacts, collector);
            }
        }
        for (JsonNode node : value.path("user_preferences")) {
            MetaUserPreference preference = bind(node, MetaUserPreference.class, collector);
            if (preference != null) {
                readPreference(preference, phoneNumberId, contacts, collector);
            }
        }
        for (JsonNode node : value.path(InboundEvent.USER_ID_UPDATE)) {
            MetaUserIdUpdate update = bind(node, MetaUserIdUpdate.class, collector);
            if (update != null) {
                readUserIdUpdate(update, phoneNumberId, collector);
            }
        }
        for (JsonNode node : value.path("errors")) {
            MetaError error = bind(node, MetaError.class, collector);
            if (error != null) {
                LOG.warnf("Meta reported an error for phone number id %s: code %s, %s", phoneNumberId, error.code(),
                        error.title());
                collector.ignore(IgnoredReason.META_ERROR);
            }
        }
    }

    private static final java.util.regex.Pattern CHANGED_FROM = java.util.regex.Pattern.compile(
            "changed from ([A-Za-z0-9.]+) to [A-Za-z0-9.]+");

    private void readSignal(JsonNode entry, JsonNode change, Collector collector) {
        Instant metaTimestamp = epochSeconds(textOrNull(entry.path("time")));
        if (outsideWindow(metaTimestamp, collector)) {
            return;
        }
        String wabaId = textOrNull(entry.path("id"));
        String field = change.path("field").asText();
        JsonNode value = change.path("value");
        UUID eventId = eventId("account", field, String.valueOf(wabaId), String.valueOf(metaTimestamp), value.toString());
        AccountSignalReader.Result result = signals.read(eventId.toString(), field, wabaId, value, metaTimestamp,
                collector.receivedAt);
        if (result.signal() == null) {
            collector.ignore(result.ignored());
            return;
        }
        collector.publish(new PublishableEvent(Destination.ACCOUNT_SIGNALS, wabaId == null ? "unknown-waba" : wabaId,
                eventId, Topics.EVENT_TYPE_ACCOUNT_SIGNAL, result.signal()));
    }

    private void readStatus(MetaStatus status, String phoneNumberId, Contacts contacts, Collector collector) {
        DeliveryStatus deliveryStatus;
        try {
            deliveryStatus = DeliveryStatus.fromString(status.status());
        } catch (IllegalArgumentException unknown) {
            collector.ignore(IgnoredReason.UNKNOWN_STATUS);
            return;
        }
        if (isBlank(status.id())) {
            collector.ignore(IgnoredReason.UNREADABLE_ENTRY);
            return;
        }
        Instant metaTimestamp = epochSeconds(status.timestamp());
        if (outsideWindow(metaTimestamp, collector)) {
            return;
        }
        String userId = userId(status.recipientUserId(), contacts.userIdOf(status.recipientId()), collector);
        if (isBlank(status.recipientId()) && userId == null && status.recipientUserId() != null) {
            return; // named only by a malformed BSUID: counted as such
        }
        Long campaignId = JobId.parse(status.bizOpaqueCallbackData()).map(JobId::campaignId).orElse(null);
        MetaError error = status.errors() == null || status.errors().isEmpty() ? null : status.errors().get(0);
        UUID eventId = eventId("status", status.id(), deliveryStatus.value());
        StatusEvent event = new StatusEvent(eventId.toString(), StatusEvent.SCHEMA_VERSION,
                status.bizOpaqueCallbackData(), status.id(), campaignId, phoneNumberId, blankToNull(status.recipientId()),
                deliveryStatus, metaTimestamp,
                error == null ? null : error.code(), error == null ? null : error.title(),
                error == null ? null : error.bestMessage(),
                status.pricing() == null ? null : new StatusEvent.Pricing(status.pricing().billable(),
                        status.pricing().pricingModel(), status.pricing().category(), status.pricing().type()),
                status.conversation() == null ? null : status.conversation().id(),
                collector.receivedAt, userId);
        String key = campaignId != null ? campaignId.toString()
                : !isBlank(status.recipientId()) ? phoneKey(status.recipientId()) : userId != null ? userId : status.id();
        collector.publish(new PublishableEvent(Destination.EVENTS, key, eventId, Topics.EVENT_TYPE_STATUS, event));
    }

    private void readMessage(MetaMessage message, String phoneNumberId, Contacts contacts, Collector collector) {
        if (isBlank(message.id()) || isBlank(message.type())) {
            collector.ignore(IgnoredReason.UNREADABLE_ENTRY);
            return;
        }
        if (message.system() != null && MetaMessage.System.USER_CHANGED_USER_ID.equals(message.system().type())) {
            readUserChangedUserId(message, phoneNumberId, collector);
            return;
        }
        String from = blankToNull(message.from());
        String userId = userId(message.fromUserId(), contacts.userIdOf(from), collector);
        if (from == null && userId == null) {
            if (message.fromUserId() == null) {
                collector.ignore(IgnoredReason.UNREADABLE_ENTRY); // a malformed BSUID is counted as such
            }
            return;
        }
        String type = message.type().toLowerCase(Locale.ROOT);
        String contextWamid = message.context() == null ? null : message.context().id();
        Instant metaTimestamp = epochSeconds(message.timestamp());
        if (outsideWindow(metaTimestamp, collector)) {
            return;
        }
        UUID eventId = eventId("message", message.id());
        if (type.equals("order")) {
            readOrder(message, from, userId, eventId, phoneNumberId, contextWamid, metaTimestamp, collector);
            return;
        }
        Reply reply = reply(message, type, collector);
        InboundEvent event = new InboundEvent(eventId.toString(), InboundEvent.SCHEMA_VERSION, message.id(),
                phoneNumberId, from, reply.kind, type, reply.text, reply.payload,
                reply.contextWamid != null ? reply.contextWamid : contextWamid, null, metaTimestamp,
                collector.receivedAt, userId, null);
        collector.publish(new PublishableEvent(Destination.EVENTS, userKey(from, userId), eventId,
                Topics.EVENT_TYPE_INBOUND, event));
    }

    private Reply reply(MetaMessage message, String type, Collector collector) {
        switch (type) {
            case "text" -> {
                String body = message.text() == null ? null : message.text().body();
                return new Reply(keywords.classify(body).orElse(InboundKind.REPLY), body, null, null);
            }
            case "button" -> {
                String text = message.button() == null ? null : message.button().text();
                String payload = message.button() == null ? null : message.button().payload();
                return new Reply(keywordOf(InboundKind.BUTTON, text, payload), text, payload, null);
            }
            case "interactive" -> {
                return interactiveReply(message.interactive());
            }
            case "reaction" -> {
                MetaMessage.Reaction reaction = message.reaction();
                return new Reply(InboundKind.OTHER, null, reaction == null ? null : reaction.emoji(),
                        reaction == null ? null : reaction.messageId());
            }
            default -> {
                if (USER_CONTENT_TYPES.contains(type)) {
                    return new Reply(InboundKind.REPLY, caption(message), null, null);
                }
                if (!OTHER_KNOWN_TYPES.contains(type)) {
                    collector.ignore(IgnoredReason.UNKNOWN_MESSAGE_TYPE);
                }
                return new Reply(InboundKind.OTHER, null, null, null);
            }
        }
    }

    private Reply interactiveReply(MetaMessage.Interactive interactive) {
        if (interactive == null) {
            return new Reply(InboundKind.OTHER, null, null, null);
        }
        MetaMessage.Reply choice = interactive.buttonReply() != null ? interactive.buttonReply() : interactive.listReply();
        if (choice != null) {
            return new Reply(keywordOf(InboundKind.BUTTON, choice.title(), choice.id()), choice.title(), choice.id(),
                    null);
        }
        if (interactive.nfmReply() != null) {
            return new Reply(InboundKind.REPLY, interactive.nfmReply().body(), interactive.nfmReply().responseJson(),
                    null);
        }
        return new Reply(InboundKind.OTHER, null, null, null);
    }

    /** A button labelled "Stop promotions" (Meta's marketing opt-out button) is an opt-out, not a click. */
    private InboundKind keywordOf(InboundKind otherwise, String text, String payload) {
        return keywords.classify(text).or(() -> keywords.classify(payload)).orElse(otherwise);
    }

    private void readOrder(MetaMessage message, String from, String userId, UUID eventId, String phoneNumberId,
            String contextWamid, Instant metaTimestamp, Collector collector) {
        MetaMessage.Order order = message.order();
        if (order == null) {
            collector.ignore(IgnoredReason.UNREADABLE_ENTRY);
            return;
        }
        List<OrderEvent.Item> items = order.productItems() == null ? List.of() : order.productItems().stream()
                .map(item -> new OrderEvent.Item(item.productRetailerId(),
                        item.quantity() == null ? 0 : item.quantity(), item.itemPrice(), item.currency()))
                .toList();
        OrderEvent event = new OrderEvent(eventId.toString(), OrderEvent.SCHEMA_VERSION, message.id(), phoneNumberId,
                from, order.catalogId(), items, order.text(), contextWamid, null, metaTimestamp,
                collector.receivedAt, userId);
        collector.publish(new PublishableEvent(Destination.ORDERS, userKey(from, userId), eventId,
                Topics.EVENT_TYPE_ORDER, event));
    }

    private void readPreference(MetaUserPreference preference, String phoneNumberId, Contacts contacts,
            Collector collector) {
        InboundKind kind = "marketing_messages".equals(preference.category())
                ? switch (String.valueOf(preference.value()).toLowerCase(Locale.ROOT)) {
                    case "stop" -> InboundKind.OPT_OUT;
                    case "resume" -> InboundKind.OPT_IN;
                    default -> null;
                }
                : null;
        if (kind == null) {
            collector.ignore(IgnoredReason.UNKNOWN_PREFERENCE);
            return;
        }
        String waId = blankToNull(preference.waId());
        String userId = userId(preference.userId(), contacts.userIdOf(waId), collector);
        if (waId == null && userId == null) {
            if (preference.userId() == null) {
                collector.ignore(IgnoredReason.UNREADABLE_ENTRY);
            }
            return;
        }
        Instant metaTimestamp = epochSeconds(preference.timestamp());
        if (outsideWindow(metaTimestamp, collector)) {
            return;
        }
        // the same identity as before BSUIDs for a number, so a redelivery keeps its event id
        UUID eventId = eventId("user_preferences", waId != null ? waId : userId, preference.category(),
                preference.value(), preference.timestamp());
        InboundEvent event = new InboundEvent(eventId.toString(), InboundEvent.SCHEMA_VERSION, null, phoneNumberId,
                waId, kind, "user_preferences", preference.detail(), preference.value(), null, null,
                metaTimestamp, collector.receivedAt, userId, null);
        collector.publish(new PublishableEvent(Destination.EVENTS, userKey(waId, userId), eventId,
                Topics.EVENT_TYPE_INBOUND, event));
    }

    /** A new BSUID for a user: published as an inbound event of type {@code user_id_update}, kind other. */
    private void readUserIdUpdate(MetaUserIdUpdate update, String phoneNumberId, Collector collector) {
        MetaUserIdUpdate.Change change = update.userId();
        if (change == null || isBlank(change.previous()) || isBlank(change.current())) {
            collector.ignore(IgnoredReason.UNREADABLE_ENTRY);
            return;
        }
        String previous = userId(change.previous(), null, collector);
        String current = userId(change.current(), null, collector);
        if (previous == null || current == null) {
            return;
        }
        Instant metaTimestamp = epochSeconds(update.timestamp());
        if (outsideWindow(metaTimestamp, collector)) {
            return;
        }
        String waId = blankToNull(update.waId());
        UUID eventId = eventId(InboundEvent.USER_ID_UPDATE, previous, current);
        InboundEvent event = new InboundEvent(eventId.toString(), InboundEvent.SCHEMA_VERSION, null, phoneNumberId,
                waId, InboundKind.OTHER, InboundEvent.USER_ID_UPDATE, null, null, null, null, metaTimestamp,
                collector.receivedAt, current, previous);
        collector.publish(new PublishableEvent(Destination.EVENTS, userKey(waId, previous), eventId,
                Topics.EVENT_TYPE_INBOUND, event));
    }

    /**
     * A {@code user_changed_user_id} system message: the same event as the {@code user_id_update} field's
     * (same event id, so the one Meta sends second is a duplicate), when the old BSUID can be told; else
     * the new BSUID with the number the message names, if any, which maps it like any message would.
     * A parent BSUID is checked (a malformed one is counted) but not carried (docs/DESIGN.md §11 D27).
     */
    private void readUserChangedUserId(MetaMessage message, String phoneNumberId, Collector collector) {
        MetaMessage.System system = message.system();
        if (isBlank(system.userId())) {
            collector.ignore(IgnoredReason.UNREADABLE_ENTRY);
            return;
        }
        String current = userId(system.userId(), null, collector);
        if (current == null) {
            return;
        }
        if (!isBlank(system.parentUserId())) {
            userId(system.parentUserId(), null, collector);
        }
        String named = !isBlank(system.previousUserId()) ? system.previousUserId()
                : !isBlank(message.fromUserId()) ? message.fromUserId() : previousInBody(system.body());
        String previous = named == null ? null : userId(named, null, collector);
        Instant metaTimestamp = epochSeconds(message.timestamp());
        if (outsideWindow(metaTimestamp, collector)) {
            return;
        }
        String waId = !isBlank(system.waId()) ? system.waId().strip() : blankToNull(message.from());
        if (previous == null || previous.equals(current)) {
            if (waId == null) {
                collector.ignore(IgnoredReason.UNREADABLE_ENTRY); // a new BSUID with nothing to tie it to
                return;
            }
            UUID eventId = eventId("message", message.id());
            InboundEvent event = new InboundEvent(eventId.toString(), InboundEvent.SCHEMA_VERSION, message.id(),
                    phoneNumberId, waId, InboundKind.OTHER, "system", null, null, null, null, metaTimestamp,
                    collector.receivedAt, current, null);
            collector.publish(new PublishableEvent(Destination.EVENTS, userKey(waId, current), eventId,
                    Topics.EVENT_TYPE_INBOUND, event));
            return;
        }
        UUID eventId = eventId(InboundEvent.USER_ID_UPDATE, previous, current);
        InboundEvent event = new InboundEvent(eventId.toString(), InboundEvent.SCHEMA_VERSION, null, phoneNumberId,
                waId, InboundKind.OTHER, InboundEvent.USER_ID_UPDATE, null, null, null, null, metaTimestamp,
                collector.receivedAt, current, previous);
        collector.publish(new PublishableEvent(Destination.EVENTS, userKey(waId, previous), eventId,
                Topics.EVENT_TYPE_INBOUND, event));
    }

    /** The old BSUID of a body "User Asha changed from US.111 to US.222", when it is one. */
    static String previousInBody(String body) {
        if (body == null) {
            return null;
        }
        java.util.regex.Matcher matcher = CHANGED_FROM.matcher(body);
        String previous = null;
        while (matcher.find()) {
            previous = matcher.group(1);
        }
        return previous != null && Bsuid.isValid(previous) ? previous : null;
    }

    /**
     * The entry's BSUID, else the one {@code contacts[]} gives for its phone number; a value that is not
     * a BSUID is counted, logged masked and dropped (null).
     */
    private static String userId(String own, String fromContacts, Collector collector) {
        String candidate = !isBlank(own) ? own : fromContacts;
        if (candidate == null) {
            return null;
        }
        if (!Bsuid.isValid(candidate)) {
            LOG.warnf("Dropped a user id that is not a business-scoped user id (country code, '.', up to 128 "
                    + "letters and digits): %s", Bsuid.mask(candidate));
            collector.ignore(IgnoredReason.INVALID_BSUID);
            return null;
        }
        return candidate;
    }

    /** {@code contacts[]} of a change: the BSUID of each phone number, and the only BSUID when there is one. */
    private Contacts contacts(JsonNode node, Collector collector) {
        Map<String, String> byPhone = new HashMap<>();
        List<String> userIds = new ArrayList<>();
        for (JsonNode entry : node) {
            MetaContact contact = bind(entry, MetaContact.class, collector);
            if (contact == null || isBlank(contact.userId())) {
                continue;
            }
            userIds.add(contact.userId());
            if (!isBlank(contact.waId())) {
                byPhone.put(contact.waId(), contact.userId());
            }
        }
        return new Contacts(byPhone, userIds.size() == 1 ? userIds.get(0) : null);
    }

    /** Kafka key of an event about a user: the phone number in E.164 when known, else the BSUID. */
    static String userKey(String waId, String userId) {
        return waId != null ? phoneKey(waId) : userId;
    }

    private static String blankToNull(String value) {
        return isBlank(value) ? null : value;
    }

    private record Contacts(Map<String, String> byPhone, String only) {

        /** The BSUID of the phone number (or, without one, of the change's only contact), if any. */
        String userIdOf(String waId) {
            return waId == null ? only : byPhone.get(waId);
        }
    }

    /** An entry dated outside the window is counted and dropped; one without a readable timestamp is kept. */
    private boolean outsideWindow(Instant metaTimestamp, Collector collector) {
        if (metaTimestamp == null || window.admits(metaTimestamp, collector.receivedAt)) {
            return false;
        }
        LOG.debugf("Dropped a webhook entry dated %s, received %s", metaTimestamp, collector.receivedAt);
        collector.ignore(IgnoredReason.TIMESTAMP_OUT_OF_WINDOW);
        return true;
    }

    private <T> T bind(JsonNode node, Class<T> type, Collector collector) {
        try {
            return mapper.treeToValue(node, type);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            collector.ignore(IgnoredReason.UNREADABLE_ENTRY);
            return null;
        }
    }

    private static String caption(MetaMessage message) {
        for (MetaMessage.Media media : new MetaMessage.Media[] {message.image(), message.video(), message.document(),
                message.audio(), message.sticker()}) {
            if (media != null && media.caption() != null) {
                return media.caption();
            }
        }
        return null;
    }

    /** A name-based UUID of Meta's identity of the thing: the same for every redelivery of it. */
    static UUID eventId(String... parts) {
        return UUID.nameUUIDFromBytes(String.join("\u001f", parts).getBytes(StandardCharsets.UTF_8));
    }

    /** Meta's user ids are the number without '+'; keys use E.164, as on {@code wacast.send-jobs}. */
    static String phoneKey(String waId) {
        return waId.startsWith("+") ? waId : "+" + waId;
    }

    private static Instant epochSeconds(String timestamp) {
        if (timestamp == null) {
            return null;
        }
        try {
            return Instant.ofEpochSecond(Long.parseLong(timestamp.strip()));
        } catch (NumberFormatException | DateTimeException e) {
            return null;
        }
    }

    private static boolean isBlank(String value) {
        return value == null || value.isBlank();
    }

    private static String textOrNull(JsonNode node) {
        return node.isValueNode() && !node.isNull() ? node.asText() : null;
    }

    private record Reply(InboundKind kind, String text, String payload, String contextWamid) {
    }

    /** Accumulates one request's events and ignored entries. */
    private static final class Collector {

        private final Instant receivedAt;
        private final List<PublishableEvent> events = new ArrayList<>();
        private final List<IgnoredReason> ignored = new ArrayList<>();

        Collector(Instant receivedAt) {
            this.receivedAt = receivedAt;
        }

        void publish(PublishableEvent event) {
            events.add(event);
        }

        void ignore(IgnoredReason reason) {
            ignored.add(reason);
        }

        WebhookBatch batch() {
            return new WebhookBatch(events, ignored);
        }
    }
}
