package io.wacast.catalog.service;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.wacast.catalog.domain.OrderFlag;
import io.wacast.catalog.domain.OrderSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/** The commerce counters ops watch: orders by source, flagged orders by reason, stock that could not be held. */
@ApplicationScoped
public class CatalogMetrics {

    @Inject
    MeterRegistry registry;

    public void orderCreated(OrderSource source) {
        Counter.builder("wacast.catalog.orders.created").description("Orders created")
                .tag("source", source.wireName()).register(registry).increment();
    }

    public void orderFlagged(OrderFlag flag) {
        Counter.builder("wacast.catalog.orders.flagged").description("Orders kept with a flag for an operator")
                .tag("reason", flag.wireName()).register(registry).increment();
    }

    public void reservationFailed() {
        Counter.builder("wacast.catalog.reservations.failed")
                .description("Reservations refused because too few units were free").register(registry).increment();
    }

    public void orderEventSkipped(String reason) {
        Counter.builder("wacast.catalog.order.events.skipped")
                .description("Order events acknowledged without creating an order").tag("reason", reason)
                .register(registry).increment();
    }
}
