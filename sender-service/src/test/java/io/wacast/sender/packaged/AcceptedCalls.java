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

    /**
     * Accepted calls per second in each whole second from {@code fromNanos} on, marking the seconds that hold one of
     * {@code marks}: where a rate was lost (a dip at a join, a slow start) reads off the benchmark's log.
     */
    String perSecond(long fromNanos, long... marks) {
        StringBuilder line = new StringBuilder();
        Sample start = samples.stream().filter(s -> s.atNanos() >= fromNanos).findFirst().orElse(null);
        for (long at = fromNanos + 1_000_000_000L; start != null; at += 1_000_000_000L) {
            long end = at;
            Sample next = samples.stream().filter(s -> s.atNanos() >= end).findFirst().orElse(null);
            if (next == null) {
                break;
            }
            long from = at - 1_000_000_000L;
            boolean marked = java.util.Arrays.stream(marks).anyMatch(m -> m >= from && m < end);
            // the samples fall only near the second's edges: the rate between them, not their difference
            line.append(line.isEmpty() ? "" : " ").append(marked ? "*" : "")
                    .append(Math.round((next.accepted() - start.accepted()) * 1e9 / (next.atNanos() - start.atNanos())));
            start = next;
        }
        return line.toString();
    }

    @Override
    public void close() {
        sampler.shutdownNow();
    }
}
