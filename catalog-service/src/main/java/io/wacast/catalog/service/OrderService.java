package io.wacast.catalog.service;

import io.quarkus.panache.common.Parameters;
import io.quarkus.panache.common.Sort;
import io.wacast.catalog.domain.Catalog;
import io.wacast.catalog.domain.CustomerOrder;
import io.wacast.catalog.domain.OrderFlag;
import io.wacast.catalog.domain.OrderItem;
import io.wacast.catalog.domain.OrderSource;
import io.wacast.catalog.domain.OrderStatus;
import io.wacast.catalog.service.Drafts.OrderDraft;
import io.wacast.catalog.service.Drafts.OrderLine;
import io.wacast.common.problem.Problem.FieldError;
import io.wacast.common.user.Bsuid;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.hibernate.Hibernate;

/**
 * Orders placed by operators or from carts (all-or-nothing: every line priced and reserved, or
 * nothing written), and the order state machine, which releases held stock on cancellation and
 * takes it out of stock on fulfilment.
 */
@ApplicationScoped
public class OrderService {

    @Inject
    CatalogService catalogs;

    @Inject
    SellableLookup sellables;

    @Inject
    InventoryService inventory;

    @Inject
    CatalogMetrics metrics;

    @Inject
    Paging paging;

    @Inject
    RowLock rowLock;

    @Transactional
    public CustomerOrder place(OrderDraft draft) {
        String phone = CustomerPhone.require(draft.customerPhone(), "customerPhone");
        return placeLines(catalogs.get(draft.catalogId()), phone, draft.items(), OrderSource.API, draft.note());
    }

    /** Prices every line from the catalog and reserves its stock; 422 for unknown items, 409 for missing stock. */
    @Transactional(Transactional.TxType.MANDATORY)
    CustomerOrder placeLines(Catalog catalog, String phone, List<OrderLine> lines, OrderSource source, String note) {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < lines.size(); i++) {
            if (!seen.add(lines.get(i).retailerId())) {
                throw CatalogProblem.invalid("each retailer id may appear once per order",
                        FieldError.of("items[" + i + "].retailerId", "duplicate of an earlier line"));
            }
        }
        Map<String, Sellable> found = sellables.byRetailerIds(catalog.id, seen);
        List<FieldError> unknown = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            if (!found.containsKey(lines.get(i).retailerId())) {
                unknown.add(FieldError.of("items[" + i + "].retailerId", "no product or variant '"
                        + lines.get(i).retailerId() + "' in catalog " + catalog.id));
            }
        }
        if (!unknown.isEmpty()) {
            throw CatalogProblem.unprocessable("unknown-product", "the order names items the catalog does not have", unknown);
        }
        CustomerOrder order = newOrder(catalog, phone, source);
        order.customerNote = note;
        for (OrderLine line : lines) {
            order.items.add(line(order, found.get(line.retailerId()), line.quantity()));
        }
        List<OrderItem> byLockOrder = new ArrayList<>(order.items);
        byLockOrder.sort(Comparator.comparing(item -> sellable(item).lockOrder()));
        for (OrderItem item : byLockOrder) {
            if (!inventory.reserve(sellable(item), item.quantity)) {
                metrics.reservationFailed();
                throw CatalogProblem.conflict("insufficient-stock", "not enough free stock of '" + item.retailerId
                        + "' for " + item.quantity + " units", FieldError.of("items[" + order.items.indexOf(item) + "].quantity",
                                "more than the free stock"));
            }
            item.reservedQuantity = item.quantity;
        }
        finish(order, EnumSet.noneOf(OrderFlag.class));
        order.persist();
        order.flush();
        metrics.orderCreated(source);
        return order;
    }

    @Transactional
    public CustomerOrder get(long id) {
        CustomerOrder order = CustomerOrder.<CustomerOrder>findByIdOptional(id)
                .orElseThrow(() -> CatalogProblem.notFound("order", id));
        Hibernate.initialize(order.items);
        return order;
    }

    @Transactional
    public Page<CustomerOrder> list(String customerPhone, String customerUserId, OrderStatus status, Long campaignId, Boolean flagged,
            Integer page, Integer size) {
        List<String> where = new ArrayList<>();
        Parameters params = new Parameters();
        if (customerPhone != null && !customerPhone.isBlank()) {
            where.add("customerPhone = :phone");
            params.and("phone", CustomerPhone.require(customerPhone, "customerPhone"));
        }
        if (customerUserId != null && !customerUserId.isBlank()) {
            if (!Bsuid.isValid(customerUserId)) {
                throw CatalogProblem.invalid("customerUserId: not a business-scoped user id", new FieldError(
                        "customerUserId", null, "not a business-scoped user id (CC.…)", Bsuid.mask(customerUserId)));
            }
            where.add("customerUserId = :userId");
            params.and("userId", customerUserId);
        }
        if (status != null) {
            where.add("status = :status");
            params.and("status", status);
        }
        if (campaignId != null) {
            where.add("campaignId = :campaign");
            params.and("campaign", campaignId);
        }
        if (flagged != null) {
            where.add("flagged = :flagged");
            params.and("flagged", flagged);
        }
        String hql = where.isEmpty() ? "from CustomerOrder" : "from CustomerOrder where " + String.join(" and ", where);
        Page<CustomerOrder> result = paging.page(CustomerOrder.find(hql, Sort.by("id"), params), page, size);
        result.items().forEach(order -> Hibernate.initialize(order.items));
        return result;
    }

    /**
     * Moves an order along its state machine; 409 for a move the machine does not allow. The order row
     * is locked first, so two concurrent cancellations cannot both release the same stock.
     */
    @Transactional
    public CustomerOrder changeStatus(long id, OrderStatus next) {
        if (!rowLock.lock(RowLock.Table.CUSTOMER_ORDER, id)) {
            throw CatalogProblem.notFound("order", id);
        }
        CustomerOrder order = CustomerOrder.findById(id);
        if (!order.status.canMoveTo(next)) {
            throw CatalogProblem.conflict("illegal-transition", "order " + id + " is " + order.status.wireName()
                    + " and cannot become " + next.wireName(), FieldError.of("status", "not allowed from "
                            + order.status.wireName()));
        }
        if (next == OrderStatus.CANCELLED || next == OrderStatus.FULFILLED) {
            List<OrderItem> byLockOrder = new ArrayList<>(order.items);
            byLockOrder.sort(Comparator.comparing(item -> sellable(item).lockOrder()));
            for (OrderItem item : byLockOrder) {
                if (item.reservedQuantity > 0 && item.productId != null) {
                    if (next == OrderStatus.CANCELLED) {
                        inventory.release(sellable(item), item.reservedQuantity);
                    } else {
                        inventory.consume(sellable(item), item.reservedQuantity);
                    }
                    item.reservedQuantity = 0;
                }
            }
        }
        order.status = next;
        order.flush();
        Hibernate.initialize(order.items);
        return order;
    }

    static CustomerOrder newOrder(Catalog catalog, String phone, OrderSource source) {
        CustomerOrder order = new CustomerOrder();
        order.catalogId = catalog == null ? null : catalog.id;
        order.metaCatalogId = catalog == null ? null : catalog.metaCatalogId;
        order.customerPhone = phone;
        order.status = OrderStatus.PENDING;
        order.source = source;
        return order;
    }

    static OrderItem line(CustomerOrder order, Sellable sellable, int quantity) {
        OrderItem item = new OrderItem();
        item.order = order;
        item.quantity = quantity;
        item.retailerId = sellable.retailerId();
        item.productId = sellable.productId();
        item.variantId = sellable.variantId();
        item.name = sellable.name();
        item.unitPriceMinor = sellable.priceMinor();
        item.currency = sellable.currency();
        return item;
    }

    static Sellable sellable(OrderItem item) {
        return new Sellable(item.productId, item.variantId, item.retailerId, item.name,
                item.unitPriceMinor == null ? 0 : item.unitPriceMinor, item.currency);
    }

    /**
     * Totals the catalog prices (one currency, else flagged; no total when no line has a catalog price)
     * and gathers the flags of every line.
     */
    static void finish(CustomerOrder order, Set<OrderFlag> orderFlags) {
        EnumSet<OrderFlag> flags = EnumSet.noneOf(OrderFlag.class);
        flags.addAll(orderFlags);
        Set<String> currencies = new HashSet<>();
        long total = 0;
        for (OrderItem item : order.items) {
            flags.addAll(item.flags);
            if (item.unitPriceMinor != null && item.quantity > 0 && !item.flags.contains(OrderFlag.INVALID_QUANTITY)) {
                currencies.add(item.currency);
                try {
                    total = Math.addExact(total, Math.multiplyExact(item.unitPriceMinor, (long) item.quantity));
                } catch (ArithmeticException overflow) {
                    throw CatalogProblem.unprocessable("total-too-large", "the order total exceeds "
                            + Long.MAX_VALUE + " minor units; prices are at most " + Drafts.MAX_PRICE_MINOR,
                            List.of(FieldError.of("items[" + order.items.indexOf(item) + "].quantity",
                                    "the order total would exceed " + Long.MAX_VALUE + " minor units")));
                }
            }
        }
        if (currencies.size() > 1) {
            flags.add(OrderFlag.MIXED_CURRENCY);
        }
        order.currency = currencies.size() == 1 ? currencies.iterator().next() : null;
        // No priced line (every product unknown) or several currencies: the total is unknown, not 0.
        order.totalMinor = currencies.size() == 1 ? total : null;
        order.flags = Set.copyOf(flags);
        order.flagged = !flags.isEmpty();
    }
}
