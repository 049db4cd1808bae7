package io.wacast.common.deploy;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads the repository's own descriptors for the deployment tests: where the root is, what each service requires. */
final class Repository {

    static final Path ROOT = findRoot();
    static final List<String> SERVICES =
            List.of("campaign-service", "sender-service", "webhook-service", "catalog-service", "meta-simulator", "console");

    /** `${NAME}` or `${NAME:}`: an environment variable the service cannot start without. */
    private static final Pattern REQUIRED_ENV = Pattern.compile("\\$\\{([A-Z][A-Z0-9_]*)(:)?}");

    static Properties properties(String service) {
        Properties p = new Properties();
        try (Reader in = Files.newBufferedReader(ROOT.resolve(service + "/src/main/resources/application.properties"))) {
            p.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return p;
    }

    static int httpPort(String service) {
        return Integer.parseInt(properties(service).getProperty("quarkus.http.port"));
    }

    static boolean usesDatabase(String service) {
        return properties(service).containsKey("quarkus.datasource.jdbc.url");
    }

    static boolean usesKafka(String service) {
        return properties(service).containsKey("kafka.bootstrap.servers");
    }

    /** Environment variables referenced without a default by the prod configuration (profiles excluded). */
    static Set<String> requiredEnvironment(String service) {
        Properties p = properties(service);
        Set<String> names = new TreeSet<>();
        for (String key : p.stringPropertyNames()) {
            if (key.startsWith("%")) {
                continue;
            }
            Matcher m = REQUIRED_ENV.matcher(p.getProperty(key));
            while (m.find()) {
                names.add(m.group(1));
            }
        }
        return names;
    }

    static String read(String relativePath) {
        try {
            return Files.readString(ROOT.resolve(relativePath));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
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

    private Repository() {
    }
}
