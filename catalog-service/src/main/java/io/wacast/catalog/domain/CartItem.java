package io.wacast.catalog.domain;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.Table;

/** A quantity of one sellable item (a product, or one of its variants) in a cart; priced at checkout. */
@Entity
@Table(name = "cart_item")
public class CartItem extends Audited {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    @JoinColumn(name = "cart_id", updatable = false)
    public Cart cart;

    @Column(name = "product_id", updatable = false)
    public Long productId;

    @Column(name = "variant_id", updatable = false)
    public Long variantId;

    @Column(name = "retailer_id", updatable = false)
    public String retailerId;

    public int quantity;
}
