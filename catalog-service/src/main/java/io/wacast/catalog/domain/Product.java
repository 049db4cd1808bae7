package io.wacast.catalog.domain;

import jakarta.persistence.Column;
import jakarta.persistence.Convert;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.OneToMany;
import jakarta.persistence.OrderBy;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.util.ArrayList;
import java.util.List;

/**
 * A product of a catalog, sold under its {@code retailerId} (Meta's {@code product_retailer_id}). A
 * product without variants keeps its own stock; one with variants is sold through them.
 * {@code stock} and {@code reserved} are not updatable through the entity: only the conditional
 * UPDATEs of the inventory change them, so a stale entity can never overwrite a reservation.
 */
@Entity
@Table(name = "product")
public class Product extends Audited {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "catalog_id", updatable = false)
    public Long catalogId;

    @Column(name = "retailer_id")
    public String retailerId;

    public String name;

    public String description;

    @Column(name = "price_minor")
    public long priceMinor;

    public String currency;

    @Column(name = "image_url")
    public String imageUrl;

    @Convert(converter = WireEnumConverters.AvailabilityConverter.class)
    public Availability availability;

    @Column(updatable = false)
    public int stock;

    @Column(updatable = false)
    public int reserved;

    @Version
    public long version;

    @OneToMany(mappedBy = "product")
    @OrderBy("id")
    public List<ProductVariant> variants = new ArrayList<>();
}
