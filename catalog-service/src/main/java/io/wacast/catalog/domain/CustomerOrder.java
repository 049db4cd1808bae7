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
import java.util.Set;

/**
 * An order of a customer, priced from the catalog. Orders from WhatsApp carry the event and message
 * ids they came from (each unique, which makes a replayed event a no-op), the campaign that reached
 * the customer and the wamid of the message the customer answered, for attribution.
 */
@Entity
@Table(name = "customer_order")
public class CustomerOrder extends Audited {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "catalog_id")
    public Long catalogId;

    @Column(name = "meta_catalog_id")
    public String metaCatalogId;

    /** The customer's number in E.164; null for a WhatsApp order from a user known only by BSUID. */
    @Column(name = "customer_phone", updatable = false)
    public String customerPhone;

    /** The customer's business-scoped user id, when Meta sent one (WhatsApp orders only). */
    @Column(name = "customer_user_id", updatable = false)
    public String customerUserId;

    @Convert(converter = WireEnumConverters.OrderStatusConverter.class)
    public OrderStatus status;

    @Convert(converter = WireEnumConverters.OrderSourceConverter.class)
    @Column(updatable = false)
    public OrderSource source;

    @Column(name = "event_id", updatable = false)
    public String eventId;

    @Column(name = "message_id", updatable = false)
    public String messageId;

    /** The campaign the order is credited to (docs/DESIGN.md §11 D18); set by its OrderAttribution. */
    @Column(name = "campaign_id")
    public Long campaignId;

    /** The campaign's recipient who ordered. */
    @Column(name = "recipient_id")
    public Long recipientId;

    /** {@code context} (the order quoted the campaign's message) or {@code window}. */
    @Column(name = "attributed_by")
    public String attributedBy;

    @Column(name = "context_wamid", updatable = false)
    public String contextWamid;

    public String currency;

    @Column(name = "total_minor")
    public Long totalMinor;

    public boolean flagged;

    /** Every flag of the order and of its lines; set a new set rather than changing this one. */
    @Convert(converter = WireEnumConverters.OrderFlagsConverter.class)
    public Set<OrderFlag> flags = Set.of();

    @Column(name = "customer_note")
    public String customerNote;

    @Version
    public long version;

    @OneToMany(mappedBy = "order", cascade = CascadeType.ALL, orphanRemoval = true)
    @OrderBy("id")
    public List<OrderItem> items = new ArrayList<>();

    public static boolean existsForEventOrMessage(String eventId, String messageId) {
        return messageId == null
                ? count("eventId", eventId) > 0
                : count("eventId = ?1 or messageId = ?2", eventId, messageId) > 0;
    }
}
