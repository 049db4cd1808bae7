package io.wacast.sender.packaged;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * One packaged service ({@code java -jar …/quarkus-run.jar}) in its own JVM, as it runs in
 * production: started, probed until ready, stopped with SIGTERM (graceful shutdown) or killed with
 * SIGKILL. Every process still alive when the test JVM exits is killed, so a failed test leaves no
 * java process behind.
 */
final class ServiceProcess {

    private static final Set<ServiceProcess> LIVE = ConcurrentHashMap.newKeySet();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> LIVE.forEach(p -> p.process.destroyForcibly())));
    }

    final String name;
    final int port;
    private final Process process;

    private ServiceProcess(String name, int port, Process process) {
        this.name = name;
        this.port = port;
        this.process = process;
    }

    /**
     * Starts {@code jar} on {@code port} at the given scheduling {@code niceness} (0: normal) with the
     * given JVM options, system properties and environment; logs go to target/it-logs.
     */
    static ServiceProcess start(String name, Path jar, int port, int niceness, List<String> jvmOptions,
            Map<String, String> properties, Map<String, String> env) {
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: package it first (./mvnw -pl "
                    + jar.getParent().getParent().getParent().getFileName() + " package -DskipTests)");
        }
        // as the service will bind it (SO_REUSEADDR, like Vert.x): connections of earlier runs in
        // TIME_WAIT do not count, a process still listening there does
        try (ServerSocket probe = new ServerSocket()) {
            probe.setReuseAddress(true);
            probe.bind(new InetSocketAddress("0.0.0.0", port));
        } catch (IOException e) {
            throw new IllegalStateException("port " + port + " for " + name + " is taken: " + e.getMessage());
        }
        List<String> command = new ArrayList<>();
        if (niceness > 0) {
            command.addAll(List.of("nice", "-n", Integer.toString(niceness)));
        }
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx256m");
        command.addAll(jvmOptions);
        command.add("-Dquarkus.http.port=" + port);
        properties.forEach((key, value) -> command.add("-D" + key + "=" + value));
        command.add("-jar");
        command.add(jar.toString());
        try {
            Path logs = Path.of("target", "it-logs");
            Files.createDirectories(logs);
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.to(logs.resolve(name + ".log").toFile()));
            builder.environment().putAll(env);
            ServiceProcess started = new ServiceProcess(name, port, builder.start());
            LIVE.add(started);
            return started;
        } catch (IOException e) {
            throw new IllegalStateException("could not start " + name, e);
        }
    }

    ServiceProcess awaitReady() {
        await(name + " ready").atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(250)).until(() -> {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with " + process.exitValue() + "; see target/it-logs/" + name + ".log");
            }
            return status("/q/health/ready") == 200;
        });
        return this;
    }

    String url() {
        return "http://127.0.0.1:" + port;
    }

    /** The Prometheus lines of {@code /q/metrics} whose name starts with {@code prefix}. */
    String metrics(String prefix) {
        try {
            String body = HTTP.send(HttpRequest.newBuilder(URI.create(url() + "/q/metrics")).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            return body.lines().filter(line -> line.startsWith(prefix)).collect(java.util.stream.Collectors.joining("\n"));
        } catch (IOException e) {
            return "unavailable: " + e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }

    private int status(String path) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create(url() + path)).timeout(Duration.ofSeconds(2)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /** SIGTERM: the service shuts down gracefully (leaves its consumer group, finishes calls in flight). */
    void stop() {
        process.destroy();
        waitForExit(Duration.ofSeconds(40));
    }

    /** SIGKILL, as {@code kill -9}: nothing of the process runs any more. */
    void kill() {
        process.destroyForcibly();
        waitForExit(Duration.ofSeconds(10));
    }

    private void waitForExit(Duration grace) {
        try {
            if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        LIVE.remove(this);
    }

    boolean isAlive() {
        return process.isAlive();
    }
}
