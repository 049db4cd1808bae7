package io.wacast.catalog.service;

import io.wacast.catalog.domain.CustomerOrder;
import io.wacast.catalog.domain.OrderAttributionRow;
import io.wacast.common.event.OrderAttribution;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.Optional;

/**
 * Credits orders to campaigns from the campaign-service's {@link OrderAttribution}s (docs/DESIGN.md §3,
 * §11 D18). The attribution and the order travel on different topics, so either may come first: every
 * attribution is stored by its order message id, then set on the order if the order is there; an order
 * stored later reads the attribution with a lock right after its own insert. Whichever transaction
 * commits second sees the other's row (the locking read waits for an uncommitted attribution; a
 * deadlock between the two is rolled back and retried by its consumer), so an order is credited
 * exactly once, and a redelivered attribution changes nothing.
 */
@ApplicationScoped
public class OrderAttributions {

    /** Why an attribution is unusable, or empty. */
    public static Optional<String> malformed(OrderAttribution attribution) {
        if (attribution.orderMessageId() == null || attribution.orderMessageId().isBlank()) {
            return Optional.of("no order message id");
        }
        if (attribution.orderMessageId().length() > 255) {
            return Optional.of("an order message id longer than 255 characters");
        }
        if (attribution.campaignId() <= 0 || attribution.recipientId() <= 0) {
            return Optional.of("no campaign or recipient");
        }
        return Optional.empty();
    }

    /** Stores the attribution and credits its order if it is there; true when an order changed. */
    @Transactional
    public boolean apply(OrderAttribution attribution) {
        if (OrderAttributionRow.findByIdOptional(attribution.orderMessageId()).isEmpty()) {
            OrderAttributionRow row = new OrderAttributionRow();
            row.messageId = attribution.orderMessageId();
            row.eventId = attribution.eventId();
            row.campaignId = attribution.campaignId();
            row.recipientId = attribution.recipientId();
            row.attributedBy = attribution.attributedBy() == null ? OrderAttribution.BY_CONTEXT
                    : attribution.attributedBy().substring(0, Math.min(8, attribution.attributedBy().length()));
            row.receivedAt = Instant.now();
            row.persist();
            row.flush();
        }
        return CustomerOrder.update("campaignId = ?1, recipientId = ?2, attributedBy = ?3"
                        + " where messageId = ?4 and campaignId is null",
                attribution.campaignId(), attribution.recipientId(), attribution.attributedBy(),
                attribution.orderMessageId()) > 0;
    }

    /**
     * Credits an order just inserted (and flushed) in the caller's transaction from an attribution that
     * arrived before it; the read locks, so an attribution being stored concurrently is waited for.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void creditArrived(CustomerOrder order) {
        if (order.messageId == null || order.campaignId != null) {
            return;
        }
        // A native locking read: Hibernate's MySQL dialect writes FOR UPDATE OF <alias>, which MariaDB refuses.
        @SuppressWarnings("unchecked")
        java.util.List<Object[]> rows = OrderAttributionRow.getEntityManager().createNativeQuery(
                "SELECT campaign_id, recipient_id, attributed_by FROM order_attribution WHERE message_id = ?1 FOR UPDATE")
                .setParameter(1, order.messageId).getResultList();
        if (!rows.isEmpty()) {
            order.campaignId = ((Number) rows.get(0)[0]).longValue();
            order.recipientId = ((Number) rows.get(0)[1]).longValue();
            order.attributedBy = (String) rows.get(0)[2];
        }
    }
}
