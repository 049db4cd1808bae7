package io.wacast.common.deploy;

import static io.wacast.common.deploy.Repository.ROOT;
import static io.wacast.common.deploy.Repository.httpPort;
import static io.wacast.common.deploy.Repository.requiredEnvironment;
import static org.assertj.core.api.Assertions.assertThat;

import io.wacast.common.Topics;
import io.wacast.common.Topics.TopicSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.yaml.snakeyaml.Yaml;

/**
 * What ops rely on in k8s/, checked without a cluster: both overlays are rendered with
 * {@code kubectl kustomize} where kubectl is installed (otherwise the base and overlay files are
 * read as they are, unpatched), and every wacast workload must have probes, limits, a non-root
 * context, its image and port, and every environment variable its service requires.
 */
class KubernetesManifestsTest {

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void everyServiceDeploymentHasProbesLimitsAndANonRootContext(String overlay) {
        List<Map<String, Object>> docs = render(overlay);
        List<Map<String, Object>> deployments = wacastDeployments(docs);
        assertThat(deployments).extracting(KubernetesManifestsTest::name)
                .containsAll(List.of("campaign-service", "sender-service", "webhook-service", "catalog-service"));

        for (Map<String, Object> deployment : deployments) {
            String service = name(deployment);
            Map<String, Object> pod = map(map(map(deployment, "spec"), "template"), "spec");
            Map<String, Object> container = only(list(pod, "containers"));

            assertThat(map(pod, "securityContext").get("runAsNonRoot")).as(service).isEqualTo(true);
            assertThat(map(container, "securityContext").get("allowPrivilegeEscalation")).as(service).isEqualTo(false);
            assertThat(strings(path(container, "securityContext", "capabilities", "drop"))).as(service).contains("ALL");
            assertThat(path(container, "startupProbe", "httpGet", "path")).as(service).isEqualTo("/q/health/started");
            assertThat(path(container, "readinessProbe", "httpGet", "path")).as(service).isEqualTo("/q/health/ready");
            assertThat(path(container, "livenessProbe", "httpGet", "path")).as(service).isEqualTo("/q/health/live");
            for (String kind : List.of("requests", "limits")) {
                assertThat(map(map(container, "resources"), kind)).as(service + " " + kind).containsKeys("cpu", "memory");
            }
            long shutdownSeconds = Duration.parse("PT" + Repository.properties(service)
                    .getProperty("quarkus.shutdown.timeout", "10s").toUpperCase()).toSeconds();
            assertThat(((Number) pod.get("terminationGracePeriodSeconds")).longValue()).as(service)
                    .isGreaterThan(shutdownSeconds);
            assertThat(map(map(map(deployment, "spec"), "template"), "metadata").get("annotations").toString())
                    .as(service).contains("prometheus.io/scrape=true", "prometheus.io/path=/q/metrics");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void imagesAndPortsMatchTheServices(String overlay) {
        List<Map<String, Object>> docs = render(overlay);
        for (Map<String, Object> deployment : wacastDeployments(docs)) {
            String service = name(deployment);
            Map<String, Object> container = only(list(map(map(map(deployment, "spec"), "template"), "spec"), "containers"));
            assertThat((String) container.get("image")).as(service).matches("(.+/)?wacast/" + service + ":[\\w.-]+");
            assertThat(only(list(container, "ports")).get("containerPort")).as(service).isEqualTo(httpPort(service));

            Map<String, Object> svc = find(docs, "Service", service);
            assertThat(only(list(map(svc, "spec"), "ports")).get("port")).as(service).isEqualTo(httpPort(service));
            assertThat(map(map(svc, "spec"), "selector")).as(service)
                    .isEqualTo(map(map(map(deployment, "spec"), "selector"), "matchLabels"));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void everyRequiredEnvironmentVariableComesFromAConfigMapOrTheSecret(String overlay) {
        List<Map<String, Object>> docs = render(overlay);
        for (Map<String, Object> deployment : wacastDeployments(docs)) {
            String service = name(deployment);
            Map<String, Object> container = only(list(map(map(map(deployment, "spec"), "template"), "spec"), "containers"));
            Set<String> provided = new HashSet<>();
            for (Map<String, Object> env : list(container, "env")) {
                provided.add((String) env.get("name"));
                Object secretRef = env.get("valueFrom") == null ? null : map(map(env, "valueFrom"), "secretKeyRef").get("name");
                if (secretRef != null) {
                    assertThat(secretRef).as(service).isEqualTo("wacast-secrets");
                }
            }
            for (Map<String, Object> source : list(container, "envFrom")) {
                String configMap = (String) map(source, "configMapRef").get("name");
                provided.addAll(map(find(docs, "ConfigMap", configMap), "data").keySet());
            }
            assertThat(provided).as(service).containsAll(requiredEnvironment(service));
            if (Repository.usesDatabase(service)) {
                assertThat(provided).as(service).contains("WACAST_DB_HOST", "WACAST_DB_PORT");
            }
            if (Repository.usesKafka(service)) {
                assertThat(provided).as(service).contains("KAFKA_BOOTSTRAP_SERVERS");
            }
        }
        assertThat(map(find(docs, "ConfigMap", "wacast-config"), "data"))
                .containsEntry("QUARKUS_LOG_CONSOLE_JSON_ENABLED", "true");
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void nothingSecretIsCommittedAndEveryWorkloadRunsAsNonRoot(String overlay) {
        List<Map<String, Object>> docs = render(overlay);
        assertThat(docs).extracting(d -> d.get("kind")).doesNotContain("Secret");
        for (Map<String, Object> doc : docs) {
            if (List.of("Deployment", "StatefulSet", "Job").contains(doc.get("kind"))) {
                assertThat(map(map(map(map(doc, "spec"), "template"), "spec"), "securityContext").get("runAsNonRoot"))
                        .as(name(doc)).isEqualTo(true);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void senderScalesOnLagButNeverBeyondThePartitions(String overlay) {
        List<Map<String, Object>> docs = render(overlay);
        Map<String, Object> scaled = find(docs, "ScaledObject", "sender-service");
        int partitions = Topics.ALL.stream().filter(t -> t.name().equals(Topics.SEND_JOBS)).findFirst()
                .orElseThrow().partitions();
        assertThat(((Number) map(scaled, "spec").get("maxReplicaCount")).intValue()).isBetween(1, partitions);
        Map<String, Object> trigger = map(only(list(map(scaled, "spec"), "triggers")), "metadata");
        assertThat(trigger).containsEntry("topic", Topics.SEND_JOBS).containsEntry("allowIdleConsumers", "false");
        // KEDA must watch the group the sender really consumes with (its default in SenderConfig).
        assertThat(Repository.read("sender-service/src/main/java/io/wacast/sender/config/SenderConfig.java"))
                .contains("@WithDefault(\"" + trigger.get("consumerGroup") + "\")");
        assertThat(find(docs, "HorizontalPodAutoscaler", "webhook-service")).isNotNull();
        assertThat(find(docs, "PodDisruptionBudget", "sender-service")).isNotNull();
        assertThat(find(docs, "PodDisruptionBudget", "webhook-service")).isNotNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev"})
    void devClusterCreatesTheTopicsOfCommon(String overlay) {
        String script = String.join("\n", strings(path(
                only(list(map(map(map(find(render(overlay), "Job", "kafka-topics"), "spec"), "template"), "spec"), "containers")),
                "args")));
        List<TopicSpec> listed = new ArrayList<>();
        for (String line : script.lines().map(String::strip).toList()) {
            String[] f = line.split("\\s+");
            if (f.length == 3 && f[0].startsWith("wacast.")) {
                listed.add(new TopicSpec(f[0], Integer.parseInt(f[1]), f[2].equals("compact")));
            }
        }
        assertThat(listed).containsExactlyElementsOf(Topics.ALL);
    }

    // ---- rendering --------------------------------------------------------------------------

    /**
     * The dev overlay runs the business numbers docker-compose.yml runs (the same files as infra/numbers/),
     * each service that reads one mounts it and points QUARKUS_CONFIG_LOCATIONS at it, and every token
     * variable comes from a key of the Secret; the sender may send from every registered number. The
     * env patches are checked on the rendered overlay only (kubectl).
     */
    @org.junit.jupiter.api.Test
    void devRunsTheBusinessNumbersOfComposeWithASecretKeyPerToken() {
        Map<String, String> files = Map.of("campaign-service", "wacast-numbers", "sender-service", "wacast-numbers",
                "meta-simulator", "wacast-simulator-numbers");
        for (String service : files.keySet()) {
            assertThat(Repository.read("k8s/overlays/dev/numbers/" + service + ".properties")).as(service)
                    .isEqualTo(Repository.read("infra/numbers/" + service + ".properties"));
        }
        org.junit.jupiter.api.Assumptions.assumeTrue(kubectlAvailable(), "kubectl renders the overlay's patches");
        List<Map<String, Object>> docs = render("dev");
        for (Map.Entry<String, String> entry : files.entrySet()) {
            String service = entry.getKey();
            Map<String, Object> deployment = find(docs, "Deployment", service);
            Map<String, Object> pod = map(map(deployment, "spec"), "template");
            Map<String, Object> container = only(list(map(pod, "spec"), "containers"));
            Map<String, Map<String, Object>> env = new java.util.HashMap<>();
            list(container, "env").forEach(e -> env.put((String) e.get("name"), e));
            assertThat(env.get("QUARKUS_CONFIG_LOCATIONS")).as(service).containsEntry("value", "/etc/wacast/numbers.properties");
            Map<String, Object> volume = list(map(pod, "spec"), "volumes").stream()
                    .filter(v -> v.containsKey("configMap")).findFirst().orElseThrow();
            assertThat((String) map(volume, "configMap").get("name")).as(service).startsWith(entry.getValue() + "-");
            Set<String> variables = new HashSet<>(Numbers.references(
                    Repository.read("infra/numbers/" + service + ".properties")));
            if (service.equals("sender-service")) {
                String registry = Repository.read("infra/numbers/campaign-service.properties");
                variables.addAll(Numbers.tokenRefs(registry));
                assertThat(List.of(String.valueOf(env.get("WACAST_SENDER_PHONE_NUMBER_IDS").get("value")).split(",")))
                        .containsExactlyInAnyOrderElementsOf(Numbers.registered(registry));
            }
            for (String variable : variables) {
                assertThat(env).as(service).containsKey(variable);
                assertThat(path(env.get(variable), "valueFrom", "secretKeyRef", "name")).as(service + " " + variable)
                        .isEqualTo("wacast-secrets");
            }
        }
    }

    static List<Map<String, Object>> render(String overlay) {
        Path dir = ROOT.resolve("k8s/overlays/" + overlay);
        return kubectlAvailable() ? kustomize(dir) : readUnpatched(dir);
    }

    private static boolean kubectlAvailable() {
        return Stream.of(Objects.requireNonNullElse(System.getenv("PATH"), "").split(java.io.File.pathSeparator))
                .anyMatch(p -> Files.isExecutable(Path.of(p, "kubectl")));
    }

    private static List<Map<String, Object>> kustomize(Path dir) {
        try {
            Process process = new ProcessBuilder("kubectl", "kustomize", dir.toString()).redirectErrorStream(false).start();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(process.exitValue()).as("kubectl kustomize %s: %s", dir, err).isZero();
            return parse(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Without kubectl: the base's and the overlay's own resource files, as written. */
    private static List<Map<String, Object>> readUnpatched(Path overlay) {
        List<Map<String, Object>> docs = new ArrayList<>();
        for (Path dir : List.of(ROOT.resolve("k8s/base"), overlay)) {
            Map<String, Object> kustomization = parse(Repository.read(ROOT.relativize(dir.resolve("kustomization.yaml")).toString())).get(0);
            for (Object resource : (List<?>) kustomization.get("resources")) {
                Path file = dir.resolve((String) resource).normalize();
                if (Files.isRegularFile(file)) {
                    docs.addAll(parse(Repository.read(ROOT.relativize(file).toString())));
                }
            }
        }
        return docs;
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> parse(String yaml) {
        List<Map<String, Object>> docs = new ArrayList<>();
        for (Object doc : new Yaml().loadAll(yaml)) {
            if (doc != null) {
                docs.add((Map<String, Object>) doc);
            }
        }
        return docs;
    }

    // ---- navigation -------------------------------------------------------------------------

    private static List<Map<String, Object>> wacastDeployments(List<Map<String, Object>> docs) {
        return docs.stream().filter(d -> "Deployment".equals(d.get("kind")))
                .filter(d -> Repository.SERVICES.contains(name(d))).toList();
    }

    private static Map<String, Object> find(List<Map<String, Object>> docs, String kind, String name) {
        return docs.stream().filter(d -> kind.equals(d.get("kind")) && name.equals(name(d))).findFirst()
                .orElseThrow(() -> new AssertionError("no " + kind + " " + name));
    }

    private static String name(Map<String, Object> doc) {
        return (String) map(doc, "metadata").get("name");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Map<String, Object> parent, String key) {
        Object value = parent.get(key);
        return value == null ? Map.of() : (Map<String, Object>) value;
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> list(Map<String, Object> parent, String key) {
        Object value = parent.get(key);
        return value == null ? List.of() : (List<Map<String, Object>>) value;
    }

    @SuppressWarnings("unchecked")
    private static Object path(Map<String, Object> root, String... keys) {
        Object current = root;
        for (String key : keys) {
            current = current == null ? null : ((Map<String, Object>) current).get(key);
        }
        return current;
    }

    @SuppressWarnings("unchecked")
    private static List<String> strings(Object value) {
        return value == null ? List.of() : (List<String>) value;
    }

    private static Map<String, Object> only(List<Map<String, Object>> items) {
        assertThat(items).hasSize(1);
        return items.get(0);
    }
}
