package io.wacast.sender.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.net.NetServer;
import io.wacast.sender.config.MetaConfig;

/** The transport tells "never left" from "left, maybe accepted" on real sockets. */
class GraphTransportTest {

    private static Vertx vertx;

    @BeforeAll
    static void start() {
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void stop() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void aRefusedConnectionIsNotSent() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        MetaAnswer answer = post("http://127.0.0.1:" + closedPort, Duration.ofSeconds(2));
        assertThat(answer).isInstanceOf(MetaAnswer.NotSent.class);
        assertThat(((MetaAnswer.NotSent) answer).reason()).startsWith("connection failed");
    }

    @Test
    void theRequestReachesMetaWithTokenPathAndBodyAndTheAnswerIsRead() throws Exception {
        AtomicReference<String> seen = new AtomicReference<>();
        HttpServer server = vertx.createHttpServer().requestHandler(request -> request.body().onSuccess(body -> {
            seen.set(request.method() + " " + request.uri() + " " + request.getHeader("Authorization") + " "
                    + request.getHeader("Content-Type") + " " + body);
            request.response().putHeader("Content-Type", "application/json")
                    .end("{\"messages\":[{\"id\":\"wamid.T1\",\"message_status\":\"accepted\"}]}");
        }));
        int port = listen(server);
        MetaAnswer answer = post("http://127.0.0.1:" + port, Duration.ofSeconds(2));
        assertThat(answer).isEqualTo(new MetaAnswer.Accepted("wamid.T1", "accepted"));
        assertThat(seen.get()).isEqualTo("POST /v23.0/100000000000001/messages Bearer token-1 application/json {\"to\":\"1\"}");
        server.close();
    }

    @Test
    void noAnswerWithinTheCallTimeoutIsUnanswered() throws Exception {
        HttpServer server = vertx.createHttpServer().requestHandler(request -> {
            // read the request, never answer
        });
        int port = listen(server);
        MetaAnswer answer = post("http://127.0.0.1:" + port, Duration.ofMillis(300));
        assertThat(answer).isEqualTo(new MetaAnswer.Unanswered("no answer within the call timeout"));
        server.close();
    }

    @Test
    void aConnectionDroppedAfterTheRequestLeftIsUnanswered() throws Exception {
        NetServer server = vertx.createNetServer().connectHandler(socket -> socket.handler(bytes -> {
            if (bytes.toString(StandardCharsets.ISO_8859_1).contains("\"to\"")) {
                socket.close();
            }
        }));
        int port = server.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS).actualPort();
        MetaAnswer answer = post("http://127.0.0.1:" + port, Duration.ofSeconds(2));
        assertThat(answer).isInstanceOf(MetaAnswer.Unanswered.class);
        assertThat(((MetaAnswer.Unanswered) answer).reason()).startsWith("connection lost after the request left");
        server.close();
    }

    @Test
    void anHtmlErrorPageIsATransientRejectionNotACrash() throws Exception {
        HttpServer server = vertx.createHttpServer().requestHandler(request -> request.response().setStatusCode(502)
                .putHeader("Content-Type", "text/html").end("<html>bad gateway</html>"));
        int port = listen(server);
        MetaAnswer answer = post("http://127.0.0.1:" + port, Duration.ofSeconds(2));
        assertThat(answer).isInstanceOf(MetaAnswer.Rejected.class);
        assertThat(((MetaAnswer.Rejected) answer).httpStatus()).isEqualTo(502);
        assertThat(((MetaAnswer.Rejected) answer).message()).contains("bad gateway");
        server.close();
    }

    @Test
    void aCallThatCannotLeaveWithinItsSlotsLatenessDoesNotLeave() throws Exception {
        java.util.concurrent.atomic.AtomicInteger requests = new java.util.concurrent.atomic.AtomicInteger();
        java.util.List<Long> departures = new java.util.concurrent.CopyOnWriteArrayList<>();
        HttpServer server = vertx.createHttpServer().requestHandler(request -> {
            requests.incrementAndGet();
            request.response().end("{\"messages\":[{\"id\":\"wamid.T2\"}]}");
        });
        int port = listen(server);
        GraphTransport transport = new GraphTransport(vertx, config("http://127.0.0.1:" + port, Duration.ofSeconds(2)), 4);
        byte[] body = "{}".getBytes(StandardCharsets.UTF_8);
        long now = io.wacast.sender.budget.SlotLease.epochMicros(java.time.Instant.now());
        MetaAnswer missed = transport.post("1", Endpoint.MESSAGES, body, now - 50_000, now - 42_000, departures::add).get(10, TimeUnit.SECONDS);
        MetaAnswer sent = transport.post("1", Endpoint.MESSAGES, body, now, now + 5_000_000, departures::add).get(10, TimeUnit.SECONDS);
        transport.close();
        server.close();

        assertThat(missed).isInstanceOf(MetaAnswer.MissedSlot.class);
        assertThat(((MetaAnswer.MissedSlot) missed).lateByUs()).isGreaterThanOrEqualTo(50_000);
        assertThat(sent).isEqualTo(new MetaAnswer.Accepted("wamid.T2", "accepted"));
        assertThat(requests.get()).isEqualTo(1);
        assertThat(departures).hasSize(1);
    }

    @Test
    void aCallHandedOnAheadOfItsSlotIsWrittenAtItNeverBefore() throws Exception {
        java.util.List<Long> arrivals = new java.util.concurrent.CopyOnWriteArrayList<>();
        java.util.List<Long> departures = new java.util.concurrent.CopyOnWriteArrayList<>();
        HttpServer server = vertx.createHttpServer().requestHandler(request -> {
            arrivals.add(io.wacast.sender.budget.SlotLease.epochMicros(java.time.Instant.now()));
            request.response().end("{\"messages\":[{\"id\":\"wamid.A\"}]}");
        });
        int port = listen(server);
        GraphTransport transport = new GraphTransport(vertx, config("http://127.0.0.1:" + port, Duration.ofSeconds(2)), 4);
        byte[] body = "{}".getBytes(StandardCharsets.UTF_8);
        long now = io.wacast.sender.budget.SlotLease.epochMicros(java.time.Instant.now());
        long slot = now + 40_000; // handed on 40 ms ahead, allowed 5 s late: nothing but the slot holds it back
        MetaAnswer answer = transport.post("1", Endpoint.MESSAGES, body, slot, slot + 5_000_000, departures::add)
                .get(10, TimeUnit.SECONDS);
        transport.close();
        server.close();

        assertThat(answer).isEqualTo(new MetaAnswer.Accepted("wamid.A", "accepted"));
        assertThat(arrivals).hasSize(1);
        assertThat(arrivals.get(0)).as("the server read it at or after its slot").isGreaterThanOrEqualTo(slot);
        assertThat(departures).hasSize(1);
        assertThat(departures.get(0)).as("written at or after the slot, lateness counted from it").isNotNegative();
    }

    @Test
    void aCallThatWaitsForAConnectionPastItsLatenessIsNotWritten() throws Exception {
        java.util.List<String> received = new java.util.concurrent.CopyOnWriteArrayList<>();
        java.util.List<Long> departures = new java.util.concurrent.CopyOnWriteArrayList<>();
        HttpServer server = vertx.createHttpServer().requestHandler(request -> request.body().onSuccess(body -> {
            received.add(body.toString());
            // the first call holds the only connection for 300 ms
            vertx.setTimer(body.toString().contains("first") ? 300 : 1,
                    t -> request.response().end("{\"messages\":[{\"id\":\"wamid.W" + received.size() + "\"}]}"));
        }));
        int port = listen(server);
        GraphTransport transport = new GraphTransport(vertx, config("http://127.0.0.1:" + port, Duration.ofSeconds(2)), 1);
        long now = io.wacast.sender.budget.SlotLease.epochMicros(java.time.Instant.now());
        CompletableFuture<MetaAnswer> first = transport.post("1", Endpoint.MESSAGES, "{\"n\":\"first\"}".getBytes(StandardCharsets.UTF_8),
                now, now + 5_000_000, departures::add);
        // due now, allowed 100 ms: it passes the first check, then waits ~300 ms for the connection
        CompletableFuture<MetaAnswer> waiting = transport.post("1", Endpoint.MESSAGES, "{\"n\":\"waiting\"}".getBytes(StandardCharsets.UTF_8),
                now, now + 100_000, departures::add);
        MetaAnswer missed = waiting.get(10, TimeUnit.SECONDS);
        assertThat(first.get(10, TimeUnit.SECONDS)).isInstanceOf(MetaAnswer.Accepted.class);
        long later = io.wacast.sender.budget.SlotLease.epochMicros(java.time.Instant.now());
        MetaAnswer after = transport.post("1", Endpoint.MESSAGES, "{\"n\":\"after\"}".getBytes(StandardCharsets.UTF_8),
                later, later + 5_000_000, departures::add).get(10, TimeUnit.SECONDS);
        transport.close();
        server.close();

        assertThat(missed).isInstanceOf(MetaAnswer.MissedSlot.class);
        assertThat(((MetaAnswer.MissedSlot) missed).lateByUs()).as("late by the wait for the connection").isGreaterThan(100_000);
        assertThat(after).as("the connection pool still serves calls").isInstanceOf(MetaAnswer.Accepted.class);
        assertThat(received).as("the late call never reached the server").containsExactly("{\"n\":\"first\"}", "{\"n\":\"after\"}");
        assertThat(departures).as("only written calls count as departed").hasSize(2);
    }

    private static int listen(HttpServer server) throws Exception {
        return server.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS).actualPort();
    }

    private static MetaAnswer post(String graphUrl, Duration callTimeout) throws Exception {
        GraphTransport transport = new GraphTransport(vertx, config(graphUrl, callTimeout), 4);
        try {
            return transport.post("100000000000001", Endpoint.MESSAGES, "{\"to\":\"1\"}".getBytes(StandardCharsets.UTF_8), 0, 0, late -> {
            }).get(10, TimeUnit.SECONDS);
        } finally {
            transport.close();
        }
    }

    private static MetaConfig config(String graphUrl, Duration callTimeout) {
        return new MetaConfig() {
            @Override
            public String graphUrl() {
                return graphUrl;
            }

            @Override
            public String apiVersion() {
                return "v23.0";
            }

            @Override
            public java.util.Map<String, String> accessTokens() {
                return java.util.Map.of();
            }

            @Override
            public String accessToken() {
                return "token-1";
            }

            @Override
            public Duration connectTimeout() {
                return Duration.ofSeconds(1);
            }

            @Override
            public Duration callTimeout() {
                return callTimeout;
            }

            @Override
            public boolean traceCalls() {
                return false;
            }
        };
    }
}
