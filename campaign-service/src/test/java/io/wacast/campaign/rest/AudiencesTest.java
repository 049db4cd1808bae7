package io.wacast.campaign.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.wacast.campaign.Api;
import io.wacast.campaign.TestData;

/** Audiences against the real database: CRUD, bad filters, the live count and the snapshot at send. */
@QuarkusTest
class AudiencesTest {

    private static final String AUDIENCES = "/api/whatsapp/audiences";
    private static final String CAMPAIGNS = "/api/whatsapp/campaigns";

    @Inject
    AgroalDataSource dataSource;

    private static String uniqueTag() {
        return "aud-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static void contact(String phone, Map<String, Object> body) {
        Api.admin().body(body).put("/api/whatsapp/contacts/" + phone).then()
                .statusCode(org.hamcrest.Matchers.oneOf(200, 201));
    }

    private static long audience(Map<String, Object> filter) {
        return ((Number) Api.admin().body(Map.of("name", "audience " + UUID.randomUUID(), "filter", filter))
                .post(AUDIENCES).then().statusCode(201).extract().path("id")).longValue();
    }

    private long sql(String query, Object... params) throws Exception {
        return io.wacast.campaign.Sql.count(dataSource, query, params);
    }

    @Test
    void anAudienceIsCreatedListedReplacedAndDeleted() {
        String tag = uniqueTag();
        String name = "VIPs " + UUID.randomUUID();
        long id = ((Number) Api.admin().body(Map.of("name", name, "description", "big spenders",
                "filter", Map.of("tags", Map.of("all", List.of(tag.toUpperCase())), "countries", List.of("in"),
                        "consent", Map.of("status", "opted_in", "sources", List.of("web_form")))))
                .post(AUDIENCES).then().statusCode(201)
                .body("filter.tags.all[0]", equalTo(tag))
                .body("filter.countries[0]", equalTo("IN"))
                .extract().path("id")).longValue();
        Api.admin().get(AUDIENCES + "/" + id).then().statusCode(200).body("name", equalTo(name));
        Api.admin().queryParam("size", 1000).get(AUDIENCES).then().statusCode(200).body("items.id", hasItem((int) id));
        Api.admin().body(Map.of("name", name, "filter", Map.of("notMessagedInDays", 7))).put(AUDIENCES + "/" + id)
                .then().statusCode(200).body("filter.notMessagedInDays", equalTo(7)).body("version", equalTo(1));
        Api.admin().body(Map.of("name", name, "filter", Map.of())).post(AUDIENCES).then().statusCode(409)
                .body("errors[0].field", equalTo("name"));
        Api.admin().delete(AUDIENCES + "/" + id).then().statusCode(204);
        Api.admin().get(AUDIENCES + "/" + id).then().statusCode(404);
    }

    @Test
    void badFiltersAreRefusedNamingTheFieldAndStoreNothing() {
        String name = "bad " + UUID.randomUUID();
        Map<Map<String, Object>, String> cases = new LinkedHashMap<>();
        cases.put(Map.of("attributes", List.of(Map.of("name", "city", "op", "like", "value", "B%"))), "filter.attributes[0].op");
        cases.put(Map.of("attributes", List.of(Map.of("name", "city", "op", "eq"))), "filter.attributes[0].value");
        cases.put(Map.of("attributes", List.of(Map.of("name", "city", "op", "in", "values", List.of()))), "filter.attributes[0].values");
        cases.put(Map.of("tags", Map.of("any", List.of("Not A Tag!"))), "filter.tags.any[0]");
        cases.put(Map.of("countries", List.of("XX")), "filter.countries[0]");
        cases.put(Map.of("consent", Map.of("status", "maybe")), "filter.consent.status");
        cases.put(Map.of("consent", Map.of("sources", List.of("fax"))), "filter.consent.sources[0]");
        cases.put(Map.of("recipientsOf", List.of(Map.of("campaignId", 1, "statuses", List.of("bounced")))),
                "filter.recipientsOf[0].statuses[0]");
        cases.put(Map.of("notMessagedInDays", 0), "filter.notMessagedInDays");
        cases.put(Map.of("tags", Map.of("some", List.of("vip"))), "filter.tags.some");
        cases.put(Map.of("attributes", List.of(Map.of("name", "city", "operator", "eq", "value", "Goa"))), "filter.attributes[0].operator");
        cases.put(Map.of("notMessagedInDays", "7"), "filter.notMessagedInDays");
        cases.put(Map.of("tags", "vip"), "filter.tags");
        cases.forEach((filter, field) -> Api.admin().body(Map.of("name", name, "filter", filter)).post(AUDIENCES)
                .then().statusCode(400).contentType("application/problem+json").body("errors.field", hasItem(field)));
        Api.admin().body(Map.of("name", name, "filter", Map.of("recipientsOf", List.of(Map.of("campaignId", Long.MAX_VALUE)))))
                .post(AUDIENCES).then().statusCode(422).body("errors[0].field", equalTo("filter.recipientsOf[0].campaignId"));
        Api.admin().body(Map.of("filter", Map.of("attributes", List.of(Map.of("name", "city", "op", "like", "value", "x")))))
                .post(AUDIENCES + "/count").then().statusCode(400).body("errors[0].field", equalTo("filter.attributes[0].op"));
        Api.admin().queryParam("size", 1000).get(AUDIENCES).then().statusCode(200)
                .body("items.name", org.hamcrest.Matchers.not(hasItem(name)));
    }

    @Test
    void theCountEqualsADirectSqlCountForEveryKindOfCondition() throws Exception {
        String tag = uniqueTag();
        String other = uniqueTag();
        List<String> phones = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            String phone = TestData.phone();
            phones.add(phone);
            Map<String, Object> body = new HashMap<>();
            body.put("tags", i % 3 == 0 ? List.of(tag, other) : List.of(tag));
            body.put("attributes", Map.of("city", i % 2 == 0 ? "Bali" : "Pune", "tier", String.valueOf(i % 4)));
            if (i % 4 != 3) {
                body.put("consent", Map.of("status", "opted_in", "source", i % 2 == 0 ? "web_form" : "qr"));
            }
            contact(phone, body);
        }
        Api.admin().body(Map.of("phoneNumber", phones.get(0))).post("/api/whatsapp/opt-outs").then().statusCode(201);
        Api.admin().body(Map.of("phoneNumber", phones.get(4))).post("/api/whatsapp/opt-outs").then().statusCode(201);

        String tagged = "c.id IN (SELECT ct.contact_id FROM contact_tags ct JOIN tags t ON t.id = ct.tag_id WHERE t.name = '" + tag + "')";
        String suppressed = "EXISTS (SELECT 1 FROM opt_outs o WHERE o.phone_hash = SHA2(c.phone_e164, 256))";
        Map<Map<String, Object>, String> cases = new LinkedHashMap<>();
        cases.put(Map.of(), "");
        cases.put(Map.of("tags", Map.of("none", List.of(other))),
                " AND c.id NOT IN (SELECT ct.contact_id FROM contact_tags ct JOIN tags t ON t.id = ct.tag_id WHERE t.name = '" + other + "')");
        cases.put(Map.of("tags", Map.of("any", List.of(other, "never-used-tag"))),
                " AND c.id IN (SELECT ct.contact_id FROM contact_tags ct JOIN tags t ON t.id = ct.tag_id WHERE t.name = '" + other + "')");
        cases.put(Map.of("attributes", List.of(Map.of("name", "city", "op", "eq", "value", "Bali"))),
                " AND c.id IN (SELECT contact_id FROM contact_attributes WHERE name = 'city' AND value = 'Bali')");
        cases.put(Map.of("attributes", List.of(Map.of("name", "tier", "op", "in", "values", List.of("1", "2")))),
                " AND c.id IN (SELECT contact_id FROM contact_attributes WHERE name = 'tier' AND value IN ('1', '2'))");
        cases.put(Map.of("attributes", List.of(Map.of("name", "city", "op", "ne", "value", "Bali"))),
                " AND c.id NOT IN (SELECT contact_id FROM contact_attributes WHERE name = 'city' AND value = 'Bali')");
        cases.put(Map.of("attributes", List.of(Map.of("name", "nickname", "op", "absent"))), "");
        cases.put(Map.of("attributes", List.of(Map.of("name", "nickname", "op", "exists"))), " AND FALSE");
        cases.put(Map.of("consent", Map.of("status", "opted_in")), " AND c.opt_in_source IS NOT NULL AND NOT " + suppressed);
        cases.put(Map.of("consent", Map.of("status", "opted_out")), " AND " + suppressed);
        cases.put(Map.of("consent", Map.of("status", "none")), " AND c.opt_in_source IS NULL AND NOT " + suppressed);
        cases.put(Map.of("consent", Map.of("sources", List.of("qr"))), " AND c.opt_in_source = 'qr' AND NOT " + suppressed);
        cases.put(Map.of("countries", List.of("IN")), " AND c.country = 'IN'");
        cases.put(Map.of("notMessagedInDays", 30), " AND c.phone_e164 NOT IN (SELECT phone_e164 FROM recipients WHERE queued_at"
                + " >= UTC_TIMESTAMP(6) - INTERVAL 30 DAY AND status IN ('queued', 'sending', 'retry', 'unknown', 'sent', 'delivered',"
                + " 'read', 'responded'))");
        for (Map.Entry<Map<String, Object>, String> c : cases.entrySet()) {
            Map<String, Object> filter = new HashMap<>(c.getKey());
            @SuppressWarnings("unchecked")
            Map<String, Object> tags = new HashMap<>((Map<String, Object>) filter.getOrDefault("tags", Map.of()));
            tags.put("all", List.of(tag));
            filter.put("tags", tags);
            long expected = sql("SELECT COUNT(*) FROM contacts c WHERE " + tagged + c.getValue());
            long id = audience(filter);
            long counted = ((Number) Api.admin().get(AUDIENCES + "/" + id + "/count").then().statusCode(200)
                    .extract().path("contacts")).longValue();
            long previewed = ((Number) Api.admin().body(Map.of("filter", filter)).post(AUDIENCES + "/count").then().statusCode(200)
                    .extract().path("contacts")).longValue();
            assertThat(counted).as("count of %s", filter).isEqualTo(expected).isEqualTo(previewed);
        }
        assertThat(sql("SELECT COUNT(*) FROM contacts c WHERE " + tagged)).isEqualTo(12);
    }

    /** One attribute condition alone is counted on the attributes' index, the complements from the kept counts. */
    @Test
    void anAttributeAloneCountsAsADirectSqlCountAndAnErasedContactLeavesIt() throws Exception {
        String name = "k" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        List<String> phones = new ArrayList<>();
        for (int i = 0; i < 9; i++) {
            String phone = TestData.phone();
            phones.add(phone);
            contact(phone, i % 3 == 2 ? Map.of("name", "no " + name) : Map.of("attributes", Map.of(name, i % 3 == 0 ? "Goa" : "Pune")));
        }
        Api.admin().delete("/api/whatsapp/contacts/" + phones.get(0)).then().statusCode(204);

        String with = "SELECT contact_id FROM contact_attributes WHERE name = '" + name + "'";
        Map<Map<String, Object>, String> cases = new LinkedHashMap<>();
        cases.put(Map.of("name", name, "op", "eq", "value", "goa"), "c.id IN (" + with + " AND value = 'Goa')");
        cases.put(Map.of("name", name, "op", "in", "values", List.of("Goa", "Pune", "Delhi")), "c.id IN (" + with + " AND value IN ('Goa', 'Pune'))");
        cases.put(Map.of("name", name, "op", "exists"), "c.id IN (" + with + ")");
        cases.put(Map.of("name", name, "op", "ne", "value", "Goa"), "c.id NOT IN (" + with + " AND value = 'Goa')");
        cases.put(Map.of("name", name, "op", "absent"), "c.id NOT IN (" + with + ")");
        Map<String, Long> matches = new LinkedHashMap<>();
        for (Map.Entry<Map<String, Object>, String> c : cases.entrySet()) {
            Map<String, Object> filter = Map.of("attributes", List.of(c.getKey()));
            long expected = sql("SELECT COUNT(*) FROM contacts c WHERE " + c.getValue());
            long counted = ((Number) Api.admin().body(Map.of("filter", filter)).post(AUDIENCES + "/count").then().statusCode(200)
                    .extract().path("contacts")).longValue();
            assertThat(counted).as("count of %s", filter).isEqualTo(expected);
            matches.put((String) c.getKey().get("op"), counted);
        }
        // the erased contact (a Goa) is in none of them; the complements are everyone else
        assertThat(matches.get("eq")).isEqualTo(2);
        assertThat(matches.get("in")).isEqualTo(5);
        assertThat(matches.get("exists")).isEqualTo(5);
        long everyone = sql("SELECT COUNT(*) FROM contacts c");
        assertThat(matches.get("ne")).isEqualTo(everyone - 2);
        assertThat(matches.get("absent")).isEqualTo(everyone - 5);
    }

    @Test
    void sendSnapshotsTheAudienceExactlyWithReasonsAndVariablesFromAttributes() throws Exception {
        String tag = uniqueTag();
        String template = TestData.template(); // marketing; body.1 has no default
        long campaign = TestData.draft(template);
        List<String> phones = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            String phone = TestData.phone();
            phones.add(phone);
            Map<String, Object> body = new HashMap<>();
            body.put("tags", List.of(tag));
            body.put("name", "Contact " + i);
            if (i % 5 != 4) {
                body.put("attributes", Map.of("first_name", "Asha" + i));
            }
            if (i % 7 != 6) {
                body.put("consent", Map.of("status", "opted_in", "source", "api"));
            }
            contact(phone, body);
        }
        // two suppressed; one of them erased then restored (its opt-out was kept only as a hash meanwhile)
        Api.admin().body(Map.of("phoneNumber", phones.get(0))).post("/api/whatsapp/opt-outs").then().statusCode(201);
        Api.admin().body(Map.of("phoneNumber", phones.get(1))).post("/api/whatsapp/opt-outs").then().statusCode(201);
        // one number is a recipient already (uploaded): it stays as uploaded
        Api.admin().body(List.of(Map.of("phoneNumber", phones.get(2), "variables", Map.of("body.1", "Uploaded"))))
                .post(CAMPAIGNS + "/" + campaign + "/recipients").then().statusCode(200);

        long audience = audience(Map.of("tags", Map.of("all", List.of(tag))));
        Api.admin().body(Map.of("audienceId", audience, "variables", Map.of("body.1", "first_name")))
                .put(CAMPAIGNS + "/" + campaign + "/audience").then().statusCode(200).body("audienceId", equalTo((int) audience));
        Api.admin().body(Map.of("audienceId", audience, "variables", Map.of("body.9", "first_name")))
                .put(CAMPAIGNS + "/" + campaign + "/audience").then().statusCode(400).body("errors[0].field", equalTo("variables.body.9"));

        String tagged = "c.id IN (SELECT ct.contact_id FROM contact_tags ct JOIN tags t ON t.id = ct.tag_id WHERE t.name = '" + tag + "')";
        String suppressed = "EXISTS (SELECT 1 FROM opt_outs o WHERE o.phone_hash = SHA2(c.phone_e164, 256))";
        String notAlready = " AND c.phone_e164 <> '" + phones.get(2) + "'";
        long expectSuppressed = sql("SELECT COUNT(*) FROM contacts c WHERE " + tagged + notAlready + " AND " + suppressed);
        long expectNoOptIn = sql("SELECT COUNT(*) FROM contacts c WHERE " + tagged + notAlready + " AND NOT " + suppressed
                + " AND c.opt_in_source IS NULL");
        long expectMissing = sql("SELECT COUNT(*) FROM contacts c WHERE " + tagged + notAlready + " AND NOT " + suppressed
                + " AND c.opt_in_source IS NOT NULL AND c.id NOT IN (SELECT contact_id FROM contact_attributes WHERE name = 'first_name')");
        long expectAdded = sql("SELECT COUNT(*) FROM contacts c WHERE " + tagged + notAlready + " AND NOT " + suppressed
                + " AND c.opt_in_source IS NOT NULL AND c.id IN (SELECT contact_id FROM contact_attributes WHERE name = 'first_name')");
        assertThat(expectSuppressed + expectNoOptIn + expectMissing + expectAdded).isEqualTo(19);
        assertThat(expectNoOptIn).isPositive();
        assertThat(expectMissing).isPositive();

        Api.admin().post(CAMPAIGNS + "/" + campaign + "/send").then().statusCode(200).body("status", equalTo("sending"));

        JsonPath report = Api.admin().get(CAMPAIGNS + "/" + campaign + "/audience").then().statusCode(200).extract().jsonPath();
        assertThat(report.getLong("snapshot.matched")).isEqualTo(20);
        assertThat(report.getLong("snapshot.alreadyRecipients")).isEqualTo(1);
        assertThat(report.getLong("snapshot.suppressed")).isEqualTo(expectSuppressed);
        assertThat(report.getLong("snapshot.noOptIn")).isEqualTo(expectNoOptIn);
        assertThat(report.getLong("snapshot.missingVariables")).isEqualTo(expectMissing);
        assertThat(report.getLong("snapshot.added")).isEqualTo(expectAdded);
        // the rows and the counters agree with the report
        assertThat(sql("SELECT COUNT(*) FROM recipients WHERE campaign_id = ? AND status = 'opted_out' AND last_error_message = ?",
                campaign, "on the suppression list")).isEqualTo(expectSuppressed);
        assertThat(sql("SELECT COUNT(*) FROM recipients WHERE campaign_id = ? AND status = 'opted_out' AND last_error_message"
                + " = 'no marketing opt-in recorded for this number'", campaign)).isEqualTo(expectNoOptIn);
        assertThat(sql("SELECT COUNT(*) FROM recipients WHERE campaign_id = ?", campaign))
                .isEqualTo(1 + expectSuppressed + expectNoOptIn + expectAdded);
        assertThat(sql("SELECT SUM(recipients) FROM campaign_counters WHERE campaign_id = ?", campaign))
                .isEqualTo(1 + expectSuppressed + expectNoOptIn + expectAdded);
        assertThat(sql("SELECT COUNT(*) FROM recipients WHERE campaign_id = ? AND phone_e164 = ? AND variables LIKE '%\"body.1\":\"Asha3\"%'",
                campaign, phones.get(3))).isEqualTo(1);
        assertThat(sql("SELECT COUNT(*) FROM recipients WHERE campaign_id = ? AND phone_e164 = ? AND variables LIKE '%Uploaded%'",
                campaign, phones.get(2))).isEqualTo(1);
        // taken once: the link is fixed now
        Api.admin().delete(CAMPAIGNS + "/" + campaign + "/audience").then().statusCode(409);
        Api.admin().delete(AUDIENCES + "/" + audience).then().statusCode(409).body("detail", containsString("campaign " + campaign));
    }

    @Test
    void anAudienceThatMatchesNothingIsA422AtSendAndTheCampaignStaysADraft() throws Exception {
        long campaign = TestData.draft();
        long audience = audience(Map.of("tags", Map.of("all", List.of(uniqueTag()))));
        Api.admin().body(Map.of("audienceId", audience)).put(CAMPAIGNS + "/" + campaign + "/audience").then().statusCode(200);
        Api.admin().post(CAMPAIGNS + "/" + campaign + "/send").then().statusCode(422)
                .contentType("application/problem+json")
                .body("errors[0].field", equalTo("audienceId"))
                .body("detail", containsString("matches no contacts"));
        Api.admin().get(CAMPAIGNS + "/" + campaign).then().statusCode(200).body("status", equalTo("draft"));
        assertThat(sql("SELECT COUNT(*) FROM recipients WHERE campaign_id = ?", campaign)).isZero();
        Api.admin().get(CAMPAIGNS + "/" + campaign + "/audience").then().statusCode(200)
                .body("snapshotAt", org.hamcrest.Matchers.nullValue());
        Api.admin().body(Map.of("audienceId", Long.MAX_VALUE)).put(CAMPAIGNS + "/" + campaign + "/audience").then()
                .statusCode(422).body("errors[0].field", equalTo("audienceId"));
    }

    @Test
    void thePlanLeavesOutMarketingRecipientsWithoutOptInAndErasedOptOutsByHash() throws Exception {
        long campaign = TestData.draft();
        String optedIn = TestData.phone();
        String cleared = TestData.phone();
        String erased = TestData.phone();
        List<Map<String, Object>> rows = new ArrayList<>();
        for (String phone : List.of(optedIn, cleared, erased)) {
            rows.add(Map.of("phoneNumber", phone, "variables", Map.of("body.1", "Asha")));
        }
        Api.admin().body(rows).post(CAMPAIGNS + "/" + campaign + "/recipients").then().statusCode(200);
        Api.admin().body(Map.of("consent", Map.of("status", "none"))).put("/api/whatsapp/contacts/" + cleared).then().statusCode(200);
        Api.admin().body(Map.of("phoneNumber", erased)).post("/api/whatsapp/opt-outs").then().statusCode(201);
        Api.admin().delete("/api/whatsapp/contacts/" + erased).then().statusCode(204);
        assertThat(sql("SELECT COUNT(*) FROM opt_outs WHERE phone_hash = SHA2(?, 256) AND phone_e164 IS NULL", erased)).isEqualTo(1);

        Api.admin().get(CAMPAIGNS + "/" + campaign + "/plan").then().statusCode(200)
                .body("recipients.pending", equalTo(3))
                .body("recipients.excluded.optedOut", equalTo(1))
                .body("recipients.excluded.noMarketingOptIn", equalTo(1))
                .body("recipients.willSend", equalTo(1));
    }
}
