package io.wacast.common.testing;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.awaitility.core.ConditionTimeoutException;

/**
 * One packaged service ({@code java -jar <module>/target/quarkus-app/quarkus-run.jar}) in its own
 * JVM, for the integration tests that run the real thing: the test JVM's environment plus
 * per-process overrides, probed until ready, stopped with SIGTERM or killed with SIGKILL. The
 * process is the java process itself (no wrapper but an optional {@code nice}, which execs it), so
 * {@link #kill()} is exactly {@code kill -9 <java pid>}. Every process still alive when the test JVM
 * exits is killed, so a failed run leaves no java behind. Shipped in common's test-jar.
 */
public final class ServiceProcess {

    /**
     * How to launch: scheduling {@code niceness} (0: normal, in the test's session; otherwise, where the
     * kernel groups CPU time by session, in a session of its own whose group gets that nice value, as
     * ./wacast runs its services), extra JVM options, system properties, environment overrides, and the
     * folder for {@code <name>.log}.
     */
    public record Launch(int niceness, List<String> jvmOptions, Map<String, String> properties, Map<String, String> env,
            Path logDir) {
    }

    private static final Set<ServiceProcess> LIVE = ConcurrentHashMap.newKeySet();
    /** {@code setsid} (util-linux) is there and the kernel groups CPU time by session. */
    private static final boolean SETSID = Files.isExecutable(Path.of("/usr/bin/setsid"))
            && "1".equals(readQuietly(Path.of("/proc/sys/kernel/sched_autogroup_enabled")));
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> LIVE.forEach(p -> p.process.destroyForcibly())));
    }

    public final String name;
    public final int port;
    public final Path log;
    private final Process process;

    private ServiceProcess(String name, int port, Path log, Process process) {
        this.name = name;
        this.port = port;
        this.log = log;
        this.process = process;
    }

    /** Starts {@code jar} listening on {@code port}; does not wait for readiness. */
    public static ServiceProcess start(String name, Path jar, int port, Launch launch) {
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: package it first (./mvnw -pl "
                    + jar.getParent().getParent().getParent().getFileName() + " package -DskipTests)");
        }
        // bound as the service binds it (SO_REUSEADDR, like Vert.x): TIME_WAIT leftovers of an earlier
        // process do not count, a process still listening there does
        try (ServerSocket probe = new ServerSocket()) {
            probe.setReuseAddress(true);
            probe.bind(new InetSocketAddress("0.0.0.0", port));
        } catch (IOException e) {
            throw new IllegalStateException("port " + port + " for " + name + " is taken: " + e.getMessage());
        }
        List<String> command = new ArrayList<>();
        boolean ownSession = SETSID && launch.niceness() != 0;
        if (ownSession) {
            // a session of its own, as ./wacast runs every service and as a pod has a cgroup of its own: with
            // the kernel's autogroups the CPU is shared between sessions first, and a thread's nice value
            // counts only within its session, so the niceness goes to the session's group
            command.add("setsid");
        }
        if (launch.niceness() > 0) {
            command.addAll(List.of("nice", "-n", Integer.toString(launch.niceness())));
        }
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx256m");
        command.addAll(launch.jvmOptions());
        command.add("-Dquarkus.http.port=" + port);
        launch.properties().forEach((key, value) -> command.add("-D" + key + "=" + value));
        command.addAll(List.of("-jar", jar.toString()));
        try {
            Files.createDirectories(launch.logDir());
            Path log = launch.logDir().resolve(name + ".log");
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.to(log.toFile()));
            builder.environment().putAll(launch.env());
            ServiceProcess started = new ServiceProcess(name, port, log, builder.start());
            LIVE.add(started);
            if (ownSession) {
                autogroupNice(started.process.pid(), launch.niceness());
            }
            return started;
        } catch (IOException e) {
            throw new UncheckedIOException("could not start " + name, e);
        }
    }

    /**
     * Between sessions a thread's nice value counts for nothing: the session's autogroup carries it
     * (sched(7)). Best effort, as ./wacast's: a negative value needs CAP_SYS_NICE, and the kernel takes
     * one change per 100 ms. Only once the process has left the test's session: until {@code setsid} has
     * run, its group is the test's own, which must keep its nice value.
     */
    private static void autogroupNice(long pid, int niceness) {
        Path group = Path.of("/proc", Long.toString(pid), "autogroup");
        String testsGroup = readQuietly(Path.of("/proc/self/autogroup")).split(" ")[0];
        try {
            await("the session group of " + pid).atMost(Duration.ofSeconds(2)).pollInterval(Duration.ofMillis(20))
                    .ignoreExceptions().until(() -> {
                        String current = Files.readString(group).strip();
                        if (current.split(" ")[0].equals(testsGroup)) {
                            return false; // setsid has not run yet
                        }
                        if (niceOf(current) != niceness) {
                            Files.writeString(group, Integer.toString(niceness));
                        }
                        return niceOf(Files.readString(group).strip()) == niceness;
                    });
        } catch (ConditionTimeoutException e) {
            // not allowed (a negative value without CAP_SYS_NICE), or the process is gone: it keeps its group's
            // nice value (a raised one is also set by the nice before the command)
        }
    }

    private static String readQuietly(Path file) {
        try {
            return Files.readString(file).strip();
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }

    public ServiceProcess awaitReady() {
        await(name + " ready").atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(250)).until(() -> {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with " + process.exitValue() + ":\n" + logTail(40));
            }
            return status("/q/health/ready") == 200;
        });
        return this;
    }

    public String url() {
        return "http://127.0.0.1:" + port;
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** The nice value of the session's CPU group the process runs in (0 where the kernel has none, or unread). */
    public int sessionNice() {
        return niceOf(readQuietly(Path.of("/proc", Long.toString(process.pid()), "autogroup")));
    }

    /** The nice value in a {@code /proc/<pid>/autogroup} line ({@code /autogroup-17 nice -10}); 0 if none. */
    private static int niceOf(String autogroup) {
        int at = autogroup.lastIndexOf(" nice ");
        return at < 0 ? 0 : Integer.parseInt(autogroup.substring(at + " nice ".length()).strip());
    }

    /** SIGTERM: graceful shutdown (leaves the consumer group, finishes what is in flight). */
    public void stop() {
        stopAll(List.of(this));
    }

    /** SIGTERM to all of them at once, then waits for each (SIGKILL for one that outlives the grace period). */
    public static void stopAll(List<ServiceProcess> processes) {
        processes.forEach(p -> p.process.destroy());
        processes.forEach(p -> p.waitForExit(Duration.ofSeconds(40)));
    }

    /** SIGKILL of the java process itself, as {@code kill -9}: nothing of it runs any more. */
    public void kill() {
        process.destroyForcibly();
        waitForExit(Duration.ofSeconds(20));
    }

    /** The Prometheus lines of {@code /q/metrics} whose name starts with {@code prefix}. */
    public String metrics(String prefix) {
        try {
            String body = HTTP.send(HttpRequest.newBuilder(URI.create(url() + "/q/metrics")).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            return body.lines().filter(line -> line.startsWith(prefix)).collect(Collectors.joining("\n"));
        } catch (IOException e) {
            return "unavailable: " + e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }

    /** The last {@code lines} lines of this process's log. */
    public String logTail(int lines) {
        try {
            List<String> all = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(no log at " + log + ": " + e.getMessage() + ")";
        }
    }

    private void waitForExit(Duration grace) {
        try {
            if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor(20, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        LIVE.remove(this);
    }

    private int status(String path) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create(url() + path)).timeout(Duration.ofSeconds(3)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }
}
