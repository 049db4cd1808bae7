package io.wacast.campaign.rest;

import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.wacast.campaign.Api;
import io.wacast.campaign.TestData;
import io.quarkus.test.junit.QuarkusTest;

/** Every consent change of a number is recorded and readable, through every path that changes it. */
@QuarkusTest
class ConsentHistoryTest {

    private static final String CONTACTS = "/api/whatsapp/contacts/";

    @Test
    void eachChangeIsRecordedWithSourceEvidenceAndWhoNewestFirst() {
        String phone = TestData.phone();
        Api.admin().body(Map.of("name", "Asha", "consent", Map.of("status", "opted_in", "source", "web_form",
                "evidence", "https://example.com/form/17"))).put(CONTACTS + phone).then().statusCode(201);
        Api.admin().body(Map.of("name", "Asha")).put(CONTACTS + phone).then().statusCode(200); // no consent given: no change
        Api.admin().body(Map.of("phoneNumber", phone, "reason", "asked by phone")).post("/api/whatsapp/opt-outs")
                .then().statusCode(201);
        Api.admin().body(Map.of("consent", Map.of("status", "none"))).put(CONTACTS + phone).then().statusCode(200);

        Api.admin().get(CONTACTS + phone + "/consent").then().statusCode(200)
                .body("current.status", equalTo("opted_out"))
                .body("changes.status", contains("none", "opted_out", "opted_in"))
                .body("changes[2].source", equalTo("web_form"))
                .body("changes[2].evidence", equalTo("https://example.com/form/17"))
                .body("changes[1].evidence", equalTo("asked by phone"))
                .body("changes.actor", everyItem(equalTo("api key 'bootstrap'")));
    }

    @Test
    void aConsentedImportAndAnUploadRecordTheirOptInsOnlyWhereOneWasRecorded() {
        String imported = TestData.phone();
        String kept = TestData.phone();
        Api.admin().body(Map.of("consent", Map.of("status", "opted_in", "source", "qr"))).put(CONTACTS + kept)
                .then().statusCode(201);
        Api.csv().queryParam("consented", "true").queryParam("evidence", "fair-2026.csv")
                .body("phone,name,language,tags\n" + imported + ",A,,\n" + kept + ",B,,\n").post(CONTACTS + "import").then().statusCode(200);
        Api.admin().get(CONTACTS + imported + "/consent").then().statusCode(200)
                .body("changes", hasSize(1))
                .body("changes[0].status", equalTo("opted_in"))
                .body("changes[0].source", equalTo("csv_import"))
                .body("changes[0].actor", equalTo("api key 'bootstrap'"));
        // the import keeps an earlier opt-in: no change, nothing recorded
        Api.admin().get(CONTACTS + kept + "/consent").then().statusCode(200)
                .body("changes.source", contains("qr"));

        long campaign = TestData.draft();
        String uploaded = TestData.phone();
        Api.admin().body(List.of(Map.of("phoneNumber", uploaded, "variables", Map.of("body.1", "A"))))
                .post("/api/whatsapp/campaigns/" + campaign + "/recipients").then().statusCode(200);
        Api.admin().get(CONTACTS + uploaded + "/consent").then().statusCode(200)
                .body("changes.source", contains("campaign_upload"));
    }

    @Test
    void erasureKeepsTheHistoryWithoutItsEvidenceAndBadInputIsAProblem() {
        String phone = TestData.phone();
        Api.admin().body(Map.of("consent", Map.of("status", "opted_in", "source", "web_form", "evidence", "form of Asha")))
                .put(CONTACTS + phone).then().statusCode(201);
        Api.admin().body(Map.of("phoneNumber", phone)).post("/api/whatsapp/opt-outs").then().statusCode(201);
        Api.admin().delete(CONTACTS + phone).then().statusCode(204);
        Api.admin().get(CONTACTS + phone + "/consent").then().statusCode(200)
                .body("current", nullValue())
                .body("changes.status", contains("opted_out", "opted_in"))
                .body("changes.evidence", everyItem(nullValue()));

        Api.admin().get(CONTACTS + TestData.phone() + "/consent").then().statusCode(404)
                .contentType("application/problem+json");
        Api.admin().get(CONTACTS + "not-a-number/consent").then().statusCode(400).contentType("application/problem+json");
        Api.admin().queryParam("limit", 0).get(CONTACTS + phone + "/consent").then().statusCode(400)
                .contentType("application/problem+json");
    }
}
