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
import jakarta.persistence.Version;

/**
 * One option of a product (a tour package's room type, a shirt's size) with its own retailer id, price
 * and stock. {@code catalogId} is repeated from the product so that the database keeps retailer ids
 * unique per catalog.
 */
@Entity
@Table(name = "product_variant")
public class ProductVariant extends Audited {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    @JoinColumn(name = "product_id", updatable = false)
    public Product product;

    @Column(name = "catalog_id", updatable = false)
    public Long catalogId;

    @Column(name = "retailer_id")
    public String retailerId;

    public String name;

    @Column(name = "price_minor")
    public long priceMinor;

    public String currency;

    /** JSON object text, e.g. {"room":"deluxe"}; the database keeps it as text for MySQL and MariaDB alike. */
    public String attributes;

    @Column(updatable = false)
    public int stock;

    @Column(updatable = false)
    public int reserved;

    @Version
    public long version;
}
