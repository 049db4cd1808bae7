package io.wacast.simulator.service;

import io.wacast.simulator.config.BusinessNumber;
import io.wacast.simulator.config.SimulatorConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * Each business number's throughput cap: its own (configured), else the run-time
 * {@code throughputPerSecond}; raised to {@code upgraded-throughput-per-second} when the simulator plays a
 * THROUGHPUT_UPGRADE of the number (as Meta upgrades a number, then tells through the webhook).
 */
@ApplicationScoped
public class NumberCaps {

    private static final Logger LOG = Logger.getLogger(NumberCaps.class);

    private final int upgradedCap;
    private final Map<String, Integer> upgraded = new ConcurrentHashMap<>();

    public NumberCaps(SimulatorConfig config) {
        this.upgradedCap = config.upgradedThroughputPerSecond();
    }

    public int capOf(BusinessNumber number, int accountCap) {
        Integer raised = upgraded.get(number.phoneNumberId());
        if (raised != null) {
            return raised;
        }
        return number.throughputPerSecond() != null ? number.throughputPerSecond() : accountCap;
    }

    public void upgrade(BusinessNumber number) {
        upgraded.put(number.phoneNumberId(), upgradedCap);
        LOG.infof("number %s upgraded to %d msg/s", number.phoneNumberId(), upgradedCap);
    }

    /** Forgets upgrades (a reset): every number is back at its configured cap. */
    public void reset() {
        upgraded.clear();
    }
}
