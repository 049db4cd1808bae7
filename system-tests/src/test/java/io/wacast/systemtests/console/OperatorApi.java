package io.wacast.systemtests.console;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.wacast.systemtests.WacastSystem;

/**
 * The campaign-service's public operator API with one key, for what the browser tests set up and
 * check behind the console's back: campaigns, their recipients as JSON, API keys, stats.
 */
final class OperatorApi {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
    private final String base = "http://127.0.0.1:" + WacastSystem.CAMPAIGN_PORT + "/api/whatsapp";
    private final String key;

    OperatorApi(String key) {
        this.key = key;
    }

    /** The bootstrap admin key of the environment ({@code ./wacast env}). */
    static OperatorApi admin() {
        String key = System.getenv("WACAST_API_BOOTSTRAP_KEY");
        if (key == null || key.isBlank()) {
            throw new IllegalStateException("WACAST_API_BOOTSTRAP_KEY is not set: run with the environment of ./wacast env");
        }
        return new OperatorApi(key);
    }

    String key() {
        return key;
    }

    /** A draft campaign of the simulator's {@code tour_package_marketing} template, at most {@code perMinute} messages a minute. */
    long createCampaign(String name, int perMinute) {
        return call("POST", "/campaigns", """
                {"name":"%s","templateName":"tour_package_marketing","templateLanguage":"en_US","rateLimit":%d,
                 "templateVariables":{"header.image":"https://tours.example.com/img/bali.jpg","body.2":"₹45,000","button.url.0":"bali-7n"}}"""
                .formatted(name, perMinute)).path("id").asLong();
    }

    /** A draft campaign of {@code template} (its body takes body.1 from the recipients and body.2), at most {@code perMinute} a minute. */
    long createCampaign(String name, String template, int perMinute) {
        return call("POST", "/campaigns", """
                {"name":"%s","templateName":"%s","templateLanguage":"en_US","rateLimit":%d,"templateVariables":{"body.2":"₹45,000"}}"""
                .formatted(name, template, perMinute)).path("id").asLong();
    }

    /** Uploads the recipients as a JSON array; how many were accepted. */
    long upload(long campaign, List<String> phones) {
        ArrayNode recipients = JSON.createArrayNode();
        for (int i = 0; i < phones.size(); i++) {
            ObjectNode recipient = recipients.addObject().put("phoneNumber", phones.get(i)).put("name", "Traveller " + i);
            recipient.putObject("variables").put("body.1", "Bali");
        }
        return call("POST", "/campaigns/" + campaign + "/recipients", recipients.toString()).path("accepted").asLong();
    }

    /** Any JSON call of the operator API that must succeed; its answer. */
    JsonNode json(String method, String path, String json) {
        return call(method, path, json);
    }

    /** A new API key with {@code role}; its plaintext, which the API shows only once. */
    String createKey(String name, String role) {
        return call("POST", "/api-keys", "{\"name\":\"" + name + "\",\"role\":\"" + role + "\"}").path("key").asText();
    }

    JsonNode stats(long campaign) {
        return call("GET", "/campaigns/" + campaign + "/stats", null);
    }

    String status(long campaign) {
        return call("GET", "/campaigns/" + campaign, null).path("status").asText();
    }

    /** The phone numbers of the campaign's recipients in {@code status}, in the API's order. */
    List<String> phones(long campaign, String status) {
        List<String> phones = new ArrayList<>();
        call("GET", "/campaigns/" + campaign + "/recipients?size=1000&status=" + status, null).path("items")
                .forEach(recipient -> phones.add(recipient.path("phoneNumber").asText()));
        return phones;
    }

    /** The id of the newest key issued with {@code name}. */
    long keyId(String name) {
        long id = -1;
        for (JsonNode key : call("GET", "/api-keys", null)) {
            if (key.path("name").asText().equals(name)) {
                id = Math.max(id, key.path("id").asLong());
            }
        }
        if (id < 0) {
            throw new IllegalStateException("no key named " + name);
        }
        return id;
    }

    void revokeKey(long id) {
        call("DELETE", "/api-keys/" + id, null);
    }

    /** The status the catalog-service answers {@code method path} (under /api/whatsapp) with this key. */
    int catalogStatus(String method, String path, String json) {
        HttpRequest.Builder request = HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + WacastSystem.CATALOG_PORT + "/api/whatsapp" + path))
                .timeout(Duration.ofSeconds(60)).header("Authorization", "Bearer " + key)
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        if (json != null) {
            request.header("Content-Type", "application/json");
        }
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** What the API answers this key's {@code method path} when it refuses it: the problem's detail (or title). */
    String refusal(String method, String path) {
        HttpResponse<String> response = send(method, path, null);
        if (response.statusCode() / 100 == 2) {
            throw new IllegalStateException(method + " " + path + " was not refused: " + response.body());
        }
        try {
            JsonNode problem = JSON.readTree(response.body());
            return problem.hasNonNull("detail") ? problem.path("detail").asText() : problem.path("title").asText();
        } catch (IOException e) {
            throw new UncheckedIOException("not a problem+json: " + response.body(), e);
        }
    }

    private JsonNode call(String method, String path, String json) {
        HttpResponse<String> response = send(method, path, json);
        if (response.statusCode() / 100 != 2) {
            throw new IllegalStateException(method + " " + path + " → " + response.statusCode() + ": " + response.body());
        }
        try {
            return response.body().isBlank() ? JSON.createObjectNode() : JSON.readTree(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(method + " " + path, e);
        }
    }

    private HttpResponse<String> send(String method, String path, String json) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60))
                .header("Authorization", "Bearer " + key)
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        if (json != null) {
            request.header("Content-Type", "application/json");
        }
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(method + " " + path, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
