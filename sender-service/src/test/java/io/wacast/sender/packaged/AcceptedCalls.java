package io.wacast.sender.packaged;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.jboss.logging.Logger;

/**
 * The simulator's count of a campaign's accepted calls, sampled every {@code periodMs} while open:
 * the rate the packaged tests and the benchmark measure is taken from it, at the simulator (the
 * stand-in for Meta), not from the senders' own account.
 */
final class AcceptedCalls implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(AcceptedCalls.class);

    private record Sample(long atNanos, long accepted) {
    }

    private final List<Sample> samples = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();

    AcceptedCalls(PackagedSystem system, long campaign, long periodMs) {
        sampler.scheduleAtFixedRate(() -> {
            try {
                long accepted = system.campaignStats(campaign).path("acceptedCalls").asLong();
                samples.add(new Sample(System.nanoTime(), accepted));
            } catch (RuntimeException e) {
                LOG.warnf("no sample this time: %s", e.getMessage());
            }
        }, 0, periodMs, TimeUnit.MILLISECONDS);
    }

    /** The latest count. */
    long accepted() {
        return samples.isEmpty() ? 0 : samples.get(samples.size() - 1).accepted();
    }

    /** When the campaign first had at least {@code accepted} calls accepted. */
    long firstAt(long accepted) {
        return samples.stream().filter(s -> s.accepted() >= accepted).findFirst().orElseThrow().atNanos();
    }

    /** The last sample before the campaign passed {@code accepted} calls (its tail is not steady state). */
    long lastAt(long accepted) {
        return samples.stream().filter(s -> s.accepted() <= accepted).reduce((a, b) -> b).orElseThrow().atNanos();
    }

    /** Accepted calls per second between the samples nearest to {@code fromNanos} and {@code toNanos}. */
    double rate(long fromNanos, long toNanos) {
        Sample from = samples.stream().filter(s -> s.atNanos() >= fromNanos).findFirst().orElseThrow();
        Sample to = samples.stream().filter(s -> s.atNanos() <= toNanos).reduce((a, b) -> b).orElseThrow();
        return (to.accepted() - from.accepted()) * 1e9 / (to.atNanos() - from.atNanos());
    }

    @Override
    public void close() {
        sampler.shutdownNow();
    }
}
