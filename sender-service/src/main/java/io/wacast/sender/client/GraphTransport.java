package io.wacast.sender.client;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;

import io.wacast.sender.config.MetaConfig;

/**
 * The raw, non-blocking POST to the Graph API. The JDK client is used rather than a REST client
 * interface because the sender needs hundreds of requests in flight on two cores and must tell a
 * request that never left (connect failure: safe to retry) from one that left and went unanswered
 * (read timeout: maybe accepted, never retried) — the JDK reports the two as distinct exceptions.
 */
final class GraphTransport {

    private final HttpClient http;
    private final MetaConfig config;
    private final String authorization;

    GraphTransport(MetaConfig config, Executor executor) {
        // The JDK keeps idle connections 20 min by default; servers close theirs much sooner, and a
        // POST on a connection the server just closed fails after leaving, i.e. becomes "unknown".
        if (System.getProperty("jdk.httpclient.keepalive.timeout") == null) {
            System.setProperty("jdk.httpclient.keepalive.timeout", "15");
        }
        this.config = config;
        this.authorization = "Bearer " + config.accessToken();
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(config.connectTimeout())
                .executor(executor)
                .build();
    }

    CompletableFuture<MetaAnswer> post(String phoneNumberId, byte[] body) {
        URI uri = URI.create(stripSlash(config.graphUrl()) + "/" + config.apiVersion() + "/" + phoneNumberId + "/messages");
        HttpRequest request = HttpRequest.newBuilder(uri)
                .timeout(config.callTimeout())
                .header("Authorization", authorization)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
        try {
            return http.sendAsync(request, HttpResponse.BodyHandlers.ofString())
                    .handle((response, failure) -> failure == null
                            ? MetaAnswers.parse(response.statusCode(), response.body())
                            : classify(failure));
        } catch (RuntimeException e) {
            return CompletableFuture.completedFuture(new MetaAnswer.NotSent("request not started: " + e.getMessage()));
        }
    }

    /** Only failures that prove the request never left are {@link MetaAnswer.NotSent}. */
    static MetaAnswer classify(Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        if (cause instanceof HttpConnectTimeoutException) {
            return new MetaAnswer.NotSent("connect timeout");
        }
        if (cause instanceof ConnectException || cause instanceof UnresolvedAddressException
                || cause.getCause() instanceof UnresolvedAddressException) {
            return new MetaAnswer.NotSent("connection failed: " + cause.getClass().getSimpleName());
        }
        if (cause instanceof HttpTimeoutException) {
            return new MetaAnswer.Unanswered("no answer within the call timeout");
        }
        if (cause instanceof IOException) {
            return new MetaAnswer.Unanswered("connection lost after the request left: " + cause.getClass().getSimpleName());
        }
        return new MetaAnswer.Unanswered("unexpected failure: " + cause.getClass().getSimpleName());
    }

    private static String stripSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}
