package io.wacast.common.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.wacast.common.Topics;
import io.wacast.common.Topics.TopicSpec;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * The local launcher, docker-compose.yml and the services' own configuration describe one system;
 * nothing else checks that they agree, so this test reads them side by side.
 */
class DeploymentDescriptorsTest {

    private static final Path ROOT = findRoot();
    /** `${NAME}` or `${NAME:}`: an environment variable the service cannot start without. */
    private static final Pattern REQUIRED_ENV = Pattern.compile("\\$\\{([A-Z][A-Z0-9_]*)(:)?}");

    static Stream<String> services() {
        return Stream.of("campaign-service", "sender-service", "webhook-service", "catalog-service", "meta-simulator");
    }

    @Test
    void topicsConfCreatesExactlyTheTopicsOfCommon() throws IOException {
        List<TopicSpec> fromFile = new ArrayList<>();
        for (String line : Files.readAllLines(ROOT.resolve("infra/topics.conf"))) {
            String trimmed = line.strip();
            if (!trimmed.isEmpty() && !trimmed.startsWith("#")) {
                String[] f = trimmed.split("\\s+");
                fromFile.add(new TopicSpec(f[0], Integer.parseInt(f[1]), f[2].equals("compact")));
            }
        }
        assertThat(fromFile).containsExactlyElementsOf(Topics.ALL);
    }

    @Test
    void composeRunsEveryServiceAndTheInfrastructure() {
        assertThat(compose().keySet()).containsAll(services().toList()).contains("mysql", "kafka", "kafka-topics");
        assertThat(String.valueOf(compose().get("mysql").get("image"))).startsWith("mysql:8.4");
    }

    @ParameterizedTest
    @MethodSource("services")
    void composePublishesTheServicePortAndChecksItsHealth(String service) throws IOException {
        String port = properties(service).getProperty("quarkus.http.port");
        Map<String, Object> definition = compose().get(service);

        assertThat(definition.get("ports")).asList().containsExactly(port + ":" + port);
        assertThat(definition.get("image")).isEqualTo("wacast/" + service + ":0.1.0");
        assertThat(((Map<?, ?>) ((Map<?, ?>) definition.get("build")).get("args")).get("SERVICE")).isEqualTo(service);
        assertThat(String.valueOf(((Map<?, ?>) definition.get("healthcheck")).get("test")))
                .contains("http://localhost:" + port + "/q/health/ready");
    }

    @ParameterizedTest
    @MethodSource("services")
    void composeProvidesEveryEnvironmentVariableTheServiceRequires(String service) throws IOException {
        Set<String> required = requiredEnvironment(service);
        assertThat(environment(service).keySet()).containsAll(required);
        if (properties(service).containsKey("quarkus.datasource.jdbc.url")) {
            assertThat(environment(service)).containsEntry("WACAST_DB_HOST", "mysql").containsKey("WACAST_DB_PORT");
            assertThat(((Map<?, ?>) compose().get(service).get("depends_on")).containsKey("mysql")).isTrue();
            assertThat(environment("mysql").keySet()).containsAll(required);
        }
        if (properties(service).containsKey("kafka.bootstrap.servers")) {
            assertThat(environment(service)).containsEntry("KAFKA_BOOTSTRAP_SERVERS", "kafka:9092");
        }
    }

    @ParameterizedTest
    @MethodSource("services")
    void launcherStartsTheServiceOnItsConfiguredPort(String service) throws IOException {
        String launcher = Files.readString(ROOT.resolve("wacast"));
        assertThat(launcher).contains(service + ":" + properties(service).getProperty("quarkus.http.port"));
    }

    @Test
    void everySecretTheLauncherGeneratesIsInTheComposeExampleEnvironment() throws IOException {
        String example = Files.readString(ROOT.resolve(".env.example"));
        Matcher generated = Pattern.compile("echo \"(WACAST_[A-Z_]+)=").matcher(Files.readString(ROOT.resolve("wacast")));
        Set<String> names = new TreeSet<>();
        while (generated.find()) {
            names.add(generated.group(1));
        }
        names.add("WACAST_CAMPAIGN_DB_PASSWORD");
        assertThat(names).hasSizeGreaterThan(3).allSatisfy(name -> assertThat(example).contains(name + "="));
    }

    private static Set<String> requiredEnvironment(String service) throws IOException {
        Set<String> names = new TreeSet<>();
        for (String value : properties(service).stringPropertyNames().stream()
                .filter(key -> !key.startsWith("%"))
                .map(properties(service)::getProperty)
                .toList()) {
            Matcher m = REQUIRED_ENV.matcher(value);
            while (m.find()) {
                names.add(m.group(1));
            }
        }
        return names;
    }

    private static Properties properties(String service) throws IOException {
        Properties p = new Properties();
        try (Reader in = Files.newBufferedReader(ROOT.resolve(service + "/src/main/resources/application.properties"))) {
            p.load(in);
        }
        return p;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Map<String, Object>> compose() {
        try (Reader in = Files.newBufferedReader(ROOT.resolve("docker-compose.yml"))) {
            Map<String, Object> document = new Yaml().load(in);
            return (Map<String, Map<String, Object>>) document.get("services");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> environment(String service) {
        return (Map<String, Object>) compose().get(service).get("environment");
    }

    private static Path findRoot() {
        String configured = System.getProperty("wacast.root");
        Path dir = configured != null ? Path.of(configured) : Path.of("").toAbsolutePath();
        while (dir != null && !Files.exists(dir.resolve("docker-compose.yml"))) {
            dir = dir.getParent();
        }
        if (dir == null) {
            throw new IllegalStateException("repository root (with docker-compose.yml) not found");
        }
        return dir;
    }
}
