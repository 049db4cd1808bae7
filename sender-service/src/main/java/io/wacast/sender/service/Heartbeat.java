package io.wacast.sender.service;

import java.time.Clock;
import java.time.Duration;

import org.jboss.logging.Logger;

import io.wacast.sender.ledger.Ledger;

/**
 * This process's row in the ledger's process list: touched every {@code owner-timeout / 5} so that no
 * other replica takes its claims for a dead one's, deleted when it stops cleanly.
 */
final class Heartbeat {

    private static final Logger LOG = Logger.getLogger(Heartbeat.class);

    private final Ledger ledger;
    private final Clock clock;
    /** Set once this process left the ledger's process list: no heartbeat may put it back. */
    private volatile boolean left;

    Heartbeat(Ledger ledger, Clock clock) {
        this.ledger = ledger;
        this.clock = clock;
    }

    void beat() {
        if (left) {
            return;
        }
        try {
            ledger.heartbeat(ProcessIdentity.ID, clock.millis());
        } catch (RuntimeException e) {
            // Others may take this replica for dead and take its claims over; its marks are then
            // refused and nothing is sent twice. Only the work is done twice.
            LOG.warnf("heartbeat not recorded: %s", e.getMessage());
        }
    }

    /** Leaves the process list: claims still held (not yet departing) may be taken over at once. */
    void leave() {
        left = true;
        try {
            ledger.leave(ProcessIdentity.ID, clock.millis() - Duration.ofDays(1).toMillis());
        } catch (RuntimeException e) {
            LOG.warnf("could not leave the ledger's process list (claims are taken over after the owner timeout): %s",
                    e.getMessage());
        }
    }
}
