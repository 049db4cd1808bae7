package io.wacast.sender.client;

import java.net.URI;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.wacast.sender.budget.SlotLease;
import io.wacast.sender.config.MetaConfig;

/**
 * The raw, non-blocking POST to the Graph API, on Vert.x's HTTP client (Netty, one event loop, a
 * keep-alive connection pool as large as the calls allowed in flight). A REST client interface is not
 * used because the sender must tell a request that never left from one that left and went unanswered,
 * and the two steps of a Vert.x call say exactly that: obtaining the connection (a failure there —
 * refused, connect timeout, unresolvable host, no connection free in time — means nothing was sent:
 * safe to retry) and sending on it (any failure from then on — a timeout, a reset, a body we cannot
 * read — means Meta may have accepted the message: never retried).
 *
 * <p>The JDK client it replaced spent a quarter of the sender's CPU and 42 % of its allocations at
 * 1,000 calls/s (BENCHMARKS.md), most of it walking its connection pool's expiry list.
 */
final class GraphTransport implements AutoCloseable {

    /** Servers close idle connections; a POST on one the server just closed would become "unknown". */
    static final int KEEP_ALIVE_SECONDS = 15;

    private final HttpClient http;
    private final Context context;
    private final String pathPrefix;
    /** {@code Bearer <token>} per business number; numbers without their own token use the default one. */
    private final java.util.Map<String, String> authorizations;
    private final String defaultAuthorization;
    private final long connectTimeoutMs;
    private final long callTimeoutMs;
    private final boolean traceCalls;

    GraphTransport(Vertx vertx, MetaConfig config, int maxConnections) {
        URI base = URI.create(config.graphUrl());
        boolean tls = "https".equalsIgnoreCase(base.getScheme());
        String basePath = base.getRawPath() == null ? "" : base.getRawPath();
        this.pathPrefix = (basePath.endsWith("/") ? basePath : basePath + "/") + config.apiVersion() + "/";
        this.defaultAuthorization = "Bearer " + config.accessToken();
        java.util.Map<String, String> byNumber = new java.util.HashMap<>();
        config.accessTokens().forEach((number, token) -> byNumber.put(number, "Bearer " + token));
        this.authorizations = java.util.Map.copyOf(byNumber);
        this.connectTimeoutMs = config.connectTimeout().toMillis();
        this.callTimeoutMs = config.callTimeout().toMillis();
        this.traceCalls = config.traceCalls();
        HttpClientOptions options = new HttpClientOptions()
                .setProtocolVersion(HttpVersion.HTTP_1_1)
                .setDefaultHost(base.getHost())
                .setDefaultPort(base.getPort() > 0 ? base.getPort() : tls ? 443 : 80)
                .setSsl(tls)
                .setForceSni(tls)
                .setConnectTimeout((int) connectTimeoutMs)
                .setKeepAlive(true)
                .setKeepAliveTimeout(KEEP_ALIVE_SECONDS)
                .setPipelining(false);
        this.http = vertx.createHttpClient(options, new PoolOptions().setHttp1MaxSize(maxConnections));
        // One event-loop context for every call: the pool, the writes and the answers stay on one thread.
        this.context = vertx.getOrCreateContext();
    }

    /** Hears of every call that leaves, with how late after its slot it left (µs). */
    interface Departures {
        void departed(long lateUs);
    }

    /**
     * Sends {@code body} at {@code slotUs} (epoch µs; a call handed on ahead of its slot waits for it on
     * the event loop, never leaving before it) unless it cannot be written by {@code leaveByUs} (0: no
     * bound): then the answer is {@link MetaAnswer.MissedSlot} and nothing is sent. The bound is checked
     * twice: when the event loop takes the call up (a call already late asks for no connection), and again
     * at the write, once a connection is had and the slot has come, because waiting for one (the pool busy,
     * a new connection, the event loop stalled) can take longer than the lateness. Only then does the call
     * count as departed.
     */
    CompletableFuture<MetaAnswer> post(String phoneNumberId, Endpoint endpoint, byte[] body, long slotUs, long leaveByUs,
            Departures departures) {
        CompletableFuture<MetaAnswer> answer = new CompletableFuture<>();
        RequestOptions request = new RequestOptions()
                .setMethod(HttpMethod.POST)
                .setURI(pathPrefix + phoneNumberId + "/" + endpoint.path())
                .putHeader(HttpHeaders.AUTHORIZATION, authorizations.getOrDefault(phoneNumberId, defaultAuthorization))
                .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                .setConnectTimeout(connectTimeoutMs)
                .setIdleTimeout(callTimeoutMs);
        Buffer payload = Buffer.buffer(body);
        context.runOnContext(ignored -> {
            long checkedUs = nowUs();
            if (leaveByUs > 0 && checkedUs > leaveByUs) {
                answer.complete(new MetaAnswer.MissedSlot(checkedUs - slotUs, false));
                return;
            }
            http.request(request).onComplete(opened -> {
                if (opened.failed()) {
                    answer.complete(notSent(opened.cause()));
                    return;
                }
                writeAtSlot(opened.result(), payload, slotUs, leaveByUs, checkedUs, departures, answer);
            });
        });
        return answer;
    }

    /**
     * Writes {@code call} now if its slot has come, otherwise on a timer of this event loop at it (whole ms,
     * rounded up, and looked at again then); on the event loop.
     */
    private void writeAtSlot(HttpClientRequest call, Buffer payload, long slotUs, long leaveByUs, long checkedUs,
            Departures departures, CompletableFuture<MetaAnswer> answer) {
        long writeUs = nowUs();
        if (writeUs < slotUs) {
            context.owner().setTimer(Math.max(1, (slotUs - writeUs + 999) / 1000),
                    fired -> writeAtSlot(call, payload, slotUs, leaveByUs, checkedUs, departures, answer));
            return;
        }
        if (leaveByUs > 0 && writeUs > leaveByUs) {
            // nothing of it was written: the connection goes back to the pool unused. The reset fails
            // the request, which Vert.x logs at ERROR unless it has a handler: a missed slot is no error
            call.exceptionHandler(expected -> { }).reset();
            answer.complete(new MetaAnswer.MissedSlot(writeUs - slotUs, true));
            return;
        }
        if (traceCalls) {
            call.putHeader("X-Wacast-Slot", Long.toString(slotUs))
                    .putHeader("X-Wacast-Checked", Long.toString(checkedUs))
                    .putHeader("X-Wacast-Sent", Long.toString(writeUs));
        }
        departures.departed(slotUs > 0 ? Math.max(0, writeUs - slotUs) : 0);
        call.send(payload)
                .compose(response -> response.body()
                        .map(bytes -> MetaAnswers.parse(response.statusCode(), bytes.getBytes())))
                .onComplete(done -> answer.complete(done.succeeded() ? done.result() : unanswered(done.cause())));
    }

    private static long nowUs() {
        return SlotLease.epochMicros(Instant.now());
    }

    /** No connection could be had for the request: it never left. */
    static MetaAnswer notSent(Throwable failure) {
        return new MetaAnswer.NotSent(isTimeout(failure)
                ? "connect timeout" : "connection failed: " + failure.getClass().getSimpleName());
    }

    /** The request was on its way when this happened: Meta may have it. */
    static MetaAnswer unanswered(Throwable failure) {
        return new MetaAnswer.Unanswered(isTimeout(failure)
                ? "no answer within the call timeout"
                : "connection lost after the request left: " + failure.getClass().getSimpleName());
    }

    private static boolean isTimeout(Throwable failure) {
        return failure instanceof TimeoutException || failure.getClass().getSimpleName().contains("Timeout");
    }

    @Override
    public void close() {
        http.close();
    }
}
