package io.wacast.systemtests;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * The Kafka broker and the MariaDB server of the instance {@code ./wacast test} (or {@code ./wacast
 * infra up}) started for these tests, stopped and started again through {@code ./wacast infra
 * stop|start kafka|mariadb} — the script's own functions, on the instance named by the environment
 * ({@code WACAST_INSTANCE}, {@code WACAST_PORT_OFFSET}, {@code WACAST_HOME}, which {@code ./wacast env}
 * and {@code ./wacast test} export). Before it acts at all it checks that the script's instance is
 * the one the tests use ({@code ./wacast env} names the same {@code KAFKA_BOOTSTRAP_SERVERS} and
 * {@code WACAST_DB_PORT}), so a test never stops somebody else's broker.
 */
final class Infrastructure {

    enum Component {
        KAFKA, MARIADB;

        String argument() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * An outage of one component: {@link #close()} starts it again unless {@link #restore()} already
     * did, so a test that fails in the middle leaves the broker or database running for the next one.
     */
    final class Outage implements AutoCloseable {
        private final Component component;
        private boolean restored;

        private Outage(Component component) {
            this.component = component;
        }

        /** Starts the component again (idempotent); returns when it is ready. */
        void restore() {
            if (!restored) {
                run("start", component);
                restored = true;
            }
        }

        @Override
        public void close() {
            restore();
        }
    }

    private final Path root;
    private final Path log;
    private boolean checked;

    /** @param log where the script's output goes (appended) */
    Infrastructure(Path root, Path log) {
        this.root = root;
        this.log = log;
    }

    /** Stops {@code component} (SIGTERM through the script, SIGKILL after its grace period). */
    Outage stop(Component component) {
        checkInstance();
        Outage outage = new Outage(component);
        try {
            run("stop", component);
        } catch (RuntimeException e) {
            outage.close();
            throw e;
        }
        return outage;
    }

    /** Starts {@code component} if it is not running; safe to call when it is. */
    void ensureRunning(Component component) {
        checkInstance();
        run("start", component);
    }

    private void checkInstance() {
        if (checked) {
            return;
        }
        String env = script(List.of("env"));
        String bootstrap = System.getenv("KAFKA_BOOTSTRAP_SERVERS");
        String dbPort = System.getenv("WACAST_DB_PORT");
        if (!env.contains("KAFKA_BOOTSTRAP_SERVERS=" + bootstrap + "\n") || !env.contains("WACAST_DB_PORT=" + dbPort + "\n")) {
            throw new IllegalStateException("./wacast (WACAST_INSTANCE=" + System.getenv("WACAST_INSTANCE")
                    + ", WACAST_PORT_OFFSET=" + System.getenv("WACAST_PORT_OFFSET") + ") does not manage the broker "
                    + bootstrap + " and the database on port " + dbPort + " these tests use: run them with the "
                    + "environment of ./wacast env (or under ./wacast test), which names the instance");
        }
        checked = true;
    }

    private void run(String action, Component component) {
        script(List.of("infra", action, component.argument()));
    }

    private String script(List<String> arguments) {
        List<String> command = new ArrayList<>(List.of(root.resolve("wacast").toString()));
        command.addAll(arguments);
        try {
            Files.createDirectories(log.getParent());
            Path output = Files.createTempFile(log.getParent(), "wacast-", ".out");
            try {
                Process process = new ProcessBuilder(command).directory(root.toFile()).redirectErrorStream(true)
                        .redirectOutput(output.toFile()).start();
                if (!process.waitFor(5, TimeUnit.MINUTES)) {
                    process.destroyForcibly();
                    throw new IllegalStateException(String.join(" ", command) + " did not finish in 5 minutes");
                }
                String text = Files.readString(output, StandardCharsets.UTF_8);
                if (!arguments.get(0).equals("env")) {
                    Files.writeString(log, "$ " + String.join(" ", command) + "\n" + text,
                            StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
                }
                if (process.exitValue() != 0) {
                    throw new IllegalStateException(String.join(" ", command) + " exited with " + process.exitValue()
                            + (arguments.get(0).equals("env") ? "" : ":\n" + text));
                }
                return text;
            } finally {
                Files.deleteIfExists(output);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
