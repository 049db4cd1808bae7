package io.wacast.campaign.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.wacast.campaign.Api;
import io.wacast.campaign.TestData;

/** A campaign created on an audience (POST audienceId), its duplicate, and its plan, against the real database. */
@QuarkusTest
class CampaignAudienceTest {

    private static final String CAMPAIGNS = "/api/whatsapp/campaigns";

    @Inject
    AgroalDataSource dataSource;

    private long sql(String query, Object... params) throws Exception {
        return io.wacast.campaign.Sql.count(dataSource, query, params);
    }

    private static long taggedAudience(String tag, int contacts) {
        for (int i = 0; i < contacts; i++) {
            Api.admin().body(Map.of("tags", List.of(tag), "attributes", Map.of("first_name", "Asha" + i),
                    "consent", Map.of("status", "opted_in", "source", "web_form")))
                    .put("/api/whatsapp/contacts/" + TestData.phone()).then().statusCode(201);
        }
        return ((Number) Api.admin().body(Map.of("name", "audience " + UUID.randomUUID(),
                "filter", Map.of("tags", Map.of("all", List.of(tag))))).post("/api/whatsapp/audiences")
                .then().statusCode(201).extract().path("id")).longValue();
    }

    private static Map<String, Object> campaign(String name, String template) {
        Map<String, Object> body = new HashMap<>();
        body.put("name", name);
        body.put("templateName", template);
        body.put("templateLanguage", "en_US");
        body.put("templateVariables", TestData.defaults());
        return body;
    }

    @Test
    void aCampaignCreatedOnAnAudienceTargetsItAndItsDuplicateToo() {
        String template = TestData.template();
        long audience = taggedAudience("ca-" + UUID.randomUUID().toString().substring(0, 8), 3);
        Map<String, Object> body = campaign("on audience " + UUID.randomUUID(), template);
        body.put("audienceId", audience);
        body.put("audienceVariables", Map.of("body.1", "first_name"));
        body.put("recipients", List.of(Map.of("phoneNumber", TestData.phone(), "variables", Map.of("body.1", "Uploaded"))));
        long id = ((Number) Api.admin().body(body).post(CAMPAIGNS).then().statusCode(201)
                .body("recipients.accepted", equalTo(1)).extract().path("id")).longValue();
        Api.admin().get(CAMPAIGNS + "/" + id + "/audience").then().statusCode(200)
                .body("audienceId", equalTo((int) audience))
                .body("variables.'body.1'", equalTo("first_name"));

        long copy = ((Number) Api.as(Api.bootstrapKey()).post(CAMPAIGNS + "/" + id + "/duplicate").then().statusCode(201)
                .extract().path("id")).longValue();
        Api.admin().get(CAMPAIGNS + "/" + copy + "/audience").then().statusCode(200)
                .body("audienceId", equalTo((int) audience))
                .body("variables.'body.1'", equalTo("first_name"))
                .body("snapshotAt", org.hamcrest.Matchers.nullValue());

        // the snapshot of the source at send does not touch the copy's link
        Api.admin().post(CAMPAIGNS + "/" + id + "/send").then().statusCode(200);
        Api.admin().get(CAMPAIGNS + "/" + id + "/audience").then().statusCode(200).body("snapshot.added", equalTo(3));
        Api.admin().get(CAMPAIGNS + "/" + copy + "/audience").then().statusCode(200)
                .body("snapshotAt", org.hamcrest.Matchers.nullValue());

        // PUT without audienceId keeps the audience; with one, replaces it
        long other = taggedAudience("cb-" + UUID.randomUUID().toString().substring(0, 8), 1);
        Map<String, Object> replace = campaign("copy renamed " + UUID.randomUUID(), template);
        Api.admin().body(replace).put(CAMPAIGNS + "/" + copy).then().statusCode(200);
        Api.admin().get(CAMPAIGNS + "/" + copy + "/audience").then().statusCode(200).body("audienceId", equalTo((int) audience));
        replace.put("audienceId", other);
        Api.admin().body(replace).put(CAMPAIGNS + "/" + copy).then().statusCode(200);
        Api.admin().get(CAMPAIGNS + "/" + copy + "/audience").then().statusCode(200).body("audienceId", equalTo((int) other));
    }

    @Test
    void anUnknownAudienceOrABadVariableIsRefusedNamingTheFieldAndCreatesNothing() throws Exception {
        String template = TestData.template();
        long audience = taggedAudience("cc-" + UUID.randomUUID().toString().substring(0, 8), 1);
        String name = "refused " + UUID.randomUUID();
        Map<String, Object> unknown = campaign(name, template);
        unknown.put("audienceId", Long.MAX_VALUE);
        unknown.put("recipients", List.of(Map.of("phoneNumber", TestData.phone(), "variables", Map.of("body.1", "A"))));
        Api.admin().body(unknown).post(CAMPAIGNS).then().statusCode(422).contentType("application/problem+json")
                .body("errors[0].field", equalTo("audienceId"));

        Map<String, Object> badVariable = campaign(name, template);
        badVariable.put("audienceId", audience);
        badVariable.put("audienceVariables", Map.of("body.9", "first_name"));
        Api.admin().body(badVariable).post(CAMPAIGNS).then().statusCode(400).contentType("application/problem+json")
                .body("errors.field", hasItem("audienceVariables.body.9"));

        Map<String, Object> variablesAlone = campaign(name, template);
        variablesAlone.put("audienceVariables", Map.of("body.1", "first_name"));
        Api.admin().body(variablesAlone).post(CAMPAIGNS).then().statusCode(400)
                .body("errors[0].field", equalTo("audienceVariables"));

        Map<String, Object> notAnId = campaign(name, template);
        notAnId.put("audienceId", "seven");
        Api.admin().body(notAnId).post(CAMPAIGNS).then().statusCode(400).contentType("application/problem+json");

        assertThat(sql("SELECT COUNT(*) FROM campaigns WHERE name = ?", name)).isZero();
    }

    @Test
    void thePlanShowsTheAudienceAndItsLiveCountUntilTheSnapshot() throws Exception {
        String tag = "cd-" + UUID.randomUUID().toString().substring(0, 8);
        long audience = taggedAudience(tag, 4);
        Map<String, Object> body = campaign("planned " + UUID.randomUUID(), TestData.template());
        body.put("audienceId", audience);
        long id = ((Number) Api.admin().body(body).post(CAMPAIGNS).then().statusCode(201).extract().path("id")).longValue();
        long direct = sql("SELECT COUNT(*) FROM contacts c JOIN contact_tags ct ON ct.contact_id = c.id JOIN tags t"
                + " ON t.id = ct.tag_id WHERE t.name = ?", tag);
        assertThat(direct).isEqualTo(4);
        Api.admin().get(CAMPAIGNS + "/" + id + "/plan").then().statusCode(200)
                .body("audience.id", equalTo((int) audience))
                .body("audience.matchingNow", equalTo((int) direct))
                .body("warnings", hasItem(org.hamcrest.Matchers.containsString("become recipients at send")));
        Api.admin().get(CAMPAIGNS + "/" + TestData.draft() + "/plan").then().statusCode(200)
                .body("audience", org.hamcrest.Matchers.nullValue());
    }
}
