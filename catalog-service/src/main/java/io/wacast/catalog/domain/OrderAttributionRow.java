package io.wacast.catalog.domain;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/**
 * An {@code OrderAttribution} as received from {@code wacast.attributions}, kept by the order message
 * it credits, so an order that arrives after it still gets its campaign (docs/DESIGN.md §11 D18).
 */
@Entity
@Table(name = "order_attribution")
public class OrderAttributionRow extends PanacheEntityBase {

    @Id
    @Column(name = "message_id")
    public String messageId;

    @Column(name = "event_id")
    public String eventId;

    @Column(name = "campaign_id")
    public long campaignId;

    @Column(name = "recipient_id")
    public long recipientId;

    @Column(name = "attributed_by")
    public String attributedBy;

    @Column(name = "received_at")
    public Instant receivedAt;
}
