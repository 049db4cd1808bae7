package io.wacast.campaign.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;

import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

import jakarta.inject.Inject;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.wacast.campaign.Api;
import io.wacast.campaign.TestData;
import io.wacast.campaign.domain.PhoneHash;

@QuarkusTest
class ContactsTest {

    private static final String CONTACTS = "/api/whatsapp/contacts";

    @Inject
    AgroalDataSource dataSource;

    private static String uniqueTag() {
        return "t-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static String contact(String phone) {
        return CONTACTS + "/" + phone;
    }

    @Test
    void aContactIsCreatedThenReplacedByPhoneAndShowsItsConsent() {
        String phone = TestData.phone();
        Api.admin().body(Map.of("name", "Asha", "language", "en_US", "attributes", Map.of("city", "Bali"),
                "tags", List.of("VIP", "bali-interest"),
                "consent", Map.of("status", "opted_in", "source", "web_form", "evidence", "https://example.com/form")))
                .put(contact(phone)).then().statusCode(201)
                .header("Location", containsString("/api/whatsapp/contacts/%2B"))
                .body("phoneNumber", equalTo(phone))
                .body("country", equalTo("IN"))
                .body("tags", equalTo(List.of("bali-interest", "vip")))
                .body("attributes.city", equalTo("Bali"))
                .body("consent.status", equalTo("opted_in"))
                .body("consent.optIn.source", equalTo("web_form"))
                .body("consent.optIn.evidence", equalTo("https://example.com/form"));

        // national format, same contact; fields replaced, consent kept when not given
        Api.admin().body(Map.of("name", "Asha K", "tags", List.of("vip")))
                .put(contact(phone.substring(3))).then().statusCode(200)
                .body("name", equalTo("Asha K"))
                .body("language", nullValue())
                .body("attributes", equalTo(Map.of()))
                .body("tags", equalTo(List.of("vip")))
                .body("consent.optIn.source", equalTo("web_form"));

        Api.admin().body(Map.of("consent", Map.of("status", "none"))).put(contact(phone)).then().statusCode(200)
                .body("consent.status", equalTo("none"));
        Api.admin().get(contact(phone)).then().statusCode(200).body("consent.status", equalTo("none"));
    }

    @Test
    void badInputIsRefusedNamingWhatAndWhereAndNothingIsStored() {
        String phone = TestData.phone();
        Api.admin().body(Map.of()).put(contact("12345")).then().statusCode(400)
                .contentType("application/problem+json").body("errors[0].field", equalTo("phone"));
        Api.admin().body(Map.of("tags", List.of("ok", "no spaces!"))).put(contact(phone)).then().statusCode(400)
                .contentType("application/problem+json").body("errors[0].field", equalTo("tags[1]"));
        Api.admin().body(Map.of("name", "x".repeat(201))).put(contact(phone)).then().statusCode(400)
                .body("errors[0].field", equalTo("name")).body("errors[0].message", containsString("200 characters"));
        Api.admin().body(Map.of("name", "Asha\u202Eevil")).put(contact(phone)).then().statusCode(400)
                .body("errors[0].field", equalTo("name")).body("errors[0].message", containsString("U+202E at position 5"));
        Api.admin().body(Map.of("name", "Asha\nForged: line")).put(contact(phone)).then().statusCode(400)
                .body("errors[0].field", equalTo("name"));
        Api.admin().body(Map.of("attributes", Map.of("city", "v".repeat(256)))).put(contact(phone)).then().statusCode(400)
                .body("errors[0].field", equalTo("attributes.city")).body("errors[0].message", containsString("255"));
        Api.admin().body(Map.of("attributes", Map.of("phone", "x"))).put(contact(phone)).then().statusCode(400)
                .body("errors[0].field", equalTo("attributes.phone"));
        Api.admin().body(Map.of("consent", Map.of("status", "opted_in", "source", "campaign_upload"))).put(contact(phone))
                .then().statusCode(400).body("errors[0].field", equalTo("consent.source"));
        Api.admin().body(Map.of("consent", Map.of("status", "maybe"))).put(contact(phone)).then().statusCode(400)
                .contentType("application/problem+json").body("errors[0].field", equalTo("consent.status"));
        Api.admin().body("{\"name\": 5, ").put(contact(phone)).then().statusCode(400)
                .contentType("application/problem+json");
        Api.admin().get(contact(phone)).then().statusCode(404).contentType("application/problem+json");

        Api.admin().queryParam("attribute", "city:like:Ba%").get(CONTACTS).then().statusCode(400)
                .contentType("application/problem+json")
                .body("errors[0].field", equalTo("attribute"))
                .body("errors[0].message", containsString("unknown operator 'like'"));
        Api.admin().queryParam("attribute", "city").get(CONTACTS).then().statusCode(400).body("errors[0].field", equalTo("attribute"));
        Api.admin().queryParam("country", "XX").get(CONTACTS).then().statusCode(400).body("errors[0].field", equalTo("country"));
        Api.admin().queryParam("consent", "yes").get(CONTACTS).then().statusCode(400).body("errors[0].field", equalTo("consent"));
        Api.admin().queryParam("tag", "Bad Tag").get(CONTACTS).then().statusCode(400).body("errors[0].field", equalTo("tag"));
        Api.admin().queryParam("createdFrom", "yesterday").get(CONTACTS).then().statusCode(400)
                .body("errors[0].field", equalTo("createdFrom"));
        Api.admin().queryParam("size", 0).get(CONTACTS).then().statusCode(400).contentType("application/problem+json");
        Api.admin().body(Map.of("filter", Map.of("attributes", List.of(Map.of("name", "city", "op", "gt", "value", "1"))),
                "add", List.of("x"))).post(CONTACTS + "/tags").then().statusCode(400)
                .body("errors[0].field", equalTo("filter.attribute"));
        Api.admin().body(Map.of("add", List.of("BAD TAG"))).post(CONTACTS + "/tags").then().statusCode(400)
                .body("errors[0].field", equalTo("add[0]"));
        Api.as(Api.issueKey("viewer")).contentType("application/json").body(Map.of("name", "x")).put(contact(phone))
                .then().statusCode(403);
        Api.admin().get(contact(phone)).then().statusCode(404);
    }

    @Test
    void anImportStoresTheGoodRowsAndReportsEveryBadOneByRow() {
        String tag = uniqueTag();
        String a = TestData.phone();
        String b = TestData.phone();
        String c = TestData.phone();
        String csv = "\uFEFFphone,name,language,tags,city,package\n"
                + a + ",Asha,en," + tag + ";VIP,Bali,gold\n"       // 1
                + "12345,Bad,en," + tag + ",Bali,\n"               // 2 bad phone
                + b + ",Ravi,,\"" + tag + ";no good\",Goa,\n"      // 3 bad tag
                + a.substring(3) + ",Again,,,,\n"                  // 4 duplicate of row 1
                + c + ",\"Meera\u0007\",hi," + tag + ",,silver\n"  // 5 control character
                + c + ",Meera,hi\n"                                // 6 wrong column count
                + c + ",Meera,hindi-language-x," + tag + ",,\n"    // 7 bad language
                + c + ",Meera,hi," + tag + ",,silver\n";           // 8
        Api.csv().body(csv.getBytes(StandardCharsets.UTF_8)).queryParam("consented", "true").queryParam("evidence", "fair-signup.csv")
                .post(CONTACTS + "/import").then().statusCode(200)
                .body("accepted", equalTo(2))
                .body("duplicates", equalTo(1))
                .body("rejectedCount", equalTo(5))
                .body("rejected.row", equalTo(List.of(2, 3, 5, 6, 7)))
                .body("rejected.field", equalTo(List.of("phone", "tags", "name", "row", "language")));

        Api.admin().get(contact(a)).then().statusCode(200)
                .body("name", equalTo("Asha"))
                .body("tags", equalTo(List.of(tag, "vip")))
                .body("attributes", equalTo(Map.of("city", "Bali", "package", "gold")))
                .body("consent.optIn.source", equalTo("csv_import"))
                .body("consent.optIn.evidence", containsString("fair-signup.csv"));
        Api.admin().get(contact(b)).then().statusCode(404);
        Api.admin().queryParam("tag", tag).get(CONTACTS).then().body("total", equalTo(2));

        // an import not marked consented records no opt-in, and leaves an existing one as it was
        String d = TestData.phone();
        Api.csv().body("phone,name,language,tags\n" + d + ",Dev,,\n" + a + ",,,\n").post(CONTACTS + "/import").then()
                .statusCode(200).body("accepted", equalTo(2));
        Api.admin().get(contact(d)).then().body("consent.status", equalTo("none"));
        Api.admin().get(contact(a)).then().body("name", equalTo("Asha")).body("consent.optIn.source", equalTo("csv_import"));
    }

    @Test
    void anImportThatFailsAsAWholeStoresNothing() {
        String first = TestData.phone();
        Api.csv().body("phone,name,tags\n" + first + ",A,\n").post(CONTACTS + "/import").then().statusCode(400)
                .contentType("application/problem+json").body("errors[0].field", equalTo("header"));
        Api.csv().body("phone,name,language,tags,city,city\n" + first + ",A,,,x,y\n").post(CONTACTS + "/import").then()
                .statusCode(400).body("errors[0].message", containsString("appears twice"));
        Api.csv().body("phone,name,language,tags\n" + first + ",\"broken,,\n").post(CONTACTS + "/import").then()
                .statusCode(400).contentType("application/problem+json");
        StringBuilder large = new StringBuilder("phone,name,language,tags\n").append(first).append(",First,,\n");
        while (large.length() <= 64 * 1024) {
            large.append(TestData.phone()).append(",Someone with a long name,en,filler\n");
        }
        Api.csv().body(large.toString()).post(CONTACTS + "/import").then().statusCode(413)
                .contentType("application/problem+json");
        Api.csv().body("phone,name,language,tags\n" + first + ",A,,\n").queryParam("consented", "maybe")
                .post(CONTACTS + "/import").then().statusCode(400).body("errors[0].field", equalTo("consented"));
        Api.admin().get(contact(first)).then().statusCode(404);
    }

    @Test
    void listFiltersCountExactlyWhatADirectSqlCountFinds() throws SQLException {
        String tag = uniqueTag();
        String other = uniqueTag();
        Random random = new Random(System.nanoTime());
        StringBuilder csv = new StringBuilder("phone,name,language,tags,city\n");
        List<String> phones = new ArrayList<>();
        String[] cities = {"Bali", "Goa", ""};
        for (int i = 0; i < 60; i++) {
            String phone = i % 4 == 0 ? "+62812" + String.format("%08d", random.nextInt(100_000_000)) : TestData.phone();
            phones.add(phone);
            csv.append(phone).append(",N").append(i).append(",,").append(tag)
                    .append(random.nextBoolean() ? ";" + other : "").append(',').append(cities[random.nextInt(3)]).append('\n');
        }
        Api.csv().body(csv.toString().getBytes(StandardCharsets.UTF_8)).post(CONTACTS + "/import").then().statusCode(200).body("rejectedCount", equalTo(0));
        // some opted in, some suppressed
        for (int i = 0; i < 60; i += 5) {
            Api.admin().body(Map.of("tags", List.of(tag), "consent", Map.of("status", "opted_in", "source", "qr")))
                    .put(contact(phones.get(i))).then().statusCode(200);
        }
        for (int i = 0; i < 60; i += 7) {
            Api.admin().body(Map.of("phoneNumber", phones.get(i))).post("/api/whatsapp/opt-outs").then().statusCode(201);
        }

        String byTag = "FROM contacts c JOIN contact_tags ct ON ct.contact_id = c.id JOIN tags t ON t.id = ct.tag_id"
                + " WHERE t.name = '" + tag + "'";
        String suppressed = "c.phone_e164 IN (SELECT phone_e164 FROM opt_outs WHERE phone_e164 IS NOT NULL)";
        String hasOther = "c.id IN (SELECT ct2.contact_id FROM contact_tags ct2 JOIN tags t2 ON t2.id = ct2.tag_id WHERE t2.name = '"
                + other + "')";
        String bali = "c.id IN (SELECT contact_id FROM contact_attributes WHERE name = 'city' AND value = 'Bali')";
        Map<Map<String, Object>, String> cases = new java.util.LinkedHashMap<>();
        cases.put(Map.of(), "");
        cases.put(Map.of("tag", List.of(tag, other)), " AND " + hasOther);
        cases.put(Map.of("country", "ID"), " AND c.country = 'ID'");
        cases.put(Map.of("attribute", "city:eq:Bali"), " AND " + bali);
        cases.put(Map.of("attribute", "city:ne:Bali"), " AND NOT " + bali);
        cases.put(Map.of("consent", "opted_out"), " AND " + suppressed);
        cases.put(Map.of("consent", "opted_in"), " AND c.opt_in_source IS NOT NULL AND NOT " + suppressed);
        cases.put(Map.of("consent", "none"), " AND c.opt_in_source IS NULL AND NOT " + suppressed);
        cases.put(Map.of("consentSource", "qr", "country", "IN"), " AND c.opt_in_source = 'qr' AND c.country = 'IN'");
        cases.put(Map.of("createdFrom", "2000-01-01T00:00:00Z", "createdTo", "2100-01-01T00:00:00Z", "attribute", "city:eq:Goa"),
                " AND c.id IN (SELECT contact_id FROM contact_attributes WHERE name = 'city' AND value = 'Goa')");
        for (var entry : cases.entrySet()) {
            Map<String, Object> params = new HashMap<>(entry.getKey());
            params.putIfAbsent("tag", tag);
            long expected = count("SELECT COUNT(*) " + byTag + entry.getValue());
            int total = Api.admin().queryParams(params).queryParam("size", 7).get(CONTACTS).then().statusCode(200)
                    .extract().path("total");
            assertThat((long) total).as("filter %s", params).isEqualTo(expected);
        }
        assertThat(count("SELECT COUNT(*) " + byTag + " AND " + suppressed)).isPositive();
        assertThat(count("SELECT COUNT(*) " + byTag + " AND c.country = 'ID'")).isPositive();

        // pages of the same filter cover every match once
        List<String> seen = new ArrayList<>();
        for (int page = 0; page < 9; page++) {
            seen.addAll(Api.admin().queryParam("tag", tag).queryParam("page", page).queryParam("size", 7).get(CONTACTS)
                    .then().extract().path("items.phoneNumber"));
        }
        assertThat(seen).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(phones);
    }

    @Test
    void bulkTagAndUntagChangeExactlyTheMatchingContacts() throws SQLException {
        String tag = uniqueTag();
        String added = uniqueTag();
        StringBuilder csv = new StringBuilder("phone,name,language,tags,city\n");
        for (int i = 0; i < 20; i++) {
            csv.append(TestData.phone()).append(",N").append(i).append(",,").append(tag).append(',')
                    .append(i % 2 == 0 ? "Bali" : "Goa").append('\n');
        }
        Api.csv().body(csv.toString().getBytes(StandardCharsets.UTF_8)).post(CONTACTS + "/import").then().statusCode(200);
        Map<String, Object> filter = Map.of("tags", List.of(tag),
                "attributes", List.of(Map.of("name", "city", "op", "eq", "value", "Bali")));
        Api.admin().body(Map.of("filter", filter, "add", List.of(added.toUpperCase()))).post(CONTACTS + "/tags").then()
                .statusCode(200).body("matched", equalTo(10)).body("tagged." + added, equalTo(10));
        Api.admin().body(Map.of("filter", filter, "add", List.of(added))).post(CONTACTS + "/tags").then()
                .statusCode(200).body("tagged." + added, equalTo(0));
        Api.admin().queryParam("tag", added).get(CONTACTS).then().body("total", equalTo(10));
        assertThat(count("SELECT COUNT(*) FROM contact_tags ct JOIN tags t ON t.id = ct.tag_id JOIN contact_attributes a"
                + " ON a.contact_id = ct.contact_id AND a.name = 'city' WHERE t.name = '" + added + "' AND a.value <> 'Bali'"))
                .isZero();

        Api.admin().body(Map.of("filter", Map.of("tags", List.of(added)), "remove", List.of(added, tag))).post(CONTACTS + "/tags")
                .then().statusCode(200).body("untagged." + added, equalTo(10)).body("untagged." + tag, equalTo(10));
        Api.admin().queryParam("tag", added).get(CONTACTS).then().body("total", equalTo(0));
        Api.admin().queryParam("tag", tag).get(CONTACTS).then().body("total", equalTo(10));
    }

    @Test
    void anExportImportedAgainChangesNothing() {
        String tag = uniqueTag();
        String csv = "phone,name,language,tags,city,package\n"
                + TestData.phone() + ",\"Asha, \"\"the first\"\"\",en," + tag + ";vip,Bali,gold\n"
                + TestData.phone() + ",Ravi,,\"" + tag + "\",,silver\n"
                + TestData.phone() + ",Meera — मीरा 🌺,hi," + tag + ";zeta;alpha,Goa,\n";
        Api.csv().body(csv.getBytes(StandardCharsets.UTF_8)).post(CONTACTS + "/import").then().statusCode(200).body("accepted", equalTo(3));

        String exported = Api.admin().queryParam("tag", tag).get(CONTACTS + "/export").then().statusCode(200)
                .contentType(containsString("text/csv")).extract().asString();
        Map<String, Map<String, String>> first = rows(exported);
        Map<String, Map<String, String>> imported = rows(csv);
        assertThat(first.keySet()).isEqualTo(imported.keySet());
        for (var entry : imported.entrySet()) {
            Map<String, String> expected = new HashMap<>(entry.getValue());
            expected.put("tags", sortedTags(expected.get("tags")));
            Map<String, String> actual = new HashMap<>(first.get(entry.getKey()));
            actual.keySet().retainAll(expected.keySet());
            assertThat(actual).as(entry.getKey()).isEqualTo(expected);
        }

        Api.csv().body(exported.getBytes(StandardCharsets.UTF_8)).post(CONTACTS + "/import").then().statusCode(200)
                .body("accepted", equalTo(3)).body("rejectedCount", equalTo(0));
        String again = Api.admin().queryParam("tag", tag).get(CONTACTS + "/export").then().statusCode(200).extract().asString();
        assertThat(again).isEqualTo(exported);
    }

    @Test
    void erasureForgetsTheContactButItsNumberStaysSuppressed() throws SQLException {
        String phone = TestData.phone();
        Api.admin().body(Map.of("name", "Asha", "tags", List.of("vip"), "consent", Map.of("status", "opted_out",
                "evidence", "asked by email"))).put(contact(phone)).then().statusCode(201)
                .body("consent.status", equalTo("opted_out"))
                .body("consent.optOut.source", equalTo("operator"));

        Api.admin().delete(contact(phone)).then().statusCode(204);
        Api.admin().get(contact(phone)).then().statusCode(404);
        Api.admin().delete(contact(phone)).then().statusCode(404);
        assertThat(count("SELECT COUNT(*) FROM contacts WHERE phone_e164 = '" + phone + "'")).isZero();
        assertThat(count("SELECT COUNT(*) FROM opt_outs WHERE phone_e164 = '" + phone + "'")).isZero();
        assertThat(count("SELECT COUNT(*) FROM opt_outs WHERE phone_e164 IS NULL AND reason IS NULL AND phone_hash = '"
                + PhoneHash.of(phone) + "'")).isEqualTo(1);
        Api.admin().queryParam("size", 1000).get("/api/whatsapp/opt-outs").then().statusCode(200)
                .body("items.phoneNumber", not(hasItem(phone)));

        // uploaded again to a campaign, the erased opted-out number is still excluded
        long campaign = TestData.draft();
        Api.admin().body(List.of(Map.of("phoneNumber", phone, "variables", Map.of("body.1", "Asha"))))
                .post("/api/whatsapp/campaigns/" + campaign + "/recipients").then().statusCode(200)
                .body("accepted", equalTo(0)).body("optedOut", equalTo(1));
        Api.admin().get(contact(phone)).then().statusCode(200)
                .body("consent.status", equalTo("opted_out"))
                .body("consent.optIn", nullValue());
        // and an operator cannot record an opt-in over it
        Api.admin().body(Map.of("consent", Map.of("status", "opted_in"))).put(contact(phone)).then().statusCode(409)
                .body("errors[0].field", equalTo("consent.status"));
    }

    @Test
    void recipientUploadsCreateContactsWithTheCampaignAsConsentEvidence() {
        long campaign = TestData.draft();
        String fresh = TestData.phone();
        String known = TestData.phone();
        Api.admin().body(Map.of("name", "Known", "consent", Map.of("status", "opted_in", "source", "web_form",
                "evidence", "https://example.com/f"))).put(contact(known)).then().statusCode(201);
        String csv = "phone,name,body.1\n" + fresh + ",Fresh,F\n" + known + ",Other name,K\n";
        Api.csv().body(csv.getBytes(StandardCharsets.UTF_8)).post("/api/whatsapp/campaigns/" + campaign + "/recipients").then().statusCode(200)
                .body("accepted", equalTo(2));
        Api.admin().get(contact(fresh)).then().statusCode(200)
                .body("name", equalTo("Fresh"))
                .body("country", equalTo("IN"))
                .body("consent.status", equalTo("opted_in"))
                .body("consent.optIn.source", equalTo("campaign_upload"))
                .body("consent.optIn.evidence", containsString("campaign " + campaign));
        Api.admin().get(contact(known)).then().statusCode(200)
                .body("name", equalTo("Known"))
                .body("consent.optIn.source", equalTo("web_form"));
    }

    private static String sortedTags(String tags) {
        return String.join(";", java.util.Arrays.stream(tags.split(";")).map(String::strip).filter(t -> !t.isEmpty())
                .map(t -> t.toLowerCase(java.util.Locale.ROOT)).sorted().distinct().toList());
    }

    /** phone → column → value (the non-empty cells). */
    private static Map<String, Map<String, String>> rows(String csv) {
        Map<String, Map<String, String>> rows = new HashMap<>();
        try (var parser = CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get().parse(new StringReader(csv))) {
            for (CSVRecord record : parser) {
                Map<String, String> cells = new HashMap<>();
                record.toMap().forEach((column, value) -> {
                    if (!value.isEmpty()) {
                        cells.put(column, value);
                    }
                });
                rows.put(record.get("phone"), cells);
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return rows;
    }

    private long count(String sql) throws SQLException {
        try (var connection = dataSource.getConnection(); var query = connection.createStatement(); var rows = query.executeQuery(sql)) {
            rows.next();
            return rows.getLong(1);
        }
    }
}
