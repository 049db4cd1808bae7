package io.wacast.sender.service;

import java.time.Clock;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.Scheduled;
import io.wacast.sender.budget.TokenBudget;
import io.wacast.sender.config.SenderConfig;
import io.wacast.sender.ledger.LedgerRetention;

/**
 * Keeps the sender's tables bounded (docs/DESIGN.md §7, Retention): settled ledger rows older than
 * {@code retention.ledger} and token schedules idle longer than {@code retention.idle-budget} are
 * deleted in chunks, every {@code retention.interval}, on every replica (the deletes are idempotent).
 */
@ApplicationScoped
public class Retention {

    private static final Logger LOG = Logger.getLogger(Retention.class);
    static final int CHUNK = 5_000;

    private final SenderConfig config;
    private final LedgerRetention ledger;
    private final TokenBudget budgets;
    private final Clock clock;
    private final Counter ledgerRows;
    private final Counter budgetRows;

    Retention(SenderConfig config, LedgerRetention ledger, TokenBudget budgets, MeterRegistry registry) {
        this.config = config;
        this.ledger = ledger;
        this.budgets = budgets;
        this.clock = Clock.systemUTC();
        String name = "wacast.sender.retention.purged";
        String description = "Rows deleted by the retention policy";
        this.ledgerRows = Counter.builder(name).description(description).tag("table", "send_ledger").register(registry);
        this.budgetRows = Counter.builder(name).description(description).tag("table", "token_budget").register(registry);
    }

    @Scheduled(every = "${wacast.sender.retention.interval:10m}", delayed = "1m",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduled() {
        try {
            purge();
        } catch (RuntimeException e) {
            LOG.warnf("retention purge failed, trying again at the next round: %s", e.getMessage());
        }
    }

    /** One round: every chunk that is due. Returns the rows deleted from the ledger and the budgets. */
    public long purge() {
        long nowMs = clock.millis();
        long ledgerDeleted = chunks(() -> ledger.purgeSettled(nowMs - config.retention().ledger().toMillis(), CHUNK));
        long budgetsDeleted = chunks(() -> budgets.purgeIdle(
                TimeUnit.MILLISECONDS.toMicros(nowMs - config.retention().idleBudget().toMillis()), CHUNK));
        ledgerRows.increment(ledgerDeleted);
        budgetRows.increment(budgetsDeleted);
        if (ledgerDeleted + budgetsDeleted > 0) {
            LOG.infof("retention: deleted %d settled ledger rows and %d idle token schedules", ledgerDeleted,
                    budgetsDeleted);
        }
        return ledgerDeleted + budgetsDeleted;
    }

    private static long chunks(IntSupplier chunk) {
        long total = 0;
        int deleted;
        do {
            deleted = chunk.getAsInt();
            total += deleted;
        } while (deleted == CHUNK);
        return total;
    }
}
