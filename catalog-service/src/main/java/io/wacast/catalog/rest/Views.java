package io.wacast.catalog.rest;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.wacast.catalog.domain.Availability;
import io.wacast.catalog.domain.Cart;
import io.wacast.catalog.domain.CartItem;
import io.wacast.catalog.domain.CartStatus;
import io.wacast.catalog.domain.Catalog;
import io.wacast.catalog.domain.CustomerOrder;
import io.wacast.catalog.domain.OrderFlag;
import io.wacast.catalog.domain.OrderItem;
import io.wacast.catalog.domain.OrderSource;
import io.wacast.catalog.domain.OrderStatus;
import io.wacast.catalog.domain.ParkedEvent;
import io.wacast.catalog.domain.Product;
import io.wacast.catalog.domain.ProductVariant;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The JSON the API answers with: entities as operators see them, audit fields included, never a key hash. */
public final class Views {

    /**
     * The service's one mapper outside CDI (the rest take Quarkus's injected one): the views are made by
     * static factories, and a variant's stored attributes are read with Jackson's defaults.
     */
    private static final ObjectMapper ATTRIBUTES = JsonMapper.builder().build();

    public record Audit(Instant createdAt, String createdBy, Instant updatedAt, String updatedBy) {
    }

    public record CatalogView(long id, String name, String metaCatalogId, String description, Audit audit) {
        static CatalogView of(Catalog c) {
            return new CatalogView(c.id, c.name, c.metaCatalogId, c.description,
                    new Audit(c.createdAt, c.createdBy, c.updatedAt, c.updatedBy));
        }
    }

    public record VariantView(long id, String retailerId, String name, long priceMinor, String currency,
            Map<String, String> attributes, int stock, int reserved, int available, Audit audit) {
        static VariantView of(ProductVariant v) {
            return new VariantView(v.id, v.retailerId, v.name, v.priceMinor, v.currency, parseAttributes(v.attributes),
                    v.stock, v.reserved, v.stock - v.reserved, new Audit(v.createdAt, v.createdBy, v.updatedAt, v.updatedBy));
        }
    }

    public record ProductView(long id, long catalogId, String retailerId, String name, String description, long priceMinor,
            String currency, String imageUrl, Availability availability, int stock, int reserved, int available,
            List<VariantView> variants, Audit audit) {
        static ProductView of(Product p) {
            return new ProductView(p.id, p.catalogId, p.retailerId, p.name, p.description, p.priceMinor, p.currency,
                    p.imageUrl, p.availability, p.stock, p.reserved, p.stock - p.reserved,
                    p.variants.stream().map(VariantView::of).toList(),
                    new Audit(p.createdAt, p.createdBy, p.updatedAt, p.updatedBy));
        }
    }

    public record CartItemView(long id, long productId, Long variantId, String retailerId, int quantity) {
        static CartItemView of(CartItem i) {
            return new CartItemView(i.id, i.productId, i.variantId, i.retailerId, i.quantity);
        }
    }

    public record CartView(long id, long catalogId, String customerPhone, CartStatus status, Long orderId,
            List<CartItemView> items, Audit audit) {
        static CartView of(Cart c) {
            return new CartView(c.id, c.catalogId, c.customerPhone, c.status, c.orderId,
                    c.items.stream().map(CartItemView::of).toList(),
                    new Audit(c.createdAt, c.createdBy, c.updatedAt, c.updatedBy));
        }
    }

    public record OrderItemView(long id, String retailerId, Long productId, Long variantId, String name, int quantity,
            Long unitPriceMinor, String currency, Long customerUnitPriceMinor, String customerCurrency,
            int reservedQuantity, Set<OrderFlag> flags) {
        static OrderItemView of(OrderItem i) {
            return new OrderItemView(i.id, i.retailerId, i.productId, i.variantId, i.name, i.quantity, i.unitPriceMinor,
                    i.currency, i.customerUnitPriceMinor, i.customerCurrency, i.reservedQuantity, i.flags);
        }
    }

    public record OrderView(long id, Long catalogId, String metaCatalogId, String customerPhone, String customerUserId,
            OrderStatus status, OrderSource source, String eventId, String messageId, Long campaignId, Long recipientId, String attributedBy,
            String contextWamid, Long totalMinor,
            String currency, boolean flagged, Set<OrderFlag> flags, String note, List<OrderItemView> items, Audit audit) {
        static OrderView of(CustomerOrder o) {
            return new OrderView(o.id, o.catalogId, o.metaCatalogId, o.customerPhone, o.customerUserId, o.status, o.source,
                    o.eventId,
                    o.messageId, o.campaignId, o.recipientId, o.attributedBy, o.contextWamid, o.totalMinor, o.currency, o.flagged, o.flags, o.customerNote,
                    o.items.stream().map(OrderItemView::of).toList(),
                    new Audit(o.createdAt, o.createdBy, o.updatedAt, o.updatedBy));
        }
    }

    /** A parked record: where it came from, why it failed, whether and by whom it was replayed. */
    public record ParkedEventView(long id, String topic, int partition, long offset, String key, String payload,
            String reason, Instant parkedAt, Instant replayedAt, String replayedBy) {
        static ParkedEventView of(ParkedEvent p) {
            return new ParkedEventView(p.id, p.topic, p.recordPartition, p.recordOffset, p.recordKey, p.payload, p.reason, p.parkedAt,
                    p.replayedAt, p.replayedBy);
        }
    }

    private static Map<String, String> parseAttributes(String json) {
        if (json == null) {
            return Map.of();
        }
        try {
            return ATTRIBUTES.readValue(json, new TypeReference<Map<String, String>>() { });
        } catch (java.io.IOException e) {
            throw new IllegalStateException("variant attributes are written by this service as a JSON object", e);
        }
    }

    private Views() {
    }
}
