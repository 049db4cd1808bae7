package io.wacast.campaign.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.agroal.api.AgroalDataSource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.wacast.campaign.Api;
import io.wacast.campaign.SentCampaign;
import io.wacast.campaign.SentCampaign.Row;
import io.wacast.campaign.TestData;
import io.wacast.campaign.service.CampaignLifecycle;

@QuarkusTest
class DuplicateAndScheduleTest {

    private static final org.jboss.logging.Logger LOG = org.jboss.logging.Logger.getLogger(DuplicateAndScheduleTest.class);
    private static final String CAMPAIGNS = "/api/whatsapp/campaigns";

    @Inject
    AgroalDataSource dataSource;

    @Inject
    CampaignLifecycle lifecycle;

    private static long scheduled(String template, OffsetDateTime at) {
        Map<String, Object> spec = new HashMap<>();
        spec.put("name", "scheduled " + UUID.randomUUID());
        spec.put("templateName", template);
        spec.put("templateLanguage", "en_US");
        spec.put("templateVariables", TestData.defaults());
        spec.put("scheduledFor", at.toString());
        spec.put("rateLimit", 600);
        spec.put("sendWindow", Map.of("startHour", 8, "endHour", 22, "timeZone", "Europe/Paris"));
        return TestData.withRecipient(((Number) Api.admin().body(spec).post(CAMPAIGNS).then().statusCode(201)
                .extract().path("id")).longValue());
    }

    @Test
    void aDuplicateIsADraftWithTheSettingsAndWithoutRecipientsUnlessAsked() {
        long source = scheduled(TestData.template(), OffsetDateTime.now().plusDays(2));
        Map<String, Object> original = Api.admin().get(CAMPAIGNS + "/" + source).then().extract().jsonPath().getMap("");

        Response copy = Api.admin().body(Map.of()).post(CAMPAIGNS + "/" + source + "/duplicate");
        copy.then().statusCode(201)
                .body("status", equalTo("draft"))
                .body("name", equalTo(original.get("name") + " (copy)"))
                .body("templateName", equalTo(original.get("templateName")))
                .body("templateVariables", equalTo(original.get("templateVariables")))
                .body("rateLimit", equalTo(600))
                .body("sendWindow.timeZone", equalTo("Europe/Paris"))
                .body("scheduledFor", nullValue())
                .body("recipients", nullValue());
        long id = copy.jsonPath().getLong("id");
        assertThat(SentCampaign.count(dataSource, "SELECT COUNT(*) FROM recipients WHERE campaign_id = " + id)).isZero();
        // without a body at all, too
        Api.as(Api.bootstrapKey()).post(CAMPAIGNS + "/" + source + "/duplicate").then().statusCode(201)
                .body("status", equalTo("draft")).body("recipients", nullValue());
    }

    @Test
    void aDuplicateWithRecipientsCopiesTheirVariablesAndRechecksTheSuppressionListNow() {
        SentCampaign source = SentCampaign.stage(dataSource, List.of(Row.of("delivered"), Row.failed(131000, 1),
                Row.of("read"), new Row("opted_out", 131050, 1)));
        source.suppress(2);
        source.suppressErased(0);

        long copy = Api.admin().body(Map.of("name", "again", "recipients", true)).post(CAMPAIGNS + "/" + source.id()
                + "/duplicate").then().statusCode(201)
                .body("name", equalTo("again"))
                .body("recipients.accepted", equalTo(2))
                .body("recipients.optedOut", equalTo(2))
                .extract().jsonPath().getLong("id");

        assertThat(SentCampaign.phonesOf(dataSource, copy, "status = 'pending'")).isEqualTo(source.phones(1, 3));
        assertThat(SentCampaign.phonesOf(dataSource, copy, "status = 'opted_out'")).isEqualTo(source.phones(0, 2));
        assertThat(SentCampaign.variablesOf(dataSource, copy)).isEqualTo(SentCampaign.variablesOf(dataSource, source.id()));
        assertThat(SentCampaign.count(dataSource, "SELECT COUNT(*) FROM campaign_counters c WHERE c.campaign_id = " + copy
                + " AND c.recipients <> (SELECT COUNT(*) FROM recipients r WHERE r.campaign_id = c.campaign_id"
                + " AND r.status = c.status)")).isZero();
        Api.admin().get(CAMPAIGNS + "/" + copy + "/stats").then().body("stats.total", equalTo(4))
                .body("stats.pending", equalTo(2)).body("stats.optedOut", equalTo(2));
    }

    /**
     * The copy reads the source without locks: a source row the applier holds (here: a transaction
     * that changed it and has not committed) neither blocks the duplicate nor is blocked by it.
     */
    @Test
    void aDuplicateDoesNotWaitForSourceRowsSomeoneElseHolds() throws Exception {
        SentCampaign source = SentCampaign.stage(dataSource, List.of(Row.of("sent"), Row.of("sent")));
        try (java.sql.Connection applier = dataSource.getConnection()) {
            applier.setAutoCommit(false);
            try (var update = applier.createStatement()) {
                assertThat(update.executeUpdate("UPDATE recipients SET status = 'delivered' WHERE campaign_id = "
                        + source.id() + " AND phone_e164 = '" + source.phone(1) + "'")).isEqualTo(1);
            }
            Api.admin().body(Map.of("recipients", true)).post(CAMPAIGNS + "/" + source.id() + "/duplicate").then()
                    .statusCode(201)
                    .body("recipients.accepted", equalTo(2));
            applier.rollback();
        }
    }

    @Test
    void badDuplicateRequestsAreProblems() {
        long source = TestData.draft();
        Api.admin().body("{\"name\":\"a\\u202eb\"}").post(CAMPAIGNS + "/" + source + "/duplicate").then().statusCode(400)
                .body("errors.field", org.hamcrest.Matchers.hasItem("name"));
        Api.admin().body("{\"recipients\":\"yes\"}").post(CAMPAIGNS + "/" + source + "/duplicate").then().statusCode(400);
        Api.admin().body(Map.of()).post(CAMPAIGNS + "/999999999/duplicate").then().statusCode(404);
        Api.as(Api.issueKey("viewer")).contentType("application/json").body(Map.of())
                .post(CAMPAIGNS + "/" + source + "/duplicate").then().statusCode(403);
    }

    @Test
    void anUnscheduledCampaignIsADraftWithoutStartTimeThatTheSchedulerLeavesAlone() {
        long id = scheduled(TestData.template(), OffsetDateTime.now().plusDays(1));
        Api.admin().post(CAMPAIGNS + "/" + id + "/unschedule").then().statusCode(200)
                .body("status", equalTo("draft"))
                .body("scheduledFor", nullValue());
        SentCampaign.update(dataSource, "UPDATE campaigns SET scheduled_for = NOW(6) - INTERVAL 1 SECOND WHERE id = " + id);
        assertThat(QuarkusTransaction.requiringNew().call(() -> lifecycle.startScheduled(id))).isFalse();
        Api.admin().post(CAMPAIGNS + "/" + id + "/unschedule").then().statusCode(409)
                .contentType("application/problem+json")
                .body("errors[0].field", equalTo("status"))
                .body("errors[0].value", equalTo("draft"));
        Api.admin().post(CAMPAIGNS + "/" + id + "/send").then().statusCode(200).body("status", equalTo("sending"));
        Api.admin().post(CAMPAIGNS + "/" + id + "/unschedule").then().statusCode(409);
    }

    @Test
    void anEditThatMovesADueCampaignLaterWinsOverTheScheduler() {
        String template = TestData.template();
        long id = scheduled(template, OffsetDateTime.now().plusDays(1));
        Map<String, Object> edit = new HashMap<>();
        edit.put("name", "moved");
        edit.put("templateName", template);
        edit.put("templateLanguage", "en_US");
        edit.put("templateVariables", TestData.defaults());
        edit.put("scheduledFor", OffsetDateTime.now().plusDays(3).toString());
        Api.admin().body(edit).put(CAMPAIGNS + "/" + id).then().statusCode(200).body("status", equalTo("scheduled"));

        // a scheduler that listed it as due (dueScheduled) before the edit now runs its start: the start's
        // conditional UPDATE sees the new, later scheduledFor and changes nothing. (Making the row due in
        // the database instead would race this JVM's own scheduler, which starts due campaigns every second.)
        assertThat(QuarkusTransaction.requiringNew().call(() -> lifecycle.startScheduled(id))).isFalse();
        Api.admin().get(CAMPAIGNS + "/" + id).then().body("status", equalTo("scheduled")).body("startedAt", nullValue())
                .body("name", equalTo("moved"));
    }

    /**
     * The operator's unschedule and the scheduler's start race for due campaigns: for each, exactly one
     * wins. Unschedule answered 200 ⇔ the campaign is a draft that never started; 409 ⇔ it started.
     */
    @Test
    void unscheduleRacingTheSchedulersStartHasExactlyOneWinner() throws Exception {
        String template = TestData.template();
        ExecutorService pool = Executors.newFixedThreadPool(2);
        int unscheduled = 0;
        int started = 0;
        for (int round = 0; round < 50; round++) {
            long id = scheduled(template, OffsetDateTime.now().plusDays(1));
            SentCampaign.update(dataSource, "UPDATE campaigns SET scheduled_for = NOW(6) - INTERVAL 1 SECOND WHERE id = " + id);
            CountDownLatch go = new CountDownLatch(1);
            Future<Boolean> scheduler = pool.submit((Callable<Boolean>) () -> {
                go.await();
                return QuarkusTransaction.requiringNew().call(() -> lifecycle.startScheduled(id));
            });
            Future<Integer> operator = pool.submit((Callable<Integer>) () -> {
                go.await();
                return Api.admin().post(CAMPAIGNS + "/" + id + "/unschedule").statusCode();
            });
            go.countDown();
            boolean schedulerWon = scheduler.get();
            int answer = operator.get();

            String state = SentCampaign.strings(dataSource, "SELECT CONCAT(status, '/', started_at IS NOT NULL)"
                    + " FROM campaigns WHERE id = " + id).get(0);
            assertThat(answer).isIn(200, 409);
            if (answer == 200) {
                unscheduled++;
                assertThat(schedulerWon).isFalse();
                assertThat(state).isEqualTo("draft/0");
            } else {
                started++;
                // the engine loop of this test JVM is a second scheduler: it may have been the one that won
                assertThat(state).isEqualTo("sending/1");
            }
            Api.admin().post(CAMPAIGNS + "/" + id + "/cancel");
        }
        pool.shutdown();
        assertThat(unscheduled + started).isEqualTo(50);
        LOG.infof("unschedule vs start: %d unscheduled, %d started", unscheduled, started);
    }

    @Test
    void aPausedOrSendingCampaignCannotBeEdited() {
        long id = TestData.withRecipient(TestData.draft());
        Api.admin().post(CAMPAIGNS + "/" + id + "/send").then().statusCode(200);
        Map<String, Object> edit = new HashMap<>();
        edit.put("name", "late edit");
        edit.put("templateName", Api.admin().get(CAMPAIGNS + "/" + id).path("templateName"));
        edit.put("templateLanguage", "en_US");
        edit.put("templateVariables", TestData.defaults());
        Api.admin().body(edit).put(CAMPAIGNS + "/" + id).then().statusCode(409).body("errors[0].field", equalTo("status"));
        Api.admin().post(CAMPAIGNS + "/" + id + "/cancel");
    }
}
