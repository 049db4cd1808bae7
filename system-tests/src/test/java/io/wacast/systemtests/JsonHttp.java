package io.wacast.systemtests;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;

/** JSON over the JDK HTTP client, for the operator API and the simulator's control endpoints. */
final class JsonHttp {

    static final ObjectMapper JSON = new ObjectMapper();

    record Answer(int status, JsonNode body, String raw) {
        boolean ok() {
            return status / 100 == 2;
        }
    }

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
    private final String baseUrl;
    private final String authorization;

    /** @param authorization the {@code Authorization} header of every request, or null */
    JsonHttp(String baseUrl, String authorization) {
        this.baseUrl = baseUrl;
        this.authorization = authorization;
    }

    /** The answer, whatever its status; throws only when there is none (connection refused, timeout). */
    Answer call(String method, String path, String contentType, String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(Duration.ofSeconds(60))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        try {
            HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
            String raw = response.body();
            JsonNode json = MissingNode.getInstance();
            if (raw != null && !raw.isBlank()) {
                try {
                    json = JSON.readTree(raw);
                } catch (IOException notJson) {
                    // kept as raw text for the failure message
                }
            }
            return new Answer(response.statusCode(), json, raw);
        } catch (IOException e) {
            throw new UncheckedIOException(method + " " + baseUrl + path + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The body of a 2xx answer; anything else fails with the status and the problem the service gave. */
    JsonNode expectOk(String method, String path, String contentType, String body) {
        Answer answer = call(method, path, contentType, body);
        if (!answer.ok()) {
            throw new IllegalStateException(method + " " + path + " → " + answer.status() + ": " + answer.raw());
        }
        return answer.body();
    }

    JsonNode get(String path) {
        return expectOk("GET", path, null, null);
    }

    JsonNode postJson(String path, String body) {
        return expectOk("POST", path, "application/json", body);
    }
}
