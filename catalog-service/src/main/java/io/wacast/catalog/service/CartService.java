package io.wacast.catalog.service;

import io.quarkus.panache.common.Sort;
import io.wacast.catalog.domain.Cart;
import io.wacast.catalog.domain.CartItem;
import io.wacast.catalog.domain.CartStatus;
import io.wacast.catalog.domain.CustomerOrder;
import io.wacast.catalog.domain.OrderSource;
import io.wacast.catalog.service.Drafts.CartDraft;
import io.wacast.catalog.service.Drafts.OrderLine;
import io.wacast.common.problem.Problem.FieldError;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.hibernate.Hibernate;

/** Carts per customer phone and catalog; a checkout turns one into an order that holds the stock. */
@ApplicationScoped
public class CartService {

    @Inject
    CatalogService catalogs;

    @Inject
    SellableLookup sellables;

    @Inject
    OrderService orders;

    @Inject
    Paging paging;

    @Inject
    RowLock rowLock;

    @Transactional
    public Cart create(CartDraft draft) {
        Cart cart = new Cart();
        cart.catalogId = catalogs.get(draft.catalogId()).id;
        cart.customerPhone = CustomerPhone.require(draft.customerPhone(), "customerPhone");
        cart.status = CartStatus.OPEN;
        cart.persist();
        cart.flush();
        return cart;
    }

    @Transactional
    public Page<Cart> list(String customerPhone, Integer page, Integer size) {
        Page<Cart> result = customerPhone == null || customerPhone.isBlank()
                ? paging.page(Cart.findAll(Sort.by("id")), page, size)
                : paging.page(Cart.find("customerPhone", Sort.by("id"),
                        CustomerPhone.require(customerPhone, "customerPhone")), page, size);
        result.items().forEach(cart -> Hibernate.initialize(cart.items));
        return result;
    }

    @Transactional
    public Cart get(long id) {
        Cart cart = find(id);
        Hibernate.initialize(cart.items);
        return cart;
    }

    /** Adds units of an item; a second add of the same item raises its quantity. */
    @Transactional
    public Cart addItem(long cartId, OrderLine line) {
        Cart cart = open(cartId);
        Map<String, Sellable> found = sellables.byRetailerIds(cart.catalogId, List.of(line.retailerId()));
        Sellable sellable = found.get(line.retailerId());
        if (sellable == null) {
            throw CatalogProblem.unprocessable("unknown-product", "no product or variant '" + line.retailerId()
                    + "' in catalog " + cart.catalogId, List.of(FieldError.of("retailerId", "not in the catalog")));
        }
        Optional<CartItem> existing = cart.items.stream().filter(item -> item.retailerId.equals(line.retailerId())).findFirst();
        if (existing.isPresent()) {
            existing.get().quantity = Math.addExact(existing.get().quantity, line.quantity());
        } else {
            CartItem item = new CartItem();
            item.cart = cart;
            item.productId = sellable.productId();
            item.variantId = sellable.variantId();
            item.retailerId = sellable.retailerId();
            item.quantity = line.quantity();
            cart.items.add(item);
        }
        cart.flush();
        return cart;
    }

    @Transactional
    public Cart changeQuantity(long cartId, long itemId, int quantity) {
        Cart cart = open(cartId);
        item(cart, itemId).quantity = quantity;
        cart.flush();
        return cart;
    }

    @Transactional
    public Cart removeItem(long cartId, long itemId) {
        Cart cart = open(cartId);
        cart.items.remove(item(cart, itemId));
        cart.flush();
        return cart;
    }

    /** Places the cart's order (all lines reserved, or 409 and nothing changes) and closes the cart. */
    @Transactional
    public CustomerOrder checkout(long cartId) {
        Cart cart = open(cartId);
        if (cart.items.isEmpty()) {
            throw CatalogProblem.conflict("cart-empty", "cart " + cartId + " has no items to order");
        }
        List<OrderLine> lines = cart.items.stream().map(item -> new OrderLine(item.retailerId, item.quantity)).toList();
        CustomerOrder order = orders.placeLines(catalogs.get(cart.catalogId), cart.customerPhone, lines, OrderSource.CART, null);
        cart.status = CartStatus.CHECKED_OUT;
        cart.orderId = order.id;
        return order;
    }

    private Cart open(long cartId) {
        if (!rowLock.lock(RowLock.Table.CART, cartId)) {
            throw CatalogProblem.notFound("cart", cartId);
        }
        Cart cart = find(cartId);
        if (cart.status != CartStatus.OPEN) {
            throw CatalogProblem.conflict("cart-checked-out", "cart " + cartId + " was checked out as order " + cart.orderId
                    + " and can no longer change");
        }
        return cart;
    }

    private static Cart find(long id) {
        return Cart.<Cart>findByIdOptional(id).orElseThrow(() -> CatalogProblem.notFound("cart", id));
    }

    private static CartItem item(Cart cart, long itemId) {
        return cart.items.stream().filter(item -> item.id == itemId).findFirst()
                .orElseThrow(() -> CatalogProblem.notFound("cart item", itemId + " of cart " + cart.id));
    }
}
