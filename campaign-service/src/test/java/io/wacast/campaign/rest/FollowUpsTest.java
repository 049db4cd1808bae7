package io.wacast.campaign.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.wacast.campaign.Api;
import io.wacast.campaign.SentCampaign;
import io.wacast.campaign.SentCampaign.Row;
import io.wacast.campaign.TestData;

@QuarkusTest
class FollowUpsTest {

    private static final String CAMPAIGNS = "/api/whatsapp/campaigns";

    @Inject
    AgroalDataSource dataSource;

    private static String followUps(long campaign) {
        return CAMPAIGNS + "/" + campaign + "/follow-ups";
    }

    @Test
    void aFollowUpToFailedTakesExactlyTheRetryableFailuresWithTheirVariables() {
        SentCampaign source = SentCampaign.stage(dataSource, List.of(
                Row.failed(131000, 1),      // 0 transient at Meta: taken
                Row.failed(130429, 1),      // 1 throughput: taken
                Row.failed(131026, 1),      // 2 undeliverable, retried once by the sender: taken
                Row.failed(132015, 1),      // 3 template paused: the campaign's fault, taken
                Row.failed(131047, 1),      // 4 plain fail: not retryable
                Row.failed(null, 1),        // 5 no Meta code: not retryable
                Row.failed(131049, 30),     // 6 marketing limit 30 h ago: taken after the 24 h quiet period
                Row.failed(131049, 2),      // 7 marketing limit 2 h ago: too recent
                new Row("opted_out", 131050, 1), // 8 the user stopped marketing: never a candidate
                Row.failed(131000, 1),      // 9 suppressed since: never taken
                Row.of("delivered"),        // 10 another outcome
                Row.failed(999_999, 1)));   // 11 unknown code: not retryable
        source.suppress(9);

        Response created = Api.admin().body(Map.of("outcome", "failed")).post(followUps(source.id()));
        created.then().statusCode(201)
                .header("Location", containsString(CAMPAIGNS + "/"))
                .body("campaign.status", equalTo("draft"))
                .body("campaign.followUpOf.campaignId", equalTo((int) source.id()))
                .body("campaign.followUpOf.outcome", equalTo("failed"))
                .body("recipients.added", equalTo(5))
                .body("recipients.skipped.suppressed", equalTo(1))
                .body("recipients.skipped.notRetryable", equalTo(3))
                .body("recipients.skipped.tooRecent", equalTo(1))
                .body("recipients.skipped.alreadyInFollowUp", equalTo(0))
                .body("recipients.skipped.missingVariables", equalTo(0));
        long followUp = created.jsonPath().getLong("campaign.id");

        Set<String> expected = source.phones(0, 1, 2, 3, 6);
        assertThat(SentCampaign.phonesOf(dataSource, followUp, null)).isEqualTo(expected);
        assertThat(SentCampaign.phonesOf(dataSource, followUp, "status = 'pending'")).isEqualTo(expected);
        assertThat(SentCampaign.count(dataSource, "SELECT recipients FROM campaign_counters WHERE campaign_id = " + followUp
                + " AND status = 'pending'")).isEqualTo(5);
        Map<String, String> variables = SentCampaign.variablesOf(dataSource, followUp);
        assertThat(variables.get(source.phone(6))).isEqualTo("{\"body.1\":\"R6\"}");
        assertThat(SentCampaign.strings(dataSource, "SELECT name FROM recipients WHERE campaign_id = " + followUp
                + " AND phone_e164 = '" + source.phone(3) + "'")).containsExactly("Name 3");

        Api.admin().get(CAMPAIGNS + "/" + followUp).then().statusCode(200)
                .body("followUpOf.campaignId", equalTo((int) source.id()))
                .body("followUpOf.outcome", equalTo("failed"))
                .body("templateName", equalTo(Api.admin().get(CAMPAIGNS + "/" + source.id()).path("templateName")));
        Api.admin().get(followUps(source.id())).then().statusCode(200)
                .body("size()", equalTo(1))
                .body("[0].campaignId", equalTo((int) followUp))
                .body("[0].outcome", equalTo("failed"))
                .body("[0].recipients", equalTo(5))
                .body("[0].status", equalTo("draft"));
        Api.admin().get(CAMPAIGNS + "/" + followUp + "/stats").then().statusCode(200)
                .body("stats.total", equalTo(5)).body("stats.pending", equalTo(5)).body("stats.failed", equalTo(0));
    }

    @Test
    void aRecipientIsNeverInTwoFollowUpsOfTheSameSourceForTheSameOutcome() {
        SentCampaign source = SentCampaign.stage(dataSource, List.of(Row.failed(131000, 1), Row.failed(131000, 1),
                Row.of("read"), Row.of("read")));
        long first = Api.admin().body(Map.of("outcome", "failed")).post(followUps(source.id())).then().statusCode(201)
                .extract().jsonPath().getLong("campaign.id");
        String name = "again " + UUID.randomUUID();

        Api.admin().body(Map.of("outcome", "failed", "name", name)).post(followUps(source.id())).then().statusCode(422)
                .contentType("application/problem+json")
                .body("errors[0].field", equalTo("outcome"))
                .body("detail", containsString("2 already in a follow-up"));
        assertThat(SentCampaign.count(dataSource, "SELECT COUNT(*) FROM campaigns WHERE name = '" + name + "'")).isZero();

        // another outcome of the same source is another list
        Api.admin().body(Map.of("outcome", "read_not_responded")).post(followUps(source.id())).then().statusCode(201)
                .body("recipients.added", equalTo(2));

        // a draft follow-up deleted sent nothing: its recipients may be followed up again
        Api.admin().delete(CAMPAIGNS + "/" + first).then().statusCode(204);
        long second = Api.admin().body(Map.of("outcome", "failed")).post(followUps(source.id())).then().statusCode(201)
                .body("recipients.added", equalTo(2)).extract().jsonPath().getLong("campaign.id");
        assertThat(SentCampaign.phonesOf(dataSource, second, null)).isEqualTo(source.phones(0, 1));
        Api.admin().get(followUps(source.id())).then().statusCode(200).body("campaignId", org.hamcrest.Matchers.not(
                org.hamcrest.Matchers.hasItem((int) first)));
    }

    @Test
    void followUpsCreatedAtTheSameTimeShareNoRecipientAndTogetherTakeEveryOne() throws Exception {
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < 2500; i++) { // more than one page of FollowUpService.PAGE
            rows.add(Row.failed(131000, 1));
        }
        SentCampaign source = SentCampaign.stage(dataSource, rows);
        int contenders = 4;
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(contenders);
        List<Future<Response>> answers = new ArrayList<>();
        for (int i = 0; i < contenders; i++) {
            answers.add(pool.submit((Callable<Response>) () -> {
                start.await();
                return Api.admin().body(Map.of("outcome", "failed")).post(followUps(source.id()));
            }));
        }
        start.countDown();
        long added = 0;
        List<Long> created = new ArrayList<>();
        for (Future<Response> answer : answers) {
            Response response = answer.get();
            assertThat(response.statusCode()).as(response.asString()).isIn(201, 422);
            if (response.statusCode() == 201) {
                added += response.jsonPath().getLong("recipients.added");
                created.add(response.jsonPath().getLong("campaign.id"));
            }
        }
        pool.shutdown();

        String ids = String.join(",", created.stream().map(String::valueOf).toList());
        assertThat(added).isEqualTo(2500);
        assertThat(SentCampaign.count(dataSource, "SELECT COUNT(*) FROM recipients WHERE campaign_id IN (" + ids + ")"))
                .isEqualTo(2500);
        assertThat(SentCampaign.count(dataSource, "SELECT COUNT(DISTINCT phone_e164) FROM recipients WHERE campaign_id IN ("
                + ids + ")")).isEqualTo(2500);
        assertThat(SentCampaign.count(dataSource, "SELECT COUNT(*) FROM follow_up_recipients WHERE source_campaign_id = "
                + source.id())).isEqualTo(2500);
    }

    @ParameterizedTest
    @CsvSource({"not_delivered, sent", "read_not_responded, read", "responded, responded"})
    void eachOutcomeTakesTheSourcesRecipientsStandingInItsStatusExceptSuppressedNumbers(String outcome, String status) {
        SentCampaign source = SentCampaign.stage(dataSource, List.of(Row.of("sent"), Row.of("sent"), Row.of("delivered"),
                Row.of("read"), Row.of("read"), Row.of("responded"), Row.of("responded"), Row.failed(131000, 1),
                Row.of("pending"), Row.of("cancelled")));
        source.suppress(1);
        source.suppress(4);
        source.suppress(6);

        long followUp = Api.admin().body(Map.of("outcome", outcome)).post(followUps(source.id())).then().statusCode(201)
                .body("recipients.skipped.suppressed", equalTo(1))
                .extract().jsonPath().getLong("campaign.id");

        Set<String> direct = SentCampaign.phonesOf(dataSource, source.id(), "status = '" + status + "'"
                + " AND phone_e164 NOT IN (SELECT phone_e164 FROM opt_outs WHERE phone_e164 IS NOT NULL)");
        assertThat(direct).hasSize(1);
        assertThat(SentCampaign.phonesOf(dataSource, followUp, null)).isEqualTo(direct);
    }

    /**
     * An opt-out whose number is not kept (an erased contact's, docs/DESIGN.md §11 D14) is known only by the hash
     * of the number: the follow-up reads the join by hash, so those recipients are skipped as suppressed
     * like any other, whatever the outcome.
     */
    @ParameterizedTest
    @CsvSource({"failed", "not_delivered", "read_not_responded"})
    void recipientsWhoseOptOutKeepsOnlyTheNumbersHashAreNeverTaken(String outcome) {
        SentCampaign source = SentCampaign.stage(dataSource, List.of(Row.failed(131000, 1), Row.failed(131000, 1),
                Row.of("sent"), Row.of("sent"), Row.of("read"), Row.of("read")));
        source.suppressErased(0);
        source.suppressErased(2);
        source.suppressErased(4);

        long followUp = Api.admin().body(Map.of("outcome", outcome)).post(followUps(source.id())).then().statusCode(201)
                .body("recipients.added", equalTo(1))
                .body("recipients.skipped.suppressed", equalTo(1))
                .extract().jsonPath().getLong("campaign.id");

        int kept = switch (outcome) {
            case "failed" -> 1;
            case "not_delivered" -> 3;
            default -> 5;
        };
        assertThat(SentCampaign.phonesOf(dataSource, followUp, null)).isEqualTo(source.phones(kept));
    }

    @Test
    void deliveredNotReadTakesOnlyThoseDeliveredAtLeastAfterHoursAgo() {
        SentCampaign source = SentCampaign.stage(dataSource, List.of(new Row("delivered", null, 30),
                new Row("delivered", null, 2), new Row("delivered", null, 0.5)));

        long followUp = Api.admin().body(Map.of("outcome", "delivered_not_read")).post(followUps(source.id())).then()
                .statusCode(201)
                .body("campaign.followUpOf.afterHours", equalTo(24))
                .body("recipients.added", equalTo(1))
                .body("recipients.skipped.tooRecent", equalTo(2))
                .extract().jsonPath().getLong("campaign.id");
        assertThat(SentCampaign.phonesOf(dataSource, followUp, null)).isEqualTo(source.phones(0));

        long later = Api.admin().body(Map.of("outcome", "delivered_not_read", "afterHours", 1)).post(followUps(source.id()))
                .then().statusCode(201)
                .body("recipients.added", equalTo(1))
                .body("recipients.skipped.alreadyInFollowUp", equalTo(1))
                .body("recipients.skipped.tooRecent", equalTo(1))
                .extract().jsonPath().getLong("campaign.id");
        assertThat(SentCampaign.phonesOf(dataSource, later, null)).isEqualTo(source.phones(1));
    }

    @Test
    void aNewTemplateKeepsTheVariablesItTakesAndSkipsRecipientsMissingOne() {
        String template = "plain_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        Api.admin().body(Map.of("name", template, "language", "en_US", "category", "marketing", "headerType", "none",
                "body", "Hello {{1}}, {{2}} {{3}}")).post("/api/whatsapp/templates").then().statusCode(201);
        SentCampaign source = SentCampaign.stage(dataSource, List.of(Row.failed(131000, 1), Row.failed(131000, 1)));

        // the source's defaults give body.2 (its header and button values are dropped: the new template has
        // neither); body.3 has no value anywhere: every recipient would miss it, nothing is created
        Api.admin().body(Map.of("outcome", "failed", "templateName", template)).post(followUps(source.id())).then()
                .statusCode(422)
                .body("errors[0].field", equalTo("outcome"))
                .body("detail", containsString("2 missing template variables"));

        long followUp = Api.admin().body(Map.of("outcome", "failed", "templateName", template,
                "templateVariables", Map.of("body.2", "welcome", "body.3", "back"))).post(followUps(source.id())).then()
                .statusCode(201)
                .body("campaign.templateName", equalTo(template))
                .body("campaign.templateVariables", equalTo(Map.of("body.2", "welcome", "body.3", "back")))
                .body("recipients.added", equalTo(2))
                .extract().jsonPath().getLong("campaign.id");
        assertThat(SentCampaign.variablesOf(dataSource, followUp).get(source.phone(1))).isEqualTo("{\"body.1\":\"R1\"}");
    }

    @Test
    void aFollowUpOfACampaignThatNeverSentIsAConflictNamingTheStatus() {
        long draft = TestData.withRecipient(TestData.draft());
        Api.admin().body(Map.of("outcome", "failed")).post(followUps(draft)).then().statusCode(409)
                .contentType("application/problem+json")
                .body("errors[0].field", equalTo("status"))
                .body("detail", containsString("never sent"));
        Api.admin().get(followUps(draft)).then().statusCode(200).body("size()", equalTo(0));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "{\"outcome\":\"bounced\"}|400|outcome|unknown outcome",
            "{\"outcome\":\"clicked\"}|400|payload|names the button payload",
            "{\"outcome\":\"clicked\",\"payload\":\"No such button\"}|422|payload|no button of it was pressed",
            "{\"outcome\":\"failed\",\"payload\":\"Interested\"}|400|payload|only a follow-up to clicked",
            "{\"outcome\":\"failed\",\"afterHours\":5}|400|afterHours|only a follow-up to delivered_not_read",
            "{\"outcome\":\"delivered_not_read\",\"afterHours\":0}|400|afterHours|",
            "{\"outcome\":\"failed\",\"name\":\"two\\nlines\"}|400|name|",
            "{\"outcome\":\"failed\",\"templateName\":\"no_such_template_x\"}|422|templateName|unknown template",
            "{}|400|outcome|",
            "{\"outcome\":\"delivered_not_read\",\"afterHours\":1.5}|400|afterHours|"})
    void badFollowUpRequestsAreProblemsNamingTheFieldAndCreateNothing(String body, int status, String field, String detail) {
        SentCampaign source = SentCampaign.stage(dataSource, List.of(Row.failed(131000, 1), Row.of("delivered")));
        long before = SentCampaign.count(dataSource, "SELECT COUNT(*) FROM campaigns");
        var answer = Api.admin().body(body).post(followUps(source.id())).then().statusCode(status)
                .contentType("application/problem+json");
        if (field != null) {
            answer.body("errors.field", org.hamcrest.Matchers.hasItem(field));
        }
        if (detail != null) {
            answer.body("detail", containsString(detail));
        }
        assertThat(SentCampaign.count(dataSource, "SELECT COUNT(*) FROM campaign_follow_ups WHERE source_campaign_id = "
                + source.id())).isZero();
        assertThat(SentCampaign.count(dataSource, "SELECT COUNT(*) FROM follow_up_recipients WHERE source_campaign_id = "
                + source.id())).isZero();
        assertThat(SentCampaign.count(dataSource, "SELECT COUNT(*) FROM campaigns")).isEqualTo(before);
    }

    @Test
    void followUpsOfAnUnknownCampaignAreNotFound() {
        Api.admin().body(Map.of("outcome", "failed")).post(followUps(999_999_999L)).then().statusCode(404)
                .contentType("application/problem+json");
        Api.admin().get(followUps(999_999_999L)).then().statusCode(404);
        Api.admin().get(followUps(1) .replace("/1/", "/x/")).then().statusCode(400).body("errors[0].field", equalTo("id"));
    }

    @Test
    void aViewerMayListFollowUpsButNotCreateOne() {
        SentCampaign source = SentCampaign.stage(dataSource, List.of(Row.failed(131000, 1)));
        String viewer = Api.issueKey("viewer");
        Api.as(viewer).contentType("application/json").body(Map.of("outcome", "failed")).post(followUps(source.id()))
                .then().statusCode(403);
        Api.as(viewer).get(followUps(source.id())).then().statusCode(200).body("size()", equalTo(0));
        Api.as(viewer).get(CAMPAIGNS + "/" + source.id()).then().statusCode(200).body("followUpOf", nullValue());
    }
}
