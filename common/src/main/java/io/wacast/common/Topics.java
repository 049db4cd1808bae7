package io.wacast.common;

import java.util.List;

/**
 * Kafka topic names in one place, so producers, consumers and the broker setup cannot drift apart.
 * {@code infra/topics.conf} carries the same partition counts for the scripts that create topics.
 */
public final class Topics {

    /** Keyed by recipient phone (E.164); sender replicas scale up to its partition count. */
    public static final String SEND_JOBS = "wacast.send-jobs";
    /** Keyed by campaign id. */
    public static final String OUTCOMES = "wacast.outcomes";
    /** Keyed by campaign id, or by phone when the campaign is unknown. */
    public static final String EVENTS = "wacast.events";
    /** Keyed by phone. */
    public static final String ORDERS = "wacast.orders";
    /** Keyed by campaign id and compacted: the latest control state of every campaign. */
    public static final String CAMPAIGN_CONTROL = "wacast.campaign-control";
    /**
     * Keyed by WABA id: {@code AccountSignal}s (template status, quality and category; number quality and
     * throughput; the portfolio's messaging limit; account restrictions and bans).
     */
    public static final String ACCOUNT_SIGNALS = "wacast.account-signals";
    /**
     * Keyed by service: {@code AuditEvent}s of operator changes made in services other than the
     * campaign-service, which keeps the one audit log (docs/DESIGN.md D21).
     */
    public static final String AUDIT = "wacast.audit";
    /**
     * Keyed by the customer's phone (E.164): {@code OrderAttribution}s, published by the campaign-service
     * through its outbox when it attributes an order to a campaign; consumed by the catalog-service.
     */
    public static final String ATTRIBUTIONS = "wacast.attributions";

    /**
     * Kafka header naming the record type, for topics that carry more than one:
     * {@value #EVENT_TYPE_STATUS} or {@value #EVENT_TYPE_INBOUND} on {@link #EVENTS},
     * {@value #EVENT_TYPE_ORDER} on {@link #ORDERS}.
     */
    public static final String EVENT_TYPE_HEADER = "wacast-event-type";
    public static final String EVENT_TYPE_STATUS = "status";
    public static final String EVENT_TYPE_INBOUND = "inbound";
    public static final String EVENT_TYPE_ORDER = "order";
    /** The header value of {@link #ACCOUNT_SIGNALS} records. */
    public static final String EVENT_TYPE_ACCOUNT_SIGNAL = "account-signal";
    /** The header value of {@link #ATTRIBUTIONS} records. */
    public static final String EVENT_TYPE_ATTRIBUTION = "order-attribution";

    public static final List<TopicSpec> ALL = List.of(
            new TopicSpec(SEND_JOBS, 12, false),
            new TopicSpec(OUTCOMES, 6, false),
            new TopicSpec(EVENTS, 6, false),
            new TopicSpec(ORDERS, 3, false),
            new TopicSpec(CAMPAIGN_CONTROL, 3, true),
            new TopicSpec(ACCOUNT_SIGNALS, 3, false),
            new TopicSpec(AUDIT, 1, false),
            new TopicSpec(ATTRIBUTIONS, 3, false));

    public record TopicSpec(String name, int partitions, boolean compacted) {
    }

    private Topics() {
    }
}
