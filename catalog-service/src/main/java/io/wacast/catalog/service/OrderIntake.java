package io.wacast.catalog.service;

import io.wacast.catalog.domain.Catalog;
import io.wacast.catalog.domain.CustomerOrder;
import io.wacast.catalog.domain.Money;
import io.wacast.catalog.domain.OrderFlag;
import io.wacast.catalog.domain.OrderItem;
import io.wacast.catalog.domain.OrderSource;
import io.wacast.common.event.OrderEvent;
import io.wacast.common.phone.PhoneNumberResult;
import io.wacast.common.phone.PhoneNumbers;
import io.wacast.common.user.Bsuid;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Currency;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * Turns a WhatsApp {@code order} message into an order. Unlike an operator's order it is never
 * refused: the customer has already pressed "send", so unknown items, prices that differ from the
 * catalog and missing stock become flags on the order for an operator, and the order is kept.
 * Idempotent on the event id and on the inbound message id (checked here, guaranteed by unique keys).
 */
@ApplicationScoped
public class OrderIntake {

    /** The actor written in audit fields for orders created from Kafka. */
    public static final String ACTOR = "kafka:wacast.orders";
    static final int MAX_QUANTITY = 100_000;

    @Inject
    SellableLookup sellables;

    @Inject
    InventoryService inventory;

    @Inject
    CatalogMetrics metrics;

    @Inject
    OrderAttributions attributions;

    /** Why an event is unusable, or empty when it can become an order. */
    public static Optional<String> malformed(OrderEvent event) {
        boolean noNumber = event.from() == null || event.from().isBlank();
        if (noNumber && (event.fromUserId() == null || event.fromUserId().isBlank())) {
            return Optional.of("no sender number or user id");
        }
        if (noNumber && !Bsuid.isValid(event.fromUserId())) {
            return Optional.of("no sender number, and the user id is not a business-scoped user id");
        }
        if (event.items().isEmpty()) {
            return Optional.of("no product items");
        }
        if (event.items().stream().anyMatch(item -> item == null)) {
            return Optional.of("a null product item");
        }
        return Optional.empty();
    }

    /** Whether an order already exists for the event or its message (after a lost race on the unique keys). */
    @Transactional
    public boolean alreadyTaken(OrderEvent event) {
        return CustomerOrder.existsForEventOrMessage(event.eventId(), event.messageId());
    }

    /** The new order, or empty when the event or its message was already taken. */
    @Transactional
    public Optional<CustomerOrder> accept(OrderEvent event) {
        if (CustomerOrder.existsForEventOrMessage(event.eventId(), event.messageId())) {
            return Optional.empty();
        }
        Optional<Catalog> catalog = event.catalogId() == null ? Optional.empty() : Catalog.findByMetaCatalogId(event.catalogId());
        CustomerOrder order = OrderService.newOrder(catalog.orElse(null), customerPhone(event.from()), OrderSource.WHATSAPP);
        order.customerUserId = Bsuid.isValid(event.fromUserId()) ? event.fromUserId() : null;
        order.metaCatalogId = truncate(event.catalogId(), 64);
        order.eventId = event.eventId();
        order.messageId = event.messageId();
        order.campaignId = event.campaignId();
        order.contextWamid = truncate(event.contextWamid(), 255);
        order.customerNote = truncate(event.text(), 2000);
        Set<OrderFlag> orderFlags = catalog.isPresent() ? Set.of() : Set.of(OrderFlag.UNKNOWN_CATALOG);

        List<String> retailerIds = event.items().stream().map(OrderEvent.Item::productRetailerId)
                .filter(id -> id != null).toList();
        Map<String, Sellable> found = catalog.map(c -> sellables.byRetailerIds(c.id, retailerIds)).orElse(Map.of());
        List<OrderItem> reservable = new ArrayList<>();
        for (OrderEvent.Item eventItem : event.items()) {
            OrderItem item = line(order, eventItem, found.get(eventItem.productRetailerId()));
            order.items.add(item);
            if (!item.flags.contains(OrderFlag.UNKNOWN_PRODUCT) && !item.flags.contains(OrderFlag.INVALID_QUANTITY)) {
                reservable.add(item);
            }
        }
        reservable.sort(Comparator.comparing(item -> OrderService.sellable(item).lockOrder()));
        for (OrderItem item : reservable) {
            if (inventory.reserve(OrderService.sellable(item), item.quantity)) {
                item.reservedQuantity = item.quantity;
            } else {
                metrics.reservationFailed();
                item.flags = with(item.flags, OrderFlag.OUT_OF_STOCK);
            }
        }
        OrderService.finish(order, orderFlags);
        order.persist();
        order.flush();
        attributions.creditArrived(order);
        metrics.orderCreated(OrderSource.WHATSAPP);
        order.flags.forEach(metrics::orderFlagged);
        return Optional.of(order);
    }

    private static OrderItem line(CustomerOrder order, OrderEvent.Item eventItem, Sellable sellable) {
        EnumSet<OrderFlag> flags = EnumSet.noneOf(OrderFlag.class);
        OrderItem item;
        if (sellable == null) {
            item = new OrderItem();
            item.order = order;
            item.retailerId = eventItem.productRetailerId() == null ? "" : truncate(eventItem.productRetailerId(), 100);
            item.quantity = eventItem.quantity();
            flags.add(OrderFlag.UNKNOWN_PRODUCT);
        } else {
            item = OrderService.line(order, sellable, eventItem.quantity());
        }
        if (eventItem.quantity() <= 0 || eventItem.quantity() > MAX_QUANTITY) {
            flags.add(OrderFlag.INVALID_QUANTITY);
        }
        Optional<Currency> currency = Money.currency(eventItem.currency());
        OptionalLong seen = currency.isPresent() ? Money.toMinor(eventItem.itemPrice(), currency.get()) : OptionalLong.empty();
        if (seen.isPresent()) {
            item.customerUnitPriceMinor = seen.getAsLong();
            item.customerCurrency = currency.get().getCurrencyCode();
            if (sellable != null && (seen.getAsLong() != sellable.priceMinor() || !item.customerCurrency.equals(sellable.currency()))) {
                flags.add(OrderFlag.PRICE_MISMATCH);
            }
        } else {
            flags.add(OrderFlag.INVALID_PRICE);
        }
        item.flags = Set.copyOf(flags);
        return item;
    }

    /**
     * Meta's {@code from} has no '+'; a number libphonenumber rejects is still kept, as digits. A user
     * known only by BSUID has none.
     */
    private static String customerPhone(String from) {
        if (from == null || from.isBlank()) {
            return null;
        }
        String raw = from.strip().startsWith("+") ? from.strip() : "+" + from.strip();
        if (PhoneNumbers.normalise(raw, null) instanceof PhoneNumberResult.Valid valid) {
            return valid.e164();
        }
        return truncate(raw.replaceAll("[^+0-9]", ""), 20);
    }

    private static Set<OrderFlag> with(Set<OrderFlag> flags, OrderFlag flag) {
        EnumSet<OrderFlag> copy = EnumSet.of(flag);
        copy.addAll(flags);
        return Set.copyOf(copy);
    }

    private static String truncate(String value, int max) {
        return value == null || value.length() <= max ? value : value.substring(0, max);
    }
}
