package io.wacast.catalog.domain;

import jakarta.persistence.Column;
import jakarta.persistence.Convert;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.Table;
import java.util.Set;

/**
 * One line of an order. It keeps both the catalog's price and the price the customer saw in WhatsApp,
 * so that a difference is visible (flagged) rather than silently resolved, and how much stock it holds.
 */
@Entity
@Table(name = "customer_order_item")
public class OrderItem extends Audited {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    @JoinColumn(name = "order_id", updatable = false)
    public CustomerOrder order;

    @Column(name = "product_id", updatable = false)
    public Long productId;

    @Column(name = "variant_id", updatable = false)
    public Long variantId;

    @Column(name = "retailer_id", updatable = false)
    public String retailerId;

    public String name;

    public int quantity;

    @Column(name = "unit_price_minor")
    public Long unitPriceMinor;

    public String currency;

    @Column(name = "customer_unit_price_minor")
    public Long customerUnitPriceMinor;

    @Column(name = "customer_currency")
    public String customerCurrency;

    @Column(name = "reserved_quantity")
    public int reservedQuantity;

    /** Set a new set rather than changing this one: the column is written when the reference changes. */
    @Convert(converter = WireEnumConverters.OrderFlagsConverter.class)
    public Set<OrderFlag> flags = Set.of();
}
