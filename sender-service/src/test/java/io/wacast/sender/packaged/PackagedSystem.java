package io.wacast.sender.packaged;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executors;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;

import io.wacast.common.testing.ServiceProcess;
import io.wacast.common.Topics;
import io.wacast.common.event.JobId;
import io.wacast.common.event.SendJob;
import io.wacast.sender.KafkaTestClient;

/**
 * The packaged meta-simulator and sender-service jars on the shared Kafka and database, for the
 * integration tests: one simulator (its webhooks answered by a sink here), any number of sender
 * replicas in one consumer group of the test's own, SendJobs published straight to
 * {@code wacast.send-jobs}, and the simulator's {@code /sim/stats} as the truth.
 */
final class PackagedSystem implements AutoCloseable {

    static final String NUMBER = "100000000000001";
    private static final Path LOGS = Path.of("target", "it-logs");
    static final int SIMULATOR_PORT = 24090;
    static final int WEBHOOK_SINK_PORT = 24089;
    /** Sender replicas use 24081 and up. Ports below the ephemeral range (32768+), where no outgoing connection can hold them. */
    static final int FIRST_SENDER_PORT = 24081;

    /**
     * The simulator stands in for Meta, which does not share our CPU: it runs above the senders, so that
     * its clock (it counts calls when they arrive) is not skewed by four sender JVMs starving it on two
     * cores. As ./wacast runs it (WACAST_SIMULATOR_NICE), each service runs in a session of its own, which
     * the kernel gives an equal share of the CPU, and the simulator's session gets nice −10: on two starved
     * cores it would otherwise read its calls late and in bursts and count seconds over the cap that never
     * left the senders that way. That needs CAP_SYS_NICE; without it the simulator keeps nice 0 and the
     * senders go below it instead ({@link #SENDER_NICENESS_BELOW}). At 0 ({@code -Dwacast.it.simulator-niceness},
     * a measuring knob) the replicas dropped half as many slots, and the simulator counted seconds of 102.
     */
    private static final int SIMULATOR_NICENESS = Integer.getInteger("wacast.it.simulator-niceness", -10);
    /**
     * The senders' niceness where the simulator could not be raised. Below the rest of the machine (the
     * broker, the database, the test) they lose slots whenever those are busy: on a 2-core box 17 % slower
     * than the one before, three replicas used 70-84 % of the cap at nice 4 and 89-94 % at nice 0 and 1
     * (BENCHMARKS.md, "three replicas sharing a cap").
     */
    private static final int SENDER_NICENESS_BELOW = 4;
    /**
     * The senders' niceness under a raised simulator: about the broker's, the database's and the test's
     * (nice 0; weight 820 against 1024), in sessions of their own ({@link ServiceProcess.Launch}).
     */
    private static final int SENDER_NICENESS_BESIDE = 1;

    /**
     * The simulator's JVM as ./wacast runs it (C1-only, Shenandoah): it counts a call when it reads it,
     * so its C2 compilations and collector pauses must not hold calls back and count them bunched.
     */
    private static final List<String> SIMULATOR_JVM = wacastJvm("META_SIMULATOR", "wacast.it.simulator-jvm");

    /**
     * The senders' JVM as ./wacast runs it: C1-only, the serial collector on a small heap, so that a
     * collection copies little. With the JVM's default heap (a 128 MB young generation on a 24 GB box) a
     * replica paused 66-300 ms in each of its few collections. {@code -Dwacast.it.sender-jvm="…"}
     * (space-separated) measures other options.
     */
    private static final List<String> SENDER_JVM = wacastJvm("SENDER_SERVICE", "wacast.it.sender-jvm");

    /**
     * The senders' schedule in the integration tests: 95 % of the cap, so calls may reach the simulator up
     * to 52.6 ms after their slot with every one-second window still within the cap; 30 ms of that is the
     * arrival spread (the way to the simulator and the simulator's own lag in counting an arrival on a
     * box it shares with the senders, Kafka, the database and the build), the rest is how late a call may
     * leave. With the product's spread (8 ms: for Meta, whose servers do not share our CPUs) at 98.5 % a
     * fresh-clone CI once counted 21 calls in one second at a cap of 20: an arrival the simulator counted
     * over 15 ms late. ./wacast, whose simulator shares the box too, runs the senders at 92 %.
     */
    static final double UTILISATION = 0.95;
    static final String ARRIVAL_SPREAD = "30ms";

    private static final String TOKEN = "it-token-" + UUID.randomUUID();

    final KafkaTestClient kafka;
    private final String bootstrap;
    private final Path root;
    private final HttpServer webhookSink;
    private final ServiceProcess simulator;
    /** {@link #SENDER_NICENESS_BESIDE} where the simulator's session runs above it, {@link #SENDER_NICENESS_BELOW} otherwise. */
    private final int senderNiceness;
    private final List<ServiceProcess> senders = new ArrayList<>();
    private final HttpClient http = HttpClient.newHttpClient();
    private String group;

    PackagedSystem() {
        this(Map.of());
    }

    /**
     * With {@code simulatorProperties} added to the simulator's configuration (more business numbers,
     * their tokens and caps: {@code wacast.sim.numbers[1].…}).
     */
    PackagedSystem(Map<String, String> simulatorProperties) {
        bootstrap = required("KAFKA_BOOTSTRAP_SERVERS");
        root = Path.of(System.getProperty("wacast.it.root", "..")).toAbsolutePath().normalize();
        try {
            webhookSink = HttpServer.create(new InetSocketAddress("127.0.0.1", WEBHOOK_SINK_PORT), 64);
        } catch (IOException e) {
            throw new IllegalStateException("webhook sink port " + WEBHOOK_SINK_PORT + ": " + e.getMessage(), e);
        }
        webhookSink.createContext("/", exchange -> {
            exchange.getRequestBody().readAllBytes();
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        webhookSink.setExecutor(Executors.newFixedThreadPool(4));
        webhookSink.start();
        simulator = ServiceProcess.start("meta-simulator", root.resolve("meta-simulator/target/quarkus-app/quarkus-run.jar"),
                SIMULATOR_PORT, new ServiceProcess.Launch(SIMULATOR_NICENESS, SIMULATOR_JVM, simulatorProperties, Map.of("WACAST_META_ACCESS_TOKEN", TOKEN,
                        "WACAST_META_APP_SECRET", "it-secret",
                        "WACAST_SIM_WEBHOOK_URL", "http://127.0.0.1:" + WEBHOOK_SINK_PORT + "/webhooks/whatsapp"), LOGS))
                .awaitReady();
        // -Dwacast.it.sender-niceness: measure another (the benchmark's knob)
        senderNiceness = Integer.getInteger("wacast.it.sender-niceness", simulator.sessionNice() < 0
                ? SENDER_NICENESS_BESIDE : SENDER_NICENESS_BELOW);
        kafka = new KafkaTestClient(bootstrap);
    }

    private static String required(String variable) {
        String value = System.getenv(variable);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException(variable + " is not set: run with the environment of ./wacast env");
        }
        return value;
    }

    /**
     * Drops every table of the senders' schema, as on a first deployment: replicas started together then
     * race to create it (Flyway's own lock orders them; its baseline-on-migrate once made all but the first
     * fail with "Unable to baseline schema history table … as it already exists, and is empty").
     */
    void emptySenderSchema() {
        String url = "jdbc:mysql://" + System.getenv().getOrDefault("WACAST_DB_HOST", "127.0.0.1") + ":"
                + System.getenv().getOrDefault("WACAST_DB_PORT", "3306") + "/wacast_sender";
        try (Connection connection = DriverManager.getConnection(url,
                System.getenv().getOrDefault("WACAST_SENDER_DB_USER", "sender"), required("WACAST_SENDER_DB_PASSWORD"));
                Statement statement = connection.createStatement()) {
            List<String> tables = new ArrayList<>();
            try (ResultSet rows = statement.executeQuery("SELECT table_name FROM information_schema.tables"
                    + " WHERE table_schema = 'wacast_sender'")) {
                while (rows.next()) {
                    tables.add(rows.getString(1));
                }
            }
            statement.execute("SET FOREIGN_KEY_CHECKS = 0");
            for (String table : tables) {
                statement.execute("DROP TABLE `" + table + "`");
            }
        } catch (SQLException e) {
            throw new IllegalStateException("emptying the senders' schema: " + e.getMessage(), e);
        }
    }

    /**
     * Clears the simulator and caps it at {@code perSecond}: no error injection, no chaos, only
     * {@code sent} statuses as webhooks (the tests judge the send path, not the webhook path).
     */
    void simulate(int perSecond) {
        simulate(perSecond, 30, 60);
    }

    /** As {@link #simulate(int)}, with Meta's answers taking {@code medianMs} (p99 {@code p99Ms}). */
    void simulate(int perSecond, int medianMs, int p99Ms) {
        request("POST", "/sim/reset", null);
        request("PUT", "/sim/config", "{\"throughputPerSecond\":" + perSecond + ",\"injection\":{\"enabled\":false},"
                + "\"latency\":{\"medianMs\":" + medianMs + ",\"p99Ms\":" + p99Ms + "},"
                + "\"chaos\":{\"duplicate\":0,\"reorder\":0},"
                + "\"outcomes\":{\"delivered\":0,\"read\":0,\"reply\":0,\"optOut\":0,\"order\":0}}");
    }

    /** Whether the simulated portfolio accepted the Marketing Messages API's terms. */
    void marketingTermsAccepted(boolean accepted) {
        request("PUT", "/sim/config", "{\"marketingMessages\":{\"termsAccepted\":" + accepted + "}}");
    }

    /** Plays one account-level webhook through {@code PUT /sim/config {"signals":[…]}} (its webhook goes to the sink). */
    void playSignal(String signalJson) {
        request("PUT", "/sim/config", "{\"signals\":[" + signalJson + "]}");
    }

    /** {@code GET /sim/endpoints?campaignId=}: calls and accepted calls of the campaign per send endpoint. */
    JsonNode endpointsOf(long campaignId) {
        return request("GET", "/sim/endpoints?campaignId=" + campaignId, null).path("campaigns").path(Long.toString(campaignId));
    }

    JsonNode stats() {
        return request("GET", "/sim/stats", null);
    }

    JsonNode campaignStats(long campaignId) {
        return request("GET", "/sim/stats?campaignId=" + campaignId, null);
    }

    JsonNode numberStats() {
        for (JsonNode number : stats().path("numbers")) {
            if (NUMBER.equals(number.path("phoneNumberId").asText())) {
                return number;
            }
        }
        throw new IllegalStateException("the simulator reports no number " + NUMBER);
    }

    private JsonNode request(String method, String path, String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(simulator.url() + path)).timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() >= 300) {
                throw new IllegalStateException(method + " " + path + " → " + response.statusCode() + ": " + response.body());
            }
            return response.body().isEmpty() ? null : KafkaTestClient.JSON.readTree(response.body());
        } catch (IOException e) {
            throw new IllegalStateException(method + " " + path + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * A consumer group of this test's own, with its offsets committed at the current end of
     * {@code wacast.send-jobs}: the replicas read exactly what is published from now on, whatever
     * order they join in (other tests' old jobs on the shared topic stay theirs).
     */
    void newConsumerGroup() {
        group = "wacast-sender-it-" + UUID.randomUUID();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            admin.describeTopics(List.of(Topics.SEND_JOBS)).allTopicNames().get().get(Topics.SEND_JOBS).partitions()
                    .forEach(p -> latest.put(new TopicPartition(Topics.SEND_JOBS, p.partition()), OffsetSpec.latest()));
            Map<TopicPartition, OffsetAndMetadata> end = new HashMap<>();
            admin.listOffsets(latest).all().get().forEach((p, info) -> end.put(p, new OffsetAndMetadata(info.offset())));
            admin.alterConsumerGroupOffsets(group, end).all().get();
        } catch (Exception e) {
            throw new IllegalStateException("could not prepare consumer group " + group, e);
        }
    }

    /** Starts sender replica {@code index} (port 24081 + index) against the simulator; does not wait for it. */
    ServiceProcess startSender(int index, int throughput) {
        return startSender(index, throughput, UTILISATION, ARRIVAL_SPREAD);
    }

    /**
     * Starts sender replica {@code index} with the given {@code budget-utilisation} and
     * {@code arrival-spread} (the lateness allowed is the rest of the margin), its JVM as ./wacast runs it
     * ({@link #SENDER_JVM}).
     */
    ServiceProcess startSender(int index, int throughput, double utilisation, String arrivalSpread) {
        return startSender(index, throughput, utilisation, arrivalSpread, SENDER_JVM);
    }

    /** As above, with the given JVM options (the benchmark runs the replicas as ./wacast does). */
    ServiceProcess startSender(int index, int throughput, double utilisation, String arrivalSpread, List<String> jvmOptions) {
        return startSender(index, throughput, utilisation, arrivalSpread, jvmOptions, Map.of());
    }

    /** As above, with {@code extra} properties over the defaults (more numbers, their tokens and caps, routing). */
    ServiceProcess startSender(int index, int throughput, Map<String, String> extra) {
        return startSender(index, throughput, UTILISATION, ARRIVAL_SPREAD, SENDER_JVM, extra);
    }

    private ServiceProcess startSender(int index, int throughput, double utilisation, String arrivalSpread,
            List<String> jvmOptions, Map<String, String> extra) {
        Map<String, String> properties = new HashMap<>(Map.of(
                "wacast.sender.consumer-group", group,
                "wacast.sender.default-throughput", Integer.toString(throughput),
                "wacast.sender.phone-number-ids", NUMBER,
                "wacast.meta.call-timeout", "5s",
                "wacast.sender.session-timeout", "6s"));
        if (!Double.isNaN(utilisation)) { // NaN: the sender's own schedule, as an operator runs it
            properties.put("wacast.sender.budget-utilisation", Double.toString(utilisation));
            properties.put("wacast.sender.arrival-spread", arrivalSpread);
        }
        // a benchmark's other sender settings: -Dwacast.it.sender.lease-horizon=60ms → wacast.sender.lease-horizon
        System.getProperties().stringPropertyNames().stream().filter(name -> name.startsWith("wacast.it.sender."))
                .forEach(name -> properties.put(name.substring("wacast.it.".length()), System.getProperty(name)));
        properties.putAll(extra);
        ServiceProcess sender = ServiceProcess.start("sender-" + index, root.resolve("sender-service/target/quarkus-app/quarkus-run.jar"),
                FIRST_SENDER_PORT + index, new ServiceProcess.Launch(senderNiceness,
                        withGcLog(jvmOptions, "sender-" + index), properties,
                        Map.of("WACAST_META_ACCESS_TOKEN", TOKEN, "WACAST_META_GRAPH_URL", simulator.url()), LOGS));
        senders.add(sender);
        return sender;
    }

    /** {@code jvmOptions} and a log of every collection and its pause, beside the service's log. */
    private static List<String> withGcLog(List<String> jvmOptions, String name) {
        List<String> options = new ArrayList<>(jvmOptions);
        options.add("-Xlog:gc:file=" + LOGS.toAbsolutePath().resolve(name + "-gc.log"));
        return options;
    }

    /**
     * Runs a short campaign through the replicas before the measured one, so that the measured run
     * sees warm JVMs whose partitions are assigned, not start-up.
     */
    void warmUp(int jobs) {
        long campaign = kafka.newCampaign();
        kafka.publishAll(Topics.SEND_JOBS, jobs(campaign, jobs));
        org.awaitility.Awaitility.await("warm-up campaign").atMost(Duration.ofSeconds(60))
                .until(() -> kafka.outcomesOf(campaign).stream().map(o -> o.jobId()).distinct().count() == jobs);
    }

    /** {@code count} jobs of one campaign, each to its own recipient. */
    static Map<String, SendJob> jobs(long campaignId, int count) {
        return jobs(campaignId, count, NUMBER, "utility");
    }

    /**
     * {@code count} jobs of one campaign from {@code number}, each to its own recipient: {@code order_update}
     * (a utility template) or, for {@code category} marketing, {@code welcome_offer} (a marketing one).
     */
    static Map<String, SendJob> jobs(long campaignId, int count, String number, String category) {
        boolean marketing = SendJob.MARKETING.equals(category);
        Map<String, SendJob> byPhone = new LinkedHashMap<>();
        for (int i = 1; i <= count; i++) {
            String phone = String.format("+9197%02d%06d", campaignId % 100, i);
            byPhone.put(phone, SendJob.of(JobId.of(campaignId, i), campaignId, i, number, phone,
                    marketing ? "welcome_offer" : "order_update", "en_US",
                    marketing ? Map.of() : Map.of("body.1", "A-" + i), 1, null, Instant.now(), category));
        }
        return byPhone;
    }

    @Override
    public void close() {
        senders.forEach(sender -> {
            if (sender.isAlive()) {
                sender.stop();
            }
        });
        simulator.stop();
        webhookSink.stop(0);
        kafka.close();
    }

    /**
     * A service's JVM options: {@code -D<property>} (space-separated) if given, else ./wacast's own for the
     * service ({@code java_opts}, which ./wacast test exports as {@code WACAST_JAVA_OPTS_<SERVICE>}).
     */
    private static List<String> wacastJvm(String service, String property) {
        String options = System.getProperty(property, System.getenv("WACAST_JAVA_OPTS_" + service));
        if (options == null || options.isBlank()) {
            throw new IllegalStateException("no JVM options for " + service.toLowerCase(java.util.Locale.ROOT)
                    + ": run the packaged tests through ./wacast test, which exports WACAST_JAVA_OPTS_" + service
                    + ", or give -D" + property);
        }
        return List.of(options.trim().split("\\s+"));
    }
}
