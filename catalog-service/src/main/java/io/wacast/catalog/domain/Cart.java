package io.wacast.catalog.domain;

import jakarta.persistence.CascadeType;
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

/** A customer's basket in one catalog, built by an operator or an agent before it becomes an order. */
@Entity
@Table(name = "cart")
public class Cart extends Audited {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "catalog_id", updatable = false)
    public Long catalogId;

    @Column(name = "customer_phone", updatable = false)
    public String customerPhone;

    @Convert(converter = WireEnumConverters.CartStatusConverter.class)
    public CartStatus status;

    @Column(name = "order_id")
    public Long orderId;

    @Version
    public long version;

    @OneToMany(mappedBy = "cart", cascade = CascadeType.ALL, orphanRemoval = true)
    @OrderBy("id")
    public List<CartItem> items = new ArrayList<>();
}
