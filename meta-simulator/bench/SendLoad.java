import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Open-loop load against a running simulator: RATE sends per second for SECONDS, spread evenly over
 * 1 ms ticks, while a local sink answers the simulator's webhooks with 200. Prints the answers by
 * HTTP status, client-side latency percentiles and the webhook requests received.
 *
 * java meta-simulator/bench/SendLoad.java BASE_URL TOKEN RATE SECONDS SINK_PORT
 */
public class SendLoad {
    public static void main(String[] args) throws Exception {
        String base = args[0];
        String token = args[1];
        int rate = Integer.parseInt(args[2]);
        int seconds = Integer.parseInt(args[3]);
        int sinkPort = Integer.parseInt(args[4]);

        LongAdder webhooks = new LongAdder();
        HttpServer sink = HttpServer.create(new InetSocketAddress("127.0.0.1", sinkPort), 256);
        sink.createContext("/", exchange -> {
            exchange.getRequestBody().readAllBytes();
            webhooks.increment();
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        sink.setExecutor(Executors.newFixedThreadPool(4));
        sink.start();

        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1) // as the sender calls Meta: no h2c upgrade
                .executor(Executors.newFixedThreadPool(4)).build();
        URI messages = URI.create(base + "/v23.0/100000000000001/messages");
        Map<Integer, LongAdder> byStatus = new ConcurrentHashMap<>();
        ConcurrentLinkedQueue<Long> latencies = new ConcurrentLinkedQueue<>();
        AtomicLong sent = new AtomicLong();
        long total = (long) rate * seconds;
        var ticker = Executors.newSingleThreadScheduledExecutor();
        long start = System.nanoTime();
        ticker.scheduleAtFixedRate(() -> {
            long due = Math.min(total, (System.nanoTime() - start) * rate / 1_000_000_000L);
            while (sent.get() < due) {
                long i = sent.incrementAndGet();
                String to = String.format("+9170%08d", i);
                String body = "{\"messaging_product\":\"whatsapp\",\"to\":\"" + to + "\",\"type\":\"template\","
                        + "\"biz_opaque_callback_data\":\"wc:1:" + i + "\",\"template\":{\"name\":\"order_update\","
                        + "\"language\":{\"code\":\"en_US\"},\"components\":[{\"type\":\"body\",\"parameters\":"
                        + "[{\"type\":\"text\",\"text\":\"A-" + i + "\"}]}]}}";
                long t0 = System.nanoTime();
                http.sendAsync(HttpRequest.newBuilder(messages).header("Authorization", "Bearer " + token)
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                        HttpResponse.BodyHandlers.discarding())
                        .whenComplete((r, e) -> {
                            byStatus.computeIfAbsent(e == null ? r.statusCode() : -1, k -> new LongAdder()).increment();
                            latencies.add((System.nanoTime() - t0) / 1_000);
                        });
            }
        }, 0, 1, TimeUnit.MILLISECONDS);
        while (latencies.size() < total && System.nanoTime() - start < TimeUnit.SECONDS.toNanos(seconds + 30)) {
            Thread.sleep(100);
        }
        double wall = (System.nanoTime() - start) / 1e9;
        ticker.shutdownNow();
        long[] sorted = latencies.stream().mapToLong(Long::longValue).sorted().toArray();
        System.out.printf("sent %d in %.1f s; answers by status %s%n", sent.get(), wall, byStatus);
        System.out.printf("client latency ms: p50 %.1f p99 %.1f max %.1f%n", sorted[sorted.length / 2] / 1e3,
                sorted[(int) (sorted.length * 0.99)] / 1e3, sorted[sorted.length - 1] / 1e3);
        Thread.sleep(8_000);
        System.out.printf("webhook requests received by the sink: %d%n", webhooks.sum());
        sink.stop(0);
        System.exit(0);
    }
}
