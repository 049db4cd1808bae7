package io.wacast.campaign.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.is;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.sun.net.httpserver.HttpServer;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import io.wacast.campaign.Api;
import io.wacast.campaign.KafkaTopicsTestResource;

/**
 * The template sync against a stand-in for the Graph API that answers in Meta's listing shape (cursor
 * paging, error bodies): every page read, new templates registered with Meta's content, known ones
 * taking Meta's status, category and quality; rate limits (4, 80007) retried with backoff, then a 503
 * and a cool-down; an answer that is not Meta's shape a 502 problem with nothing changed.
 */
@QuarkusTest
@QuarkusTestResource(KafkaTopicsTestResource.class)
@TestProfile(TemplateSyncTest.Profile.class)
class TemplateSyncTest {

    public static class Profile implements QuarkusTestProfile {

        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("wacast.campaign.template-sync.enabled", "true",
                    "wacast.campaign.template-sync.on-start", "false",
                    "wacast.campaign.template-sync.page-size", "2",
                    "wacast.campaign.template-sync.rate-limit-backoff", "50ms",
                    "wacast.campaign.template-sync.rate-limit-cooldown", "2s",
                    "wacast.campaign.meta.access-token", "sync-token",
                    "wacast.campaign.meta.waba-id", "200000000000777");
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(GraphStub.class));
        }
    }

    /** The Graph API's template listing, three templates on two pages, with queued special answers. */
    public static class GraphStub implements QuarkusTestResourceLifecycleManager {

        static final Deque<String[]> SPECIAL = new ArrayDeque<>();
        static final List<URI> REQUESTS = new CopyOnWriteArrayList<>();
        static final List<String> AUTHORIZATIONS = new CopyOnWriteArrayList<>();
        static volatile List<String> templates = List.of();
        private HttpServer server;

        @Override
        public Map<String, String> start() {
            try {
                server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            server.createContext("/v23.0/200000000000777/message_templates", exchange -> {
                REQUESTS.add(exchange.getRequestURI());
                AUTHORIZATIONS.add(exchange.getRequestHeaders().getFirst("Authorization"));
                String[] special;
                synchronized (SPECIAL) {
                    special = SPECIAL.poll();
                }
                int status = 200;
                String body;
                if (special != null) {
                    status = Integer.parseInt(special[0]);
                    body = special[1];
                } else {
                    boolean second = String.valueOf(exchange.getRequestURI().getQuery()).contains("after=Mg");
                    List<String> page = second ? templates.subList(2, templates.size()) : templates.subList(0, 2);
                    body = "{\"data\":[" + String.join(",", page) + "],\"paging\":{\"cursors\":{\"before\":\"MA\",\"after\":\"Mg\"}"
                            + (second ? "" : ",\"next\":\"https://graph.facebook.com/v23.0/200000000000777/message_templates?after=Mg\"")
                            + "}}";
                }
                byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().add("Content-Type", "application/json");
                exchange.sendResponseHeaders(status, bytes.length);
                exchange.getResponseBody().write(bytes);
                exchange.close();
            });
            server.start();
            return Map.of("quarkus.rest-client.meta-graph.url", "http://127.0.0.1:" + server.getAddress().getPort());
        }

        @Override
        public void stop() {
            server.stop(0);
        }
    }

    private String marketing;
    private String utility;
    private String known;

    @BeforeEach
    void listThreeTemplates() {
        String run = UUID.randomUUID().toString().replace("-", "").substring(0, 8);
        marketing = "sync_offer_" + run;
        utility = "sync_update_" + run;
        known = "sync_known_" + run;
        Api.admin().body(Map.of("name", known, "language", "en_US", "category", "utility", "body", "Hello {{1}}"))
                .post("/api/whatsapp/templates").then().statusCode(201);
        GraphStub.templates = List.of(
                """
                {"name":"%s","language":"en_US","status":"APPROVED","category":"MARKETING","id":"7001",
                 "quality_score":{"score":"GREEN"},"components":[{"type":"HEADER","format":"IMAGE"},
                 {"type":"BODY","text":"Hi {{1}}, {{2}} off"},{"type":"FOOTER","text":"Reply STOP"},
                 {"type":"BUTTONS","buttons":[{"type":"URL","text":"Shop","url":"https://shop.example/{{1}}"},
                 {"type":"QUICK_REPLY","text":"Stop promotions"}]}]}""".formatted(marketing),
                """
                {"name":"%s","language":"en_US","status":"APPROVED","category":"UTILITY","id":"7002",
                 "components":[{"type":"BODY","text":"Order {{1}} shipped"},
                 {"type":"BUTTONS","buttons":[{"type":"PHONE_NUMBER","text":"Call","phone_number":"+15550000001"}]}]}"""
                        .formatted(utility),
                """
                {"name":"%s","language":"en_US","status":"PAUSED","category":"MARKETING","id":"7003",
                 "quality_score":{"score":"RED"},"components":[{"type":"BODY","text":"Hello {{1}}"}]}""".formatted(known));
        synchronized (GraphStub.SPECIAL) {
            GraphStub.SPECIAL.clear();
        }
        GraphStub.REQUESTS.clear();
    }

    @Test
    void everyPageIsReadNewTemplatesAreRegisteredAndKnownOnesTakeMetasStatusCategoryAndQuality() {
        JsonPath report = Api.admin().post("/api/whatsapp/templates/sync").then().statusCode(200).extract().jsonPath();

        assertThat(report.getInt("pages")).isEqualTo(2);
        assertThat(report.getInt("fetched")).isEqualTo(3);
        assertThat(report.getInt("created")).isEqualTo(1);
        assertThat(report.getInt("updated")).isEqualTo(1);
        assertThat(report.getList("skipped.name")).containsExactly(utility);
        assertThat(report.getString("skipped[0].reason")).isEqualTo("a PHONE_NUMBER button is not supported here");
        assertThat(GraphStub.AUTHORIZATIONS).contains("Bearer sync-token");
        assertThat(GraphStub.REQUESTS.get(0).getQuery()).contains("limit=2").contains("fields=");
        assertThat(GraphStub.REQUESTS.get(1).getQuery()).contains("after=Mg");

        JsonPath created = template(marketing);
        assertThat(created.getString("status")).isEqualTo("approved");
        assertThat(created.getString("category")).isEqualTo("marketing");
        assertThat(created.getString("headerType")).isEqualTo("image");
        assertThat(created.getString("quality")).isEqualTo("green");
        assertThat(created.getString("metaTemplateId")).isEqualTo("7001");
        assertThat(created.getList("variables")).containsExactly("header.image", "body.1", "body.2", "button.url.0");
        JsonPath updated = template(known);
        assertThat(updated.getString("status")).isEqualTo("paused");
        assertThat(updated.getString("category")).as("Meta's latest category").isEqualTo("marketing");
        assertThat(updated.getString("quality")).isEqualTo("red");
        assertThat(updated.getString("body")).as("the registered content stays").isEqualTo("Hello {{1}}");

        JsonPath again = Api.admin().post("/api/whatsapp/templates/sync").then().statusCode(200).extract().jsonPath();
        assertThat(again.getInt("created")).isZero();
        assertThat(again.getInt("updated")).isZero();
    }

    @Test
    void aRateLimitIsRetriedWithBackoffAndOneThatLastsIsA503WithACoolDown() {
        queue("400", "{\"error\":{\"message\":\"(#4) Application request limit reached\",\"type\":\"OAuthException\",\"code\":4}}");
        queue("400", "{\"error\":{\"message\":\"(#80007) Rate limit hit\",\"type\":\"OAuthException\",\"code\":80007}}");
        Api.admin().post("/api/whatsapp/templates/sync").then().statusCode(200).body("created", is(1));

        for (int i = 0; i < 3; i++) {
            queue("400", "{\"error\":{\"message\":\"(#80007) Rate limit hit\",\"code\":80007}}");
        }
        Api.admin().post("/api/whatsapp/templates/sync").then().statusCode(503)
                .contentType("application/problem+json").body("status", is(503));
        int requests = GraphStub.REQUESTS.size();
        Api.admin().post("/api/whatsapp/templates/sync").then().statusCode(503);
        assertThat(GraphStub.REQUESTS).as("no call to Meta while cooling down").hasSize(requests);
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).pollInterval(java.time.Duration.ofMillis(500))
                .until(() -> Api.admin().post("/api/whatsapp/templates/sync").then().extract().statusCode() == 200);
    }

    @Test
    void anAnswerNotInMetasShapeIsA502NamingWhatWasWrongAndNothingChanges() {
        queue("200", "{\"data\":[" + GraphStub.templates.get(0) + ",{\"name\":\"x\",\"language\":\"en_US\"}],"
                + "\"paging\":{\"cursors\":{\"after\":\"MQ\"}}}");

        Api.admin().post("/api/whatsapp/templates/sync").then().statusCode(502)
                .contentType("application/problem+json")
                .body("detail", is("Meta's template listing was not in its documented shape: data[1].status is missing"
                        + " or not a string; the templates are unchanged"));
        assertThat(Api.admin().get("/api/whatsapp/templates").then().extract().jsonPath().getList("name"))
                .doesNotContain(marketing);
        assertThat(template(known).getString("status")).isEqualTo("approved");

        queue("200", "<html>Service Unavailable</html>");
        Api.admin().post("/api/whatsapp/templates/sync").then().statusCode(502);
        queue("500", "{\"error\":{\"message\":\"An unknown error occurred\",\"code\":1}}");
        Api.admin().post("/api/whatsapp/templates/sync").then().statusCode(502);
        Api.as(Api.issueKey("viewer")).post("/api/whatsapp/templates/sync").then().statusCode(403);
        assertThat(template(known).getString("status")).isEqualTo("approved");
    }

    private static void queue(String status, String body) {
        synchronized (GraphStub.SPECIAL) {
            GraphStub.SPECIAL.add(new String[] {status, body});
        }
    }

    private static JsonPath template(String name) {
        List<Map<String, Object>> all = Api.admin().get("/api/whatsapp/templates").then().statusCode(200).extract()
                .jsonPath().getList("$");
        Object id = all.stream().filter(t -> name.equals(t.get("name"))).findFirst().orElseThrow().get("id");
        return Api.admin().get("/api/whatsapp/templates/" + id).then().statusCode(200).extract().jsonPath();
    }
}
