package io.wacast.systemtests;

import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.GroupNotEmptyException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestWatcher;

import com.fasterxml.jackson.databind.JsonNode;

import io.wacast.common.testing.ServiceProcess;
import io.wacast.common.Topics;

/**
 * The whole of wacast as it is deployed — the packaged meta-simulator, webhook-service,
 * campaign-service, catalog-service and sender-service jars, each in its own JVM — on the Kafka broker and the
 * MariaDB server of the environment ({@code ./wacast env}, or what {@code ./wacast test} exports in
 * CI), driven through the operator API and judged by the simulator's truth. Register it with
 * {@code @RegisterExtension}: when a test fails it prints the tail of every service's log (the whole
 * logs are in {@code target/it-logs/<test class>/}). Public for the console's browser tests
 * ({@code io.wacast.systemtests.console}), which add the packaged console with {@link #startConsole()}.
 */
public final class WacastSystem implements TestWatcher, AutoCloseable {

    private static final System.Logger LOG = System.getLogger(WacastSystem.class.getName());

    /** Messages per second: the simulator's cap, the senders' budget and the campaign-service's cap alike. */
    static final int THROUGHPUT = 200;
    /*
     * Fixed ports below Linux's ephemeral range (32768–60999): there an outgoing connection of any
     * other process (or its TIME_WAIT) can hold a port, and once kept the catalog-service from binding.
     */
    /**
     * The first of the system's ports (25080 unless {@code -Dwacast.systemtests.port-base} moves them, so two
     * engineers can run system tests on one machine at once); the services take base + 0 … base + 10.
     */
    static final int PORT_BASE = Integer.getInteger("wacast.systemtests.port-base", 25080);
    public static final int CAMPAIGN_PORT = PORT_BASE + 1;
    public static final int CONSOLE_PORT = PORT_BASE;
    static final int WEBHOOK_PORT = PORT_BASE + 3;
    public static final int CATALOG_PORT = PORT_BASE + 4;
    static final int SIMULATOR_PORT = PORT_BASE + 10;
    /** Sender replicas take base + 5 and up, one port each in the order they are started. */
    static final int FIRST_SENDER_PORT = PORT_BASE + 5;

    /** The real consumer group of the packaged catalog-service (its README). */
    private static final String CATALOG_GROUP = "catalog-service";
    /** The real consumer groups of the packaged services (sender-service, campaign-service and catalog-service READMEs). */
    private static final Map<String, List<String>> GROUPS = Map.of(
            "wacast-sender", List.of(Topics.SEND_JOBS),
            "wacast-campaign", List.of(Topics.OUTCOMES, Topics.EVENTS, Topics.ORDERS),
            CATALOG_GROUP, List.of(Topics.ORDERS, Topics.ATTRIBUTIONS));

    private static final String TEMPLATE = """
            {"name":"tour_package_marketing","language":"en_US","category":"marketing","headerType":"image",
             "body":"Pack your bags for {{1}}! 7 nights with flights and hotel from {{2}}. Seats are limited.",
             "footer":"Reply STOP to stop promotions",
             "buttons":[{"type":"url","text":"View package","url":"https://tours.example.com/p/{{1}}","parameter":true}]}""";

    private final Path root;
    private final Path logDir;
    private final List<ServiceProcess> processes = new ArrayList<>();
    private final List<ServiceProcess> senders = new ArrayList<>();
    private final Map<String, String> campaignProperties = new HashMap<>();
    private ServiceProcess webhookService;
    private ServiceProcess campaignService;
    private Infrastructure infrastructure;
    private ServiceProcess catalogService;
    private ServiceProcess console;
    private String bootstrap;
    private JsonHttp operator;
    private JsonHttp simulatorHttp;

    /** @param name the test class: its logs go to {@code target/it-logs/<name>/} */
    public WacastSystem(String name) {
        root = Path.of(System.getProperty("wacast.root", "..")).toAbsolutePath().normalize();
        logDir = Path.of("target", "it-logs", name).toAbsolutePath();
    }

    /**
     * Starts the simulator, the webhook-service, the campaign-service, the catalog-service and
     * {@code senderCount} sender replicas, all at once, and returns when every one is ready.
     */
    public void start(int senderCount) {
        start(senderCount, Map.of());
    }

    /**
     * As {@link #start(int)}, with {@code campaignProperties} over the campaign-service's test settings
     * (e.g. a smaller dispatch round, so that a campaign is dispatched in several rounds).
     */
    void start(int senderCount, Map<String, String> campaignProperties) {
        bootstrap = required("KAFKA_BOOTSTRAP_SERVERS");
        operator = new JsonHttp("http://127.0.0.1:" + CAMPAIGN_PORT + "/api/whatsapp",
                "Bearer " + required("WACAST_API_BOOTSTRAP_KEY"));
        simulatorHttp = new JsonHttp("http://127.0.0.1:" + SIMULATOR_PORT, null);
        positionGroupsAtTheEnd(bootstrap);
        List<ServiceProcess> starting = new ArrayList<>();
        starting.add(launch("meta-simulator", "meta-simulator", SIMULATOR_PORT, Map.of(),
                Map.of("WACAST_SIM_WEBHOOK_URL", "http://127.0.0.1:" + WEBHOOK_PORT + "/webhooks/whatsapp")));
        starting.add(startWebhookService("webhook-service"));
        // An unknown nobody settles is re-sent after 30 s here (15 min by default), so the fault test can
        // end with every recipient accepted exactly once.
        this.campaignProperties.putAll(Map.of(
                "wacast.campaign.unknown-resend.after", "30s", "wacast.campaign.unknown-resend.interval", "2s",
                "wacast.campaign.unknown-resend.give-up-after", "5m"));
        this.campaignProperties.putAll(campaignProperties);
        starting.add(startCampaignService("campaign-service"));
        // keys are verified at this system's campaign-service, the one key store (docs/DESIGN.md D21)
        catalogService = launch("catalog-service", "catalog-service", CATALOG_PORT, Map.of(),
                Map.of("WACAST_KEY_STORE_URL", "http://127.0.0.1:" + CAMPAIGN_PORT));
        starting.add(catalogService);
        for (int i = 0; i < senderCount; i++) {
            starting.add(startSender());
        }
        starting.forEach(ServiceProcess::awaitReady);
    }

    /**
     * The packaged operator console on {@link #CONSOLE_PORT}, calling this system's campaign-service and
     * catalog-service, with a session secret of its own; returns when it is ready. Its log is
     * {@link ServiceProcess#log}.
     */
    public ServiceProcess startConsole() {
        console = launch("console", "console", CONSOLE_PORT, Map.of(), Map.of(
                "WACAST_CONSOLE_CAMPAIGN_URL", "http://127.0.0.1:" + CAMPAIGN_PORT,
                "WACAST_CONSOLE_CATALOG_URL", "http://127.0.0.1:" + CATALOG_PORT,
                "WACAST_CONSOLE_SESSION_SECRET", UUID.randomUUID() + "-" + UUID.randomUUID()));
        return console.awaitReady();
    }

    /**
     * A new campaign-service on the campaign port with this system's settings, e.g. after the last one
     * was killed; does not wait for it.
     */
    ServiceProcess startCampaignService(String name) {
        // its template sync reads this system's simulator, not whatever ./wacast env points at
        campaignService = launch(name, "campaign-service", CAMPAIGN_PORT, Map.copyOf(campaignProperties),
                Map.of("WACAST_META_GRAPH_URL", "http://127.0.0.1:" + SIMULATOR_PORT));
        return campaignService;
    }

    /** The campaign-service started last. */
    ServiceProcess campaignService() {
        return campaignService;
    }

    /**
     * The Kafka broker and the MariaDB server of this environment's {@code ./wacast} instance, to stop
     * and start them under a running campaign; the script's output goes to {@code wacast-infra.log}
     * beside the services' logs.
     */
    Infrastructure infrastructure() {
        if (infrastructure == null) {
            infrastructure = new Infrastructure(root, logDir.resolve("wacast-infra.log"));
        }
        return infrastructure;
    }

    /** A new webhook-service on the webhook port (the simulator delivers there); does not wait for it. */
    ServiceProcess startWebhookService(String name) {
        webhookService = launch(name, "webhook-service", WEBHOOK_PORT, Map.of(), Map.of());
        return webhookService;
    }

    /** The webhook-service started last. */
    ServiceProcess webhookService() {
        return webhookService;
    }

    /** The catalog-service. */
    ServiceProcess catalogService() {
        return catalogService;
    }

    /** The sender replicas in the order they were started, dead ones included. */
    List<ServiceProcess> senders() {
        return List.copyOf(senders);
    }

    /**
     * A new sender replica on the next free sender port; does not wait for it. A replica killed
     * without leaving hands its partitions over after the session timeout (6 s here), and its claims
     * without a recorded answer become {@code unknown} after the call timeout + 5 s (10 s here): the
     * defaults (10 s, 15 s) would only make the fault test longer.
     */
    ServiceProcess startSender() {
        int index = senders.size();
        ServiceProcess sender = launch("sender-" + index, "sender-service", FIRST_SENDER_PORT + index,
                Map.of("wacast.sender.session-timeout", "6s", "wacast.meta.call-timeout", "5s"),
                Map.of("WACAST_META_GRAPH_URL", "http://127.0.0.1:" + SIMULATOR_PORT));
        senders.add(sender);
        return sender;
    }

    private ServiceProcess launch(String name, String module, int port, Map<String, String> properties,
            Map<String, String> env) {
        Map<String, String> environment = new HashMap<>(env);
        environment.put("WACAST_SIM_THROUGHPUT_PER_SECOND", Integer.toString(THROUGHPUT));
        environment.put("WACAST_SENDER_DEFAULT_THROUGHPUT", Integer.toString(THROUGHPUT));
        environment.put("WACAST_CAMPAIGN_NUMBER_CAP_PER_SECOND", Integer.toString(THROUGHPUT));
        // Six JVMs, Kafka and MariaDB share two cores in CI: C1 only and the serial collector keep
        // the JIT and GC threads of one service from starving the others.
        ServiceProcess process = ServiceProcess.start(name, root.resolve(module + "/target/quarkus-app/quarkus-run.jar"),
                port, new ServiceProcess.Launch(0, List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"), properties,
                        environment, logDir));
        processes.add(process);
        return process;
    }

    private static String required(String variable) {
        String value = System.getenv(variable);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException(variable + " is not set: run with the environment of ./wacast env");
        }
        return value;
    }

    /**
     * The packaged services join their real consumer groups, which start at the earliest offset
     * when new. The broker may carry hundreds of thousands of other tests' jobs and events; an idle
     * group is moved to the current end of its topics first, so the run sends this test's campaign
     * instead of working off a stranger's backlog. A group that has members (another wacast on this
     * broker) is consuming already and is left alone. Whatever older records the services still
     * read belong to other campaigns and cannot touch this one's counters.
     */
    private static void positionGroupsAtTheEnd(String bootstrap) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            for (Map.Entry<String, List<String>> group : GROUPS.entrySet()) {
                Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
                admin.describeTopics(group.getValue()).allTopicNames().get().forEach((topic, description) ->
                        description.partitions().forEach(p -> latest.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest())));
                Map<TopicPartition, OffsetAndMetadata> end = new HashMap<>();
                admin.listOffsets(latest).all().get().forEach((partition, info) -> end.put(partition, new OffsetAndMetadata(info.offset())));
                try {
                    admin.alterConsumerGroupOffsets(group.getKey(), end).all().get();
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof GroupNotEmptyException)) {
                        throw e;
                    }
                    LOG.log(System.Logger.Level.INFO, "consumer group " + group.getKey() + " has members elsewhere; left where it is");
                }
            }
        } catch (ExecutionException e) {
            throw new IllegalStateException("could not move the consumer groups " + GROUPS.keySet() + " to the end of their topics", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Registers the simulator's seeded {@code tour_package_marketing} (en_US) in the campaign-service; 409 when it is there. */
    public void registerTemplate() {
        JsonHttp.Answer answer = operator.call("POST", "/templates", "application/json", TEMPLATE);
        if (!answer.ok() && answer.status() != 409) {
            throw new IllegalStateException("template registration → " + answer.status() + ": " + answer.raw());
        }
    }

    /** A draft campaign of the template, at the number's full rate; its id. */
    long createCampaign(String name) {
        return operator.postJson("/campaigns", """
                {"name":"%s","templateName":"tour_package_marketing","templateLanguage":"en_US",
                 "templateVariables":{"header.image":"https://tours.example.com/img/bali.jpg","body.2":"₹45,000","button.url.0":"bali-7n"}}"""
                .formatted(name)).path("id").asLong();
    }

    /** Uploads the recipients as CSV; the upload report. */
    JsonNode upload(long campaign, RecipientList recipients) {
        return operator.expectOk("POST", "/campaigns/" + campaign + "/recipients", "text/csv", recipients.csv());
    }

    void send(long campaign) {
        operator.expectOk("POST", "/campaigns/" + campaign + "/send", null, null);
    }

    /**
     * The campaign's recipients that have a Meta message id (those Meta accepted): phone number by
     * wamid, from {@code GET …/campaigns/{id}/recipients}.
     */
    Map<String, String> messagedRecipients(long campaign) {
        Map<String, String> byWamid = new HashMap<>();
        long total = Long.MAX_VALUE;
        for (int page = 0; page * 1000L < total; page++) {
            JsonNode answer = operator.get("/campaigns/" + campaign + "/recipients?size=1000&page=" + page);
            total = answer.path("total").asLong();
            answer.path("items").forEach(recipient -> {
                String wamid = recipient.path("wamid").asText(null);
                if (wamid != null) {
                    byWamid.put(wamid, recipient.path("phoneNumber").asText());
                }
            });
        }
        return byWamid;
    }

    /**
     * Opens a {@link Shop} of this run's own in the catalog-service, through its API as an operator
     * would, and points the simulator's order messages ({@code PUT /sim/config {"order":…}}) at its
     * catalog and products.
     */
    Shop openShop(String name) {
        Shop shop = Shop.open(operator, catalogApi(), name);
        configureSimulator("{\"order\":" + shop.simulatorOrders() + "}");
        return shop;
    }

    private static String catalogApi() {
        return "http://127.0.0.1:" + CATALOG_PORT + "/api/whatsapp";
    }

    /** {@code GET /api/whatsapp/campaigns/{id}}. */
    JsonNode campaign(long campaign) {
        return operator.get("/campaigns/" + campaign);
    }

    /** {@code POST /api/whatsapp/campaigns/{id}/<action>} (pause, resume, cancel), whatever it answers. */
    JsonHttp.Answer act(long campaign, String action) {
        return operator.call("POST", "/campaigns/" + campaign + "/" + action, null, null);
    }

    /** An operator {@code POST} of JSON to the campaign-service API; the answer, which must be 2xx. */
    JsonNode operatorPost(String path, String json) {
        return operator.postJson(path, json);
    }

    /** An operator {@code GET} of the campaign-service API, e.g. {@code /templates?status=approved}. */
    JsonNode operatorGet(String path) {
        return operator.get(path);
    }

    /** The account-level webhooks the simulator armed or sent ({@code GET /sim/signals}). */
    JsonNode simulatorSignals() {
        return simulatorHttp.get("/sim/signals");
    }

    /** {@code GET /api/whatsapp/campaigns/{id}/stats}. */
    public JsonNode stats(long campaign) {
        return operator.get("/campaigns/" + campaign + "/stats");
    }

    /** The simulator's truth about one campaign ({@code GET /sim/stats?campaignId=}). */
    public JsonNode truth(long campaign) {
        return simulatorHttp.get("/sim/stats?campaignId=" + campaign);
    }

    /** The simulator's whole truth ({@code GET /sim/stats}). */
    JsonNode simulatorStats() {
        return simulatorHttp.get("/sim/stats");
    }

    /**
     * A marketing template {@code name} whose body takes {@code {{1}}} and {@code {{2}}} (as
     * {@code tour_package_marketing}: the recipients' CSV gives body.1) with the quick-reply
     * {@code buttons}, added to the simulator's account as Meta lists it ({@code POST /sim/templates})
     * and registered with the operator API (already registered: fine).
     */
    public void registerQuickReplyTemplate(String name, String... buttons) {
        String body = "Pack your bags for {{1}}! 7 nights with flights and hotel from {{2}}. Interested?";
        StringBuilder meta = new StringBuilder();
        StringBuilder ours = new StringBuilder();
        for (String button : buttons) {
            meta.append(meta.isEmpty() ? "" : ",").append("{\"type\":\"QUICK_REPLY\",\"text\":\"").append(button).append("\"}");
            ours.append(ours.isEmpty() ? "" : ",").append("{\"type\":\"quick_reply\",\"text\":\"").append(button).append("\"}");
        }
        simulatorHttp.expectOk("POST", "/sim/templates", "application/json", """
                {"name":"%s","language":"en_US","status":"APPROVED","category":"MARKETING",
                 "components":[{"type":"BODY","text":"%s"},{"type":"BUTTONS","buttons":[%s]}]}""".formatted(name, body, meta));
        JsonHttp.Answer answer = operator.call("POST", "/templates", "application/json", """
                {"name":"%s","language":"en_US","category":"marketing","body":"%s","buttons":[%s]}""".formatted(name, body, ours));
        if (!answer.ok() && answer.status() != 409) {
            throw new IllegalStateException("template registration → " + answer.status() + ": " + answer.raw());
        }
    }

    /** Merges {@code patch} over the simulator's runtime settings ({@code PUT /sim/config}). */
    public void configureSimulator(String patch) {
        simulatorHttp.expectOk("PUT", "/sim/config", "application/json", patch);
    }

    /** Waits until the campaign reports {@code completed}; fails early if it pauses or is cancelled. */
    void awaitCompleted(long campaign, Duration atMost) {
        await("campaign " + campaign + " completed").atMost(atMost).pollInterval(Duration.ofMillis(500)).until(() -> {
            JsonNode stats = stats(campaign);
            String status = stats.path("campaign").path("status").asText();
            if (status.equals("paused") || status.equals("cancelled")) {
                throw new AssertionError("campaign " + campaign + " is " + status + ": " + stats);
            }
            return status.equals("completed");
        });
    }

    /** Waits until the simulator has no webhook left to deliver (planned, queued or being retried). */
    public void awaitWebhooksDelivered(Duration atMost) {
        await("every webhook delivered").atMost(atMost).pollInterval(Duration.ofMillis(500))
                .until(() -> simulatorStats().path("webhooksPending").asLong() == 0);
    }

    /**
     * Waits until the catalog-service's consumer group has committed every record on
     * {@code wacast.orders} up to the topic's end as it is now: every order event published so far
     * (each webhook answered, duplicates and retried copies included) has been taken, so the
     * orders it recorded are final. Call it after {@link #awaitWebhooksDelivered}.
     */
    void awaitOrdersConsumed(Duration atMost) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            admin.describeTopics(List.of(Topics.ORDERS)).allTopicNames().get().get(Topics.ORDERS).partitions()
                    .forEach(p -> latest.put(new TopicPartition(Topics.ORDERS, p.partition()), OffsetSpec.latest()));
            Map<TopicPartition, Long> end = new HashMap<>();
            admin.listOffsets(latest).all().get().forEach((partition, info) -> end.put(partition, info.offset()));
            await("catalog-service consumed " + Topics.ORDERS + " up to " + end).atMost(atMost).pollInterval(Duration.ofMillis(500))
                    .until(() -> {
                        Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(CATALOG_GROUP)
                                .partitionsToOffsetAndMetadata().get();
                        return end.entrySet().stream().allMatch(e -> committed.get(e.getKey()) == null
                                ? e.getValue() == 0 : committed.get(e.getKey()).offset() >= e.getValue());
                    });
        } catch (ExecutionException e) {
            throw new IllegalStateException("could not read the offsets of " + Topics.ORDERS, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The counters of {@code GET …/stats}, in the API's order. */
    public static Map<String, Long> counters(JsonNode stats) {
        Map<String, Long> counters = new LinkedHashMap<>();
        stats.path("stats").fields().forEachRemaining(field -> counters.put(field.getKey(), field.getValue().asLong()));
        return counters;
    }

    /**
     * What {@code GET …/stats} must report once everything has settled, from the simulator's truth
     * (counts are cumulative, docs/DESIGN.md §4): {@code sent} every recipient Meta accepted,
     * {@code delivered}, {@code read} and {@code responded} what its webhooks said, {@code optedOut}
     * those Meta answered 131050, {@code unknown} as the test expects it, {@code failed} the
     * recipients whose delivery failed by webhook plus those never accepted for any other reason, and
     * {@code resentUnknown} as the test expects it (the unknown safety net), none kept unknown.
     */
    public static Map<String, Long> expectedCounters(JsonNode truth, long total, long unknown, long resentUnknown) {
        long accepted = truth.path("recipientsAccepted").asLong();
        long optedOut = rejected(truth, 131050);
        Map<String, Long> expected = new LinkedHashMap<>();
        expected.put("total", total);
        expected.put("pending", 0L);
        expected.put("queued", 0L);
        expected.put("sent", accepted);
        expected.put("delivered", truth.path("delivered").asLong());
        expected.put("read", truth.path("read").asLong());
        expected.put("failed", truth.path("failed").asLong() + total - accepted - optedOut - unknown);
        expected.put("optedOut", optedOut);
        expected.put("responded", truth.path("replies").asLong());
        expected.put("unknown", unknown);
        expected.put("resentUnknown", resentUnknown);
        expected.put("keptUnknown", 0L);
        expected.put("cancelled", 0L);
        // every inbound message of the simulator quotes the campaign's message, or quotes nothing and
        // comes from a number only this campaign messaged (the reply window), and is credited to it; a
        // STOP is a reply too; a recipient answers at most once, so each order is another recipient's
        expected.put("replies", truth.path("replies").asLong() + truth.path("optOuts").asLong());
        expected.put("orders", truth.path("orders").asLong());
        expected.put("converted", truth.path("orders").asLong());
        return expected;
    }

    /** One line for the test's output: the campaign's counters next to the simulator's truth. */
    String summary(long campaign, JsonNode truth) {
        return "campaign " + campaign + " " + counters(stats(campaign)) + "; simulator: acceptedCalls "
                + truth.path("acceptedCalls") + ", recipientsAccepted " + truth.path("recipientsAccepted") + ", rejectedByCode "
                + truth.path("rejectedByCode") + ", sent " + truth.path("sent") + ", delivered " + truth.path("delivered")
                + ", read " + truth.path("read") + ", failedByCode " + truth.path("failedByCode") + ", replies "
                + truth.path("replies") + ", optOuts " + truth.path("optOuts") + ", orders " + truth.path("orders")
                + ", duplicates " + truth.path("duplicates");
    }

    /** Calls the simulator rejected with {@code code}, per its truth. */
    static long rejected(JsonNode truth, int code) {
        return truth.path("rejectedByCode").path(Integer.toString(code)).asLong();
    }

    @Override
    public void testFailed(ExtensionContext context, Throwable cause) {
        StringBuilder report = new StringBuilder("\n==== service logs (tails; whole logs in " + logDir + ") ====\n");
        for (ServiceProcess process : processes) {
            report.append("---- ").append(process.name).append(process.isAlive() ? "" : " (not running)").append(" ----\n")
                    .append(process.logTail(30)).append('\n');
        }
        if (simulatorHttp != null) {
            try {
                report.append("---- simulator stats ----\n").append(simulatorStats()).append('\n');
            } catch (RuntimeException e) {
                report.append("simulator stats unavailable: ").append(e.getMessage()).append('\n');
            }
        }
        System.err.println(report);
    }

    /** Stops every service this system started (SIGTERM, then SIGKILL after the grace period). */
    @Override
    public void close() {
        ServiceProcess.stopAll(processes.stream().filter(ServiceProcess::isAlive).toList());
    }
}
