package io.wacast.common.deploy;

import static io.wacast.common.deploy.Repository.ROOT;
import static io.wacast.common.deploy.Repository.httpPort;
import static io.wacast.common.deploy.Repository.read;
import static io.wacast.common.deploy.Repository.requiredEnvironment;
import static org.assertj.core.api.Assertions.assertThat;

import io.wacast.common.Topics;
import io.wacast.common.Topics.TopicSpec;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.yaml.snakeyaml.Yaml;

/**
 * The local launcher, docker-compose.yml and the services' own configuration describe one system;
 * nothing else checks that they agree, so this test reads them side by side.
 */
class DeploymentDescriptorsTest {

    static Stream<String> services() {
        return Repository.SERVICES.stream();
    }

    @Test
    void topicsConfCreatesExactlyTheTopicsOfCommon() {
        List<TopicSpec> fromFile = new ArrayList<>();
        for (String line : read("infra/topics.conf").lines().toList()) {
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
        assertThat(compose().keySet()).containsAll(Repository.SERVICES).contains("mysql", "kafka", "kafka-topics");
        assertThat(String.valueOf(compose().get("mysql").get("image"))).startsWith("mysql:8.4");
    }

    @ParameterizedTest
    @MethodSource("services")
    void composePublishesTheServicePortAndChecksItsHealth(String service) {
        int port = httpPort(service);
        Map<String, Object> definition = compose().get(service);

        assertThat(definition.get("ports")).asList().containsExactly(port + ":" + port);
        assertThat(definition.get("image")).isEqualTo("wacast/" + service + ":0.1.0");
        assertThat(((Map<?, ?>) ((Map<?, ?>) definition.get("build")).get("args")).get("SERVICE")).isEqualTo(service);
        assertThat(String.valueOf(((Map<?, ?>) definition.get("healthcheck")).get("test")))
                .contains("http://localhost:" + port + "/q/health/ready");
    }

    @ParameterizedTest
    @MethodSource("services")
    void composeProvidesEveryEnvironmentVariableTheServiceRequires(String service) {
        Set<String> required = requiredEnvironment(service);
        assertThat(environment(service).keySet()).containsAll(required);
        if (Repository.usesDatabase(service)) {
            assertThat(environment(service)).containsEntry("WACAST_DB_HOST", "mysql").containsKey("WACAST_DB_PORT");
            assertThat(((Map<?, ?>) compose().get(service).get("depends_on")).containsKey("mysql")).isTrue();
            assertThat(environment("mysql").keySet())
                    .containsAll(required.stream().filter(name -> name.endsWith("_DB_PASSWORD")).toList());
        }
        if (Repository.usesKafka(service)) {
            assertThat(environment(service)).containsEntry("KAFKA_BOOTSTRAP_SERVERS", "kafka:9092");
        }
    }

    @ParameterizedTest
    @MethodSource("services")
    void launcherStartsTheServiceOnItsConfiguredPort(String service) {
        assertThat(read("wacast")).contains(service + ":" + httpPort(service));
    }

    @Test
    void everySecretTheLauncherGeneratesIsInTheComposeExampleEnvironment() {
        String example = read(".env.example");
        Matcher generated = Pattern.compile("echo \"(WACAST_[A-Z_]+)=").matcher(read("wacast"));
        Set<String> names = new TreeSet<>();
        while (generated.find()) {
            names.add(generated.group(1));
        }
        names.add("WACAST_CAMPAIGN_DB_PASSWORD");
        assertThat(names).hasSizeGreaterThan(3).allSatisfy(name -> assertThat(example).contains(name + "="));
    }

    /**
     * The business numbers (issue 17 §5): each service that reads a file of infra/numbers/ mounts it, points
     * QUARKUS_CONFIG_LOCATIONS at it and gets every variable it references from .env; the sender may send
     * from every registered number and gets the token variable the registry names for each.
     */
    @Test
    @SuppressWarnings("unchecked")
    void composeGivesEveryBusinessNumberItsTokenFromTheEnvironmentFile() {
        String example = read(".env.example");
        for (String service : List.of("campaign-service", "sender-service", "meta-simulator")) {
            String file = "infra/numbers/" + service + ".properties";
            Map<String, Object> env = environment(service);
            assertThat(env).as(service).containsEntry("QUARKUS_CONFIG_LOCATIONS", "/etc/wacast/numbers.properties");
            assertThat((List<Object>) compose().get(service).get("volumes")).as(service)
                    .contains("./" + file + ":/etc/wacast/numbers.properties:ro");
            for (String variable : Numbers.references(read(file))) {
                assertThat(String.valueOf(env.get(variable))).as(service + " " + variable).startsWith("${" + variable + ":?");
                assertThat(example).contains(variable + "=");
            }
        }
        String registry = read("infra/numbers/campaign-service.properties");
        Map<String, Object> sender = environment("sender-service");
        assertThat(sender.keySet()).containsAll(Numbers.tokenRefs(registry));
        assertThat(List.of(String.valueOf(sender.get("WACAST_SENDER_PHONE_NUMBER_IDS")).split(",")))
                .containsExactlyInAnyOrderElementsOf(Numbers.registered(registry)).hasSizeGreaterThan(1);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Map<String, Object>> compose() {
        try (Reader in = Files.newBufferedReader(ROOT.resolve("docker-compose.yml"))) {
            Map<String, Object> document = new Yaml().load(in);
            return (Map<String, Map<String, Object>>) document.get("services");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> environment(String service) {
        return (Map<String, Object>) compose().get(service).get("environment");
    }
}
