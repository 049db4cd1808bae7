package io.wacast.sender.budget;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.locks.LockSupport;

import jakarta.inject.Inject;

import org.jboss.logging.Logger;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;

/**
 * The shared schedule of a number through the real database. Three replicas (three threads, each its
 * own lease loop, like three sender processes; one joins late and one stalls now and then) never get
 * the same slot and never put more than the cap into any one-second window. How much of the cap they
 * reach is a speed, measured by SenderThroughputBenchmark and ReplicasShareTheBudgetIT's log, not
 * asserted here.
 */
@QuarkusTest
class SharedBudgetTest {

    private static final Logger LOG = Logger.getLogger(SharedBudgetTest.class);
    private static final int CAP = 300;
    private static final long SPREAD_US = 8_000;
    private static final long LEAD_US = 2_000;
    private static final long HORIZON_US = 20_000;

    @Inject
    TokenBudget budget;

    @Test
    void threeReplicasNeverShareASlotAndNeverPutMoreThanTheCapIntoAnySecond() throws Exception {
        String key = "test:" + UUID.randomUUID();
        long interval = SlotLease.intervalUs(CAP, 0.985);
        long lateness = SlotLease.maxLatenessUs(CAP, interval, SPREAD_US);
        long start = nowUs();
        long end = start + 4_000_000;
        List<Long> departures = Collections.synchronizedList(new ArrayList<>());
        List<Long> slots = Collections.synchronizedList(new ArrayList<>());
        List<Thread> replicas = new ArrayList<>();
        for (int r = 0; r < 3; r++) {
            // replica 2 joins late, as when a replica is added mid-campaign; replica 1 stalls now and then
            long joinAt = r == 2 ? start + 1_500_000 : start;
            boolean stalls = r == 1;
            replicas.add(new Thread(() -> drain(key, interval, lateness, joinAt, end, stalls, departures, slots)));
        }
        replicas.forEach(Thread::start);
        for (Thread replica : replicas) {
            replica.join();
        }

        List<Long> sorted = new ArrayList<>(departures);
        Collections.sort(sorted);
        int busiest = 0;
        for (int i = 0, j = 0; i < sorted.size(); i++) {
            while (sorted.get(i) - sorted.get(j) >= 1_000_000) {
                j++;
            }
            busiest = Math.max(busiest, i - j + 1);
        }
        long measured = sorted.stream().filter(t -> t >= start + 500_000 && t < end - 500_000).count();
        LOG.infof("3 replicas, cap %d/s, lateness %d µs: busiest one-second window %d calls, %.1f calls/s while all compete",
                CAP, lateness, busiest, measured / 3.0);
        assertThat(new HashSet<>(slots)).as("slots handed out twice").hasSameSizeAs(slots);
        assertThat(busiest).isLessThanOrEqualTo(CAP);
    }

    @Test
    void theScheduleIsNeverBookedBeyondTheHorizonAndWhatIsNotLeasedIsLeftForTheNextReplica() {
        String key = "test:" + UUID.randomUUID();
        long interval = 10_000;
        long now = nowUs();

        SlotLease first = budget.lease(key, 3, interval, 0, now, HORIZON_US);
        SlotLease refused = budget.lease(key, 3, interval, 0, now, HORIZON_US);
        SlotLease next = budget.lease(key, 3, interval, 0, first.startUs() + 3 * interval - HORIZON_US, HORIZON_US);

        assertThat(first.startUs()).isEqualTo(now);
        assertThat(first.remaining()).isEqualTo(3);
        assertThat(refused.remaining()).as("booked 30 ms ahead, beyond the 20 ms horizon: nothing taken").isZero();
        assertThat(refused.startUs()).isEqualTo(now + 3 * interval);
        assertThat(next.startUs()).as("the next run starts where the first ended: no slot lost, none shared")
                .isEqualTo(now + 3 * interval);
        assertThat(next.remaining()).isEqualTo(3);
    }

    /** One replica that always has work: leases a slice, leaves a call at each slot, repeats. */
    private void drain(String key, long interval, long lateness, long from, long until, boolean stalls,
            List<Long> departures, List<Long> slots) {
        while (nowUs() < from) {
            LockSupport.parkNanos(1_000_000);
        }
        int leases = 0;
        while (nowUs() < until) {
            // slots start a little ahead, so the lease round trip itself does not make the first ones late
            SlotLease lease = budget.lease(key, 8, interval, lateness, nowUs() + LEAD_US, HORIZON_US);
            if (lease.remaining() == 0) {
                LockSupport.parkNanos(Math.max(100_000, (lease.startUs() - HORIZON_US - nowUs()) * 1000));
                continue;
            }
            if (stalls && ++leases % 10 == 0) {
                LockSupport.parkNanos(50_000_000); // descheduled with a run in hand: its slots are dropped, not bunched
            }
            while (lease.remaining() > 0 && nowUs() < until) {
                long now = nowUs();
                long slot = lease.nextSlot(now);
                if (slot < 0) {
                    break;
                }
                if (slot > now) {
                    LockSupport.parkNanos((slot - now) * 1000);
                    continue;
                }
                if (lease.take(now)) {
                    departures.add(now);
                    slots.add(slot);
                }
            }
        }
    }

    private static long nowUs() {
        return SlotLease.epochMicros(Instant.now());
    }
}
