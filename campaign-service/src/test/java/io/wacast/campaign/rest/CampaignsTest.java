package io.wacast.campaign.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;

import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.wacast.campaign.Api;
import io.wacast.campaign.TestData;

@QuarkusTest
class CampaignsTest {

    private static final String CAMPAIGNS = "/api/whatsapp/campaigns";

    @Inject
    AgroalDataSource dataSource;

    private static Map<String, Object> spec(String template) {
        Map<String, Object> spec = new HashMap<>();
        spec.put("name", "spring sale " + UUID.randomUUID());
        spec.put("templateName", template);
        spec.put("templateLanguage", "en_US");
        spec.put("templateVariables", TestData.defaults());
        return spec;
    }

    @Test
    void draftIsCreatedWithLocationAndConfiguredDefaults() {
        Api.admin().body(spec(TestData.template())).post(CAMPAIGNS).then().statusCode(201)
                .header("Location", containsString(CAMPAIGNS + "/"))
                .body("status", equalTo("draft"))
                .body("phoneNumberId", equalTo("100000000000001"))
                .body("rateLimit", equalTo(80 * 60));
    }

    @Test
    void campaignWithStartTimeIsScheduled() {
        Map<String, Object> spec = spec(TestData.template());
        spec.put("scheduledFor", OffsetDateTime.now().plusDays(1).toString());
        spec.put("sendWindow", Map.of("startHour", 9, "endHour", 21, "timeZone", "Asia/Kolkata"));
        Api.admin().body(spec).post(CAMPAIGNS).then().statusCode(201)
                .body("status", equalTo("scheduled"))
                .body("sendWindow.timeZone", equalTo("Asia/Kolkata"));
    }

    @Test
    void unknownTemplateIsUnprocessable() {
        Api.admin().body(spec("no_such_template_" + UUID.randomUUID().toString().substring(0, 8))).post(CAMPAIGNS)
                .then().statusCode(422)
                .contentType("application/problem+json")
                .body("detail", containsString("unknown template"));
    }

    @Test
    void recipientsMissingVariablesAreNamedAndNothingIsCreated() {
        String name = "missing vars " + UUID.randomUUID();
        Map<String, Object> spec = spec(TestData.template());
        spec.put("name", name);
        spec.put("templateVariables", Map.of("header.image", "https://img.example/a.png"));
        spec.put("recipients", List.of(Map.of("phoneNumber", TestData.phone(), "variables", Map.of("body.1", "Asha"))));
        Api.admin().body(spec).post(CAMPAIGNS).then().statusCode(422)
                .body("errors[0].row", equalTo(1))
                .body("errors[0].field", equalTo("recipients[0].variables"))
                .body("errors[0].message", equalTo("missing template variables: body.2, button.url.0"));
        Api.admin().queryParam("search", name).get(CAMPAIGNS).then().body("total", equalTo(0));
    }

    @ParameterizedTest
    @ValueSource(ints = {0, -5, 4801})
    void rateLimitOutsideTheNumbersCapIsRefused(int rateLimit) {
        Map<String, Object> spec = spec(TestData.template());
        spec.put("rateLimit", rateLimit);
        Api.admin().body(spec).post(CAMPAIGNS).then().statusCode(400)
                .body("errors[0].field", equalTo("rateLimit"));
    }

    @ParameterizedTest
    @CsvSource({
            "24, 10, Asia/Kolkata, sendWindow.startHour",
            "-1, 10, Asia/Kolkata, sendWindow.startHour",
            "9, 25, Asia/Kolkata, sendWindow.endHour",
            "9, 17, Mars/Olympus, sendWindow.timeZone"})
    void badSendWindowIsRefusedNamingTheField(int start, int end, String zone, String field) {
        Map<String, Object> spec = spec(TestData.template());
        spec.put("sendWindow", Map.of("startHour", start, "endHour", end, "timeZone", zone));
        Api.admin().body(spec).post(CAMPAIGNS).then().statusCode(400)
                .body("errors.field", contains(field));
    }

    @Test
    void startTimeInThePastIsRefused() {
        Map<String, Object> spec = spec(TestData.template());
        spec.put("scheduledFor", OffsetDateTime.now().minusMinutes(1).toString());
        Api.admin().body(spec).post(CAMPAIGNS).then().statusCode(400)
                .body("errors[0].field", equalTo("scheduledFor"))
                .body("errors[0].message", equalTo("must be in the future"));
    }

    @Test
    void malformedJsonIsRefused() {
        Api.admin().body("{\"name\": \"x\", \"rateLimit\": \"fast\"}").post(CAMPAIGNS).then().statusCode(400)
                .contentType("application/problem+json")
                .body("errors[0].field", equalTo("rateLimit"));
        Api.admin().body("{\"name\": ").post(CAMPAIGNS).then().statusCode(400)
                .body("title", equalTo("Malformed JSON"));
    }

    @Test
    void draftCanBeEditedButNotOnceSending() {
        String template = TestData.template();
        long id = TestData.draft(template);
        Map<String, Object> spec = spec(template);
        spec.put("rateLimit", 600);
        Api.admin().body(spec).put(CAMPAIGNS + "/" + id).then().statusCode(200)
                .body("rateLimit", equalTo(600))
                .body("status", equalTo("draft"));

        TestData.withRecipient(id);
        Api.admin().post(CAMPAIGNS + "/" + id + "/send").then().statusCode(200).body("status", equalTo("sending"));

        Api.admin().body(spec).put(CAMPAIGNS + "/" + id).then().statusCode(409)
                .body("errors[0].field", equalTo("status"))
                .body("errors[0].value", equalTo("sending"));
    }

    @Test
    void lifecycleMovesThroughPauseResumeAndCancel() throws SQLException {
        long id = TestData.withRecipient(TestData.draft());
        Api.admin().post(CAMPAIGNS + "/" + id + "/resume").then().statusCode(409)
                .body("detail", containsString("is draft"))
                .body("errors[0].value", equalTo("draft"));
        Api.admin().post(CAMPAIGNS + "/" + id + "/send").then().statusCode(200).body("status", equalTo("sending"));
        Api.admin().post(CAMPAIGNS + "/" + id + "/pause").then().statusCode(200).body("status", equalTo("paused"));
        Api.admin().post(CAMPAIGNS + "/" + id + "/send").then().statusCode(409).body("errors[0].value", equalTo("paused"));
        Api.admin().post(CAMPAIGNS + "/" + id + "/resume").then().statusCode(200).body("status", equalTo("sending"));
        Api.admin().post(CAMPAIGNS + "/" + id + "/cancel").then().statusCode(200).body("status", equalTo("cancelled"));
        Api.admin().post(CAMPAIGNS + "/" + id + "/pause").then().statusCode(409).body("errors[0].value", equalTo("cancelled"));
        // created, sent, paused, resumed, cancelled: one control version each
        assertThat(controlVersion(id)).isEqualTo(5);
    }

    @Test
    void concurrentSendsStartTheCampaignExactlyOnce() throws Exception {
        long id = TestData.withRecipient(TestData.draft());
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Callable<Integer>> calls = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                calls.add(() -> Api.admin().post(CAMPAIGNS + "/" + id + "/send").then().extract().statusCode());
            }
            List<Integer> statuses = new ArrayList<>();
            for (Future<Integer> result : pool.invokeAll(calls)) {
                statuses.add(result.get());
            }
            assertThat(statuses).containsOnly(200, 409).filteredOn(s -> s == 200).hasSize(1);
        } finally {
            pool.shutdownNow();
        }
        assertThat(controlVersion(id)).isEqualTo(2);
    }

    @Test
    void listIsPagedFilteredSearchableAndNewestFirst() {
        String tag = UUID.randomUUID().toString().substring(0, 8);
        String template = TestData.template();
        List<Long> ids = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Map<String, Object> spec = spec(template);
            spec.put("name", "Diwali " + tag + " #" + i);
            ids.add(((Number) Api.admin().body(spec).post(CAMPAIGNS).then().statusCode(201).extract().path("id")).longValue());
        }
        TestData.withRecipient(ids.get(0));
        Api.admin().post(CAMPAIGNS + "/" + ids.get(0) + "/send").then().statusCode(200);

        Api.admin().queryParam("search", "diwali " + tag).queryParam("size", 2).get(CAMPAIGNS).then().statusCode(200)
                .body("total", equalTo(3))
                .body("size", equalTo(2))
                .body("items", hasSize(2))
                .body("items[0].id", equalTo(ids.get(2).intValue()))
                .body("items[1].id", equalTo(ids.get(1).intValue()));
        Api.admin().queryParam("search", tag).queryParam("status", "sending").get(CAMPAIGNS).then()
                .body("total", equalTo(1))
                .body("items[0].id", equalTo(ids.get(0).intValue()));
        Api.admin().queryParam("status", "finished").get(CAMPAIGNS).then().statusCode(400)
                .body("errors[0].field", equalTo("status"));
        Api.admin().queryParam("size", 0).get(CAMPAIGNS).then().statusCode(400)
                .body("errors[0].field", equalTo("size"));
    }

    @Test
    void deletingRemovesADraftAndCancelsAStartedCampaign() {
        long draft = TestData.draft();
        Api.admin().delete(CAMPAIGNS + "/" + draft).then().statusCode(204);
        Api.admin().get(CAMPAIGNS + "/" + draft).then().statusCode(404).contentType("application/problem+json");

        long sending = TestData.withRecipient(TestData.draft());
        Api.admin().post(CAMPAIGNS + "/" + sending + "/send").then().statusCode(200);
        Api.admin().delete(CAMPAIGNS + "/" + sending).then().statusCode(204);
        Api.admin().get(CAMPAIGNS + "/" + sending).then().statusCode(200).body("status", equalTo("cancelled"));
    }

    @Test
    void viewerReadsCampaignsButCannotChangeThem() {
        long id = TestData.draft();
        String viewer = Api.issueKey("viewer");
        Api.as(viewer).get(CAMPAIGNS + "/" + id).then().statusCode(200);
        Api.as(viewer).post(CAMPAIGNS + "/" + id + "/send").then().statusCode(403)
                .contentType("application/problem+json");
        Api.admin().get(CAMPAIGNS + "/" + id).then().body("status", equalTo("draft"));
    }

    @Test
    void templatesWithGappedPlaceholdersAreRefused() {
        Api.admin().body(Map.of("name", "gapped_" + UUID.randomUUID().toString().substring(0, 8), "language", "en_US",
                "category", "marketing", "body", "Hi {{1}}, see {{3}}"))
                .post("/api/whatsapp/templates").then().statusCode(400)
                .body("errors[0].field", equalTo("body"));
    }

    @Test
    void registeredTemplateListsTheVariablesItNeeds() {
        String name = TestData.template();
        Api.admin().get("/api/whatsapp/templates").then().statusCode(200)
                .body("find { it.name == '" + name + "' }.variables",
                        contains("header.image", "body.1", "body.2", "button.url.0"));
        Api.admin().body(Map.of("name", name, "language", "en_US", "category", "marketing", "body", "x"))
                .post("/api/whatsapp/templates").then().statusCode(409);
    }

    @Test
    void unsupportedMediaTypeIsAProblem() {
        Api.as(Api.bootstrapKey()).contentType("application/xml").body("<campaign/>").post(CAMPAIGNS).then()
                .statusCode(415)
                .contentType("application/problem+json")
                .body("status", equalTo(415))
                .body("instance", endsWith(CAMPAIGNS));
    }

    private long controlVersion(long id) throws SQLException {
        try (var connection = dataSource.getConnection();
                var query = connection.prepareStatement("SELECT control_version FROM campaigns WHERE id = ?")) {
            query.setLong(1, id);
            try (var rows = query.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        }
    }
}
