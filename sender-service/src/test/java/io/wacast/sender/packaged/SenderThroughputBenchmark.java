package io.wacast.sender.packaged;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.jboss.logging.Logger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.wacast.common.Topics;
import io.wacast.common.testing.ServiceProcess;

/**
 * The sender's throughput benchmark of issue 4 (not a test: its name keeps it out of every default
 * run; BENCHMARKS.md gives the command). Packaged sender replicas against the packaged simulator
 * capped at {@code wacast.bench.cap} msg/s answering in 200–300 ms; one campaign of
 * {@code cap × wacast.bench.seconds} jobs published to {@code wacast.send-jobs} at once. Measures the
 * sustained rate, the busiest one-second window at the simulator (arrival) and in each replica (fire),
 * 130429s, CPU seconds per 1,000 messages, the budget wait and the RSS of each replica, and appends a
 * row to {@code target/sender-benchmark.md}.
 */
class SenderThroughputBenchmark {

    private static final Logger LOG = Logger.getLogger(SenderThroughputBenchmark.class);
    private static final int CAP = Integer.getInteger("wacast.bench.cap", 1_000);
    private static final int SECONDS = Integer.getInteger("wacast.bench.seconds", 60);
    private static final int REPLICAS = Integer.getInteger("wacast.bench.replicas", 1);
    /**
     * The schedule of a dedicated node, where the 98 % target of docs/DESIGN.md §8 applies (the sender's own
     * default, 0.975, leaves more room for a busy host's lateness and can never reach 98 %: §11 D36).
     */
    private static final double UTILISATION = Double.parseDouble(System.getProperty("wacast.bench.utilisation", "0.985"));
    private static final String SPREAD = System.getProperty("wacast.bench.arrival-spread", "8ms");
    /** The replicas' JVM options: those of ./wacast by default (the ITs run theirs C1-only). */
    private static final List<String> JVM = List.of(System.getProperty("wacast.bench.jvm",
            "-Xms64m -Xmx256m -XX:+UseG1GC -XX:+ExitOnOutOfMemoryError").split(" "));
    /** Meta's answer time: issue 4 asks for 200 ms; the p99 gives the log-normal its tail. */
    private static final int MEDIAN_MS = Integer.getInteger("wacast.bench.median-ms", 200);
    private static final int P99_MS = Integer.getInteger("wacast.bench.p99-ms", 300);
    private static final long CLOCK_TICKS_PER_SECOND = 100;

    private static PackagedSystem system;

    @BeforeAll
    static void startSimulator() {
        system = new PackagedSystem();
    }

    @AfterAll
    static void stopEverything() {
        if (system != null) {
            system.close();
        }
    }

    @Test
    void sustainedRateUnderTheSharedBudget() throws Exception {
        int jobs = CAP * SECONDS;
        system.simulate(CAP, MEDIAN_MS, P99_MS);
        system.newConsumerGroup();
        List<ServiceProcess> replicas = new ArrayList<>();
        for (int i = 0; i < REPLICAS; i++) {
            replicas.add(system.startSender(i, CAP, UTILISATION, SPREAD, JVM));
        }
        replicas.forEach(ServiceProcess::awaitReady);
        system.warmUp(CAP * 5);
        system.simulate(CAP, MEDIAN_MS, P99_MS); // forget the warm-up's windows
        Map<Double, Double> waitBefore = histogram(replicas, "wacast_sender_budget_wait_seconds_bucket");
        long cpuBefore = cpuTicks(replicas);
        long droppedBefore = dropped(replicas);
        long campaign = system.kafka.newCampaign();
        system.kafka.publishAll(Topics.SEND_JOBS, PackagedSystem.jobs(campaign, jobs));

        double rate;
        try (AcceptedCalls samples = new AcceptedCalls(system, campaign, 250)) {
            await().atMost(Duration.ofSeconds(SECONDS * 3L + 60)).pollInterval(Duration.ofSeconds(1))
                    .until(() -> samples.accepted() >= jobs);
            rate = samples.rate(samples.firstAt(jobs / 10), samples.lastAt(jobs * 9 / 10));
        }
        long cpuTicks = cpuTicks(replicas) - cpuBefore;
        Map<Double, Double> wait = minus(histogram(replicas, "wacast_sender_budget_wait_seconds_bucket"), waitBefore);
        JsonNode number = system.numberStats();
        JsonNode stats = system.campaignStats(campaign);
        long throttled = system.stats().path("rejectedByCode").path("130429").asLong();
        List<String> fired = replicas.stream().map(r -> r.metrics("wacast_sender_calls_max_per_second")
                .replaceAll(".* ", "").replace(".0", "")).toList();
        List<String> rss = replicas.stream().map(r -> rssMb(r.pid())).toList();
        long dropped = dropped(replicas) - droppedBefore;
        replicas.forEach(r -> LOG.infof("%s: %s", r.name, String.join(" ", r.metrics("wacast_sender_budget_slots_dropped_total"),
                r.metrics("wacast_sender_departure_lag_seconds_max"), r.metrics("wacast_sender_calls_max_per_second"))));
        double cpuPerThousand = cpuTicks / (double) CLOCK_TICKS_PER_SECOND / (jobs / 1000.0);
        String row = String.format("| %s | %d | %d × %d s, %d/%d ms | %.3f / %s | **%.1f msg/s** (%.1f %% of cap) | %d / %d | %s | %d | %.2f s"
                + " | %.0f ms / %.0f ms | %s | %d |%n",
                LocalDateTime.now().withNano(0), REPLICAS, CAP, SECONDS, MEDIAN_MS, P99_MS, UTILISATION, SPREAD, rate, 100 * rate / CAP,
                number.path("maxCallsInAnyOneSecondWindow").asInt(), number.path("maxAdmittedInAnyOneSecondWindow").asInt(),
                String.join(" / ", fired), throttled, cpuPerThousand, percentile(wait, 0.5) * 1000,
                percentile(wait, 0.99) * 1000, String.join(" / ", rss), dropped);
        LOG.info("| date | replicas | cap × time, latency median/p99 | utilisation / arrival spread | sustained | busiest second at the simulator"
                + " (arrived / admitted) | busiest second fired per replica | 130429 | CPU per 1,000 msgs | budget wait p50 / p99 | RSS MB | slots dropped |");
        LOG.info(row);
        Path out = Path.of("target", "sender-benchmark.md");
        try {
            Files.writeString(out, row, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            LOG.warnf("could not append to %s: %s", out, e.getMessage());
        }
        assertThat(stats.path("acceptedCalls").asLong()).isEqualTo(jobs);
        assertThat(stats.path("duplicates")).isEmpty();
    }

    /** Slots the replicas leased and did not use, so far (firer late or call missed its slot). */
    private static long dropped(List<ServiceProcess> replicas) {
        return replicas.stream().flatMap(r -> r.metrics("wacast_sender_budget_slots_dropped_total").lines())
                .mapToLong(line -> (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1))).sum();
    }

    /** User plus system CPU ticks of the replicas' JVMs so far ({@code /proc/<pid>/stat}). */
    private static long cpuTicks(List<ServiceProcess> replicas) throws IOException {
        long ticks = 0;
        for (ServiceProcess replica : replicas) {
            String stat = Files.readString(Path.of("/proc", Long.toString(replica.pid()), "stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            ticks += Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
        }
        return ticks;
    }

    private static String rssMb(long pid) {
        try {
            return Files.readAllLines(Path.of("/proc", Long.toString(pid), "status")).stream()
                    .filter(line -> line.startsWith("VmHWM:") || line.startsWith("VmRSS:"))
                    .map(line -> Long.parseLong(line.replaceAll("\\D", "")) / 1024 + (line.startsWith("VmHWM") ? " peak" : ""))
                    .reduce((a, b) -> a + ", " + b).orElse("?");
        } catch (IOException e) {
            return "?";
        }
    }

    /** The cumulative buckets of a Prometheus histogram summed over the replicas, by upper bound. */
    private static Map<Double, Double> histogram(List<ServiceProcess> replicas, String name) {
        Map<Double, Double> buckets = new TreeMap<>();
        for (ServiceProcess replica : replicas) {
            replica.metrics(name).lines().forEach(line -> {
                String le = line.replaceAll(".*le=\"([^\"]+)\".*", "$1");
                double bound = "+Inf".equals(le) ? Double.POSITIVE_INFINITY : Double.parseDouble(le);
                buckets.merge(bound, Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)), Double::sum);
            });
        }
        return buckets;
    }

    private static Map<Double, Double> minus(Map<Double, Double> after, Map<Double, Double> before) {
        Map<Double, Double> delta = new TreeMap<>();
        after.forEach((bound, count) -> delta.put(bound, count - before.getOrDefault(bound, 0.0)));
        return delta;
    }

    /** The upper bound of the bucket holding quantile {@code q} (an upper estimate, as Prometheus' buckets allow). */
    private static double percentile(Map<Double, Double> cumulative, double q) {
        double total = cumulative.getOrDefault(Double.POSITIVE_INFINITY, 0.0);
        for (Map.Entry<Double, Double> bucket : cumulative.entrySet()) {
            if (bucket.getValue() >= q * total) {
                return bucket.getKey();
            }
        }
        return Double.NaN;
    }
}
