package io.wacast.campaign.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hamcrest.Matchers.equalTo;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.agroal.api.AgroalDataSource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.wacast.campaign.Api;
import io.wacast.campaign.TestData;
import io.wacast.campaign.domain.ConsentSource;
import io.wacast.campaign.domain.Contact;
import io.wacast.campaign.repository.ContactCounts;
import io.wacast.campaign.repository.ContactRepository;

/**
 * The kept per-cell contact counts (V29, §11 D28) against the real database: after every kind of write
 * they equal a recount of contacts and contact_tags, with two writers at once and after a rollback, and
 * every audience count answered from them equals a direct SQL count.
 */
@QuarkusTest
class ContactCountsTest {

    private static final String AUDIENCES = "/api/whatsapp/audiences";
    private static final String CONTACTS = "/api/whatsapp/contacts";

    @Inject
    AgroalDataSource dataSource;
    @Inject
    ContactCounts counts;
    @Inject
    ContactRepository contacts;
    @org.eclipse.microprofile.config.inject.ConfigProperty(name = "wacast.campaign.contacts.import-chunk-rows")
    int chunkRows;

    private static String uniqueTag() {
        return "cnt-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private long sql(String query) throws Exception {
        try (Connection connection = dataSource.getConnection(); PreparedStatement statement = connection.prepareStatement(query);
                ResultSet rows = statement.executeQuery()) {
            rows.next();
            return rows.getLong(1);
        }
    }

    private void assertKeptEqualsRecount(String after) throws Exception {
        assertThat(counts.kept()).as("kept counts after %s", after).isEqualTo(counts.recount());
        assertThat(sql("SELECT COUNT(*) FROM contact_attributes a JOIN contacts c ON c.id = a.contact_id"
                + " WHERE NOT (a.opt_in_source <=> c.opt_in_source AND a.country <=> c.country)"))
                .as("attribute rows whose opt-in source or country is not their contact's (V35) after %s", after).isZero();
    }

    private static long count(Map<String, Object> filter) {
        return ((Number) Api.admin().body(Map.of("filter", filter)).post(AUDIENCES + "/count").then().statusCode(200)
                .extract().path("contacts")).longValue();
    }

    /** Audiences answered from the kept counts, each with the SQL over contacts c that says the same. */
    private void assertCountsEqualSql(String tag, String after) throws Exception {
        String tagged = "c.id IN (SELECT ct.contact_id FROM contact_tags ct JOIN tags t ON t.id = ct.tag_id WHERE t.name = '" + tag + "')";
        String suppressed = "EXISTS (SELECT 1 FROM opt_outs o WHERE o.phone_hash = SHA2(c.phone_e164, 256))";
        Map<Map<String, Object>, String> cases = new LinkedHashMap<>();
        cases.put(Map.of(), "TRUE");
        cases.put(Map.of("tags", Map.of("all", List.of(tag))), tagged);
        cases.put(Map.of("tags", Map.of("any", List.of(tag))), tagged);
        cases.put(Map.of("tags", Map.of("none", List.of(tag))), "NOT " + tagged);
        cases.put(Map.of("tags", Map.of("all", List.of(tag)), "countries", List.of("US", "GB")),
                tagged + " AND c.country IN ('US', 'GB')");
        cases.put(Map.of("tags", Map.of("all", List.of(tag)), "consent", Map.of("status", "opted_in")),
                tagged + " AND c.opt_in_source IS NOT NULL AND NOT " + suppressed);
        cases.put(Map.of("tags", Map.of("all", List.of(tag)), "consent", Map.of("status", "none")),
                tagged + " AND c.opt_in_source IS NULL AND NOT " + suppressed);
        cases.put(Map.of("tags", Map.of("all", List.of(tag)), "consent", Map.of("status", "opted_out")), tagged + " AND " + suppressed);
        cases.put(Map.of("tags", Map.of("all", List.of(tag)), "consent", Map.of("sources", List.of("csv_import", "qr"))),
                tagged + " AND c.opt_in_source IN ('csv_import', 'qr') AND NOT " + suppressed);
        cases.put(Map.of("tags", Map.of("none", List.of(tag)), "countries", List.of("IN"), "consent", Map.of("status", "opted_in")),
                "NOT " + tagged + " AND c.country = 'IN' AND c.opt_in_source IS NOT NULL AND NOT " + suppressed);
        cases.put(Map.of("consent", Map.of("status", "opted_in")), "c.opt_in_source IS NOT NULL AND NOT " + suppressed);
        cases.put(Map.of("consent", Map.of("status", "opted_out")), suppressed);
        cases.put(Map.of("countries", List.of("US")), "c.country = 'US'");
        // one attribute with countries and consent: counted on the attribute rows' copies of the contacts' facts
        String goa = "c.id IN (SELECT a.contact_id FROM contact_attributes a WHERE a.name = 'city' AND a.value = 'Goa')";
        Map<String, Object> isGoa = Map.of("name", "city", "op", "eq", "value", "Goa");
        Map<String, Object> notGoa = Map.of("name", "city", "op", "ne", "value", "Goa");
        cases.put(Map.of("attributes", List.of(isGoa), "consent", Map.of("status", "opted_in")),
                goa + " AND c.opt_in_source IS NOT NULL AND NOT " + suppressed);
        cases.put(Map.of("attributes", List.of(isGoa), "consent", Map.of("sources", List.of("csv_import", "qr"))),
                goa + " AND c.opt_in_source IN ('csv_import', 'qr') AND NOT " + suppressed);
        cases.put(Map.of("attributes", List.of(isGoa), "countries", List.of("US", "GB"), "consent", Map.of("status", "none")),
                goa + " AND c.country IN ('US', 'GB') AND c.opt_in_source IS NULL AND NOT " + suppressed);
        cases.put(Map.of("attributes", List.of(isGoa), "consent", Map.of("status", "opted_out")), goa + " AND " + suppressed);
        cases.put(Map.of("attributes", List.of(isGoa), "countries", List.of("IN")), goa + " AND c.country = 'IN'");
        cases.put(Map.of("attributes", List.of(notGoa), "countries", List.of("IN"), "consent", Map.of("status", "opted_in")),
                "NOT " + goa + " AND c.country = 'IN' AND c.opt_in_source IS NOT NULL AND NOT " + suppressed);
        cases.put(Map.of("attributes", List.of(Map.of("name", "city", "op", "absent")), "consent", Map.of("status", "opted_out")),
                "c.id NOT IN (SELECT a.contact_id FROM contact_attributes a WHERE a.name = 'city') AND " + suppressed);
        for (var c : cases.entrySet()) {
            assertThat(count(c.getKey())).as("count of %s after %s", c.getKey(), after)
                    .isEqualTo(sql("SELECT COUNT(*) FROM contacts c WHERE " + c.getValue()));
        }
    }

    private static JsonPath importCsv(String csv, boolean consented) {
        return Api.csv().body(csv.getBytes(StandardCharsets.UTF_8)).queryParam("consented", String.valueOf(consented))
                .post(CONTACTS + "/import").then().statusCode(200).extract().jsonPath();
    }

    @Test
    void keptCountsEqualARecountAndAudienceCountsEqualSqlAfterEveryKindOfWrite() throws Exception {
        String tag = uniqueTag();
        String other = uniqueTag();
        assertKeptEqualsRecount("the tests before");
        List<String> phones = new ArrayList<>();
        StringBuilder csv = new StringBuilder("phone,name,language,tags,city\n");
        for (int i = 0; i < 12; i++) {
            String phone = i % 4 == 1 ? "+1201555" + String.format("%04d", Math.abs(UUID.randomUUID().hashCode()) % 10000)
                    : i % 4 == 2 ? "+447400" + String.format("%06d", Math.abs(UUID.randomUUID().hashCode()) % 1_000_000) : TestData.phone();
            phones.add(phone);
            csv.append(phone).append(",Name ").append(i).append(",en,").append(tag).append(i % 3 == 0 ? ";" + other : "")
                    .append(",Goa\n");
        }
        assertThat(importCsv(csv.toString(), false).getLong("rejectedCount")).isZero();
        assertKeptEqualsRecount("an import");
        assertCountsEqualSql(tag, "an import");

        importCsv("phone,name,language,tags\n" + phones.get(0) + ",,,\n" + phones.get(3) + ",,,\n", true);
        assertKeptEqualsRecount("a consented import over existing contacts");
        assertCountsEqualSql(tag, "a consented import");

        // with attributes: the consent is set after the contact's rows are replaced, and its rows must follow
        Api.admin().body(Map.of("tags", List.of(tag), "attributes", Map.of("city", "Pune"),
                "consent", Map.of("status", "opted_in", "source", "qr"))).put(CONTACTS + "/" + phones.get(5)).then().statusCode(200);
        Api.admin().body(Map.of("tags", List.of(other), "attributes", Map.of("city", "Goa"), "consent", Map.of("status", "none")))
                .put(CONTACTS + "/" + phones.get(0)).then().statusCode(200);
        Api.admin().body(Map.of("tags", List.of(tag), "consent", Map.of("status", "opted_in", "source", "web_form")))
                .put(CONTACTS + "/" + TestData.phone()).then().statusCode(201);
        assertKeptEqualsRecount("replacing contacts and their consent");
        // tags added to contacts that have others, an opt-in kept where one is (qr) and recorded where none is
        importCsv("phone,name,language,tags\n" + phones.get(5) + ",,," + other + "\n" + phones.get(6) + ",,," + other + ";" + tag
                + "\n" + phones.get(7) + ",,,\n", true);
        assertKeptEqualsRecount("a consented import adding tags over existing contacts");
        assertCountsEqualSql(tag, "a consented import adding tags");
        assertCountsEqualSql(tag, "replacing contacts");

        Api.admin().body(Map.of("filter", Map.of("tags", List.of(other)), "add", List.of(tag), "remove", List.of(other)))
                .post(CONTACTS + "/tags").then().statusCode(200);
        Api.admin().body(Map.of("filter", Map.of("country", "US"), "remove", List.of(tag)))
                .post(CONTACTS + "/tags").then().statusCode(200);
        assertKeptEqualsRecount("bulk tag and untag");
        assertCountsEqualSql(tag, "bulk tag and untag");

        Api.admin().body(Map.of("phoneNumber", phones.get(3))).post("/api/whatsapp/opt-outs").then().statusCode(201);
        Api.admin().body(Map.of("phoneNumber", phones.get(6))).post("/api/whatsapp/opt-outs").then().statusCode(201);
        assertKeptEqualsRecount("opt-outs");
        assertCountsEqualSql(tag, "opt-outs");

        Api.admin().delete(CONTACTS + "/" + phones.get(6)).then().statusCode(204);
        Api.admin().delete(CONTACTS + "/" + phones.get(4)).then().statusCode(204);
        assertKeptEqualsRecount("erasure");
        assertCountsEqualSql(tag, "erasure");

        long campaign = TestData.draft();
        // An erased number and a new one (new contacts), tagged contacts without an opt-in (their cells move
        // with the upload's), one with an opt-in (kept) and an opted-out one (no opt-in recorded).
        Api.admin().body(List.of(Map.of("phoneNumber", phones.get(4), "variables", Map.of("body.1", "Asha")),
                Map.of("phoneNumber", TestData.phone(), "variables", Map.of("body.1", "Ravi")),
                Map.of("phoneNumber", phones.get(2), "variables", Map.of("body.1", "Mia")),
                Map.of("phoneNumber", phones.get(0), "variables", Map.of("body.1", "Ana")),
                Map.of("phoneNumber", phones.get(5), "variables", Map.of("body.1", "Ben")),
                Map.of("phoneNumber", phones.get(3), "variables", Map.of("body.1", "Out"))))
                .post("/api/whatsapp/campaigns/" + campaign + "/recipients").then().statusCode(200);
        assertKeptEqualsRecount("a recipient upload");
        assertCountsEqualSql(tag, "a recipient upload");

        counts.compact(100_000);
        assertThat(sql("SELECT COUNT(*) FROM (SELECT 1 FROM contact_counts GROUP BY tag_id, country, opt_in_source"
                + " HAVING COUNT(*) > 1) x")).as("cells with more than one row after folding").isZero();
        assertKeptEqualsRecount("folding");
        assertCountsEqualSql(tag, "folding");
    }

    @Test
    void twoImportsOfTheSameNumbersAtOnceKeepTheCountsExact() throws Exception {
        String first = uniqueTag();
        String second = uniqueTag();
        List<String> phones = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            phones.add(TestData.phone());
        }
        StringBuilder a = new StringBuilder("phone,name,language,tags\n");
        StringBuilder b = new StringBuilder("phone,name,language,tags\n");
        for (int i = 0; i < phones.size(); i++) {
            a.append(phones.get(i)).append(",A,en,").append(first).append('\n');
            b.append(phones.get(phones.size() - 1 - i)).append(",B,en,").append(second).append('\n');
        }
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            CompletableFuture<JsonPath> one = CompletableFuture.supplyAsync(() -> importCsv(a.toString(), true), pool);
            CompletableFuture<JsonPath> two = CompletableFuture.supplyAsync(() -> importCsv(b.toString(), false), pool);
            assertThat(one.get().getLong("accepted")).isEqualTo(400);
            assertThat(two.get().getLong("accepted")).isEqualTo(400);
        } finally {
            pool.shutdownNow();
        }
        assertKeptEqualsRecount("two imports at once");
        assertThat(count(Map.of("tags", Map.of("all", List.of(second)), "consent", Map.of("status", "opted_in")))).isEqualTo(400);
        assertCountsEqualSql(first, "two imports at once");
    }

    /**
     * A campaign's recipient upload writes the contacts of its numbers while a contacts import writes the
     * same numbers in the opposite order: the import's chunk is retried when the database picks it as the
     * deadlock victim, and the upload, one transaction, either commits whole or answers 503 "busy" with
     * nothing written, so the operator's retry succeeds. The kept counts stay exact either way.
     */
    @Test
    void aRecipientUploadAndAContactsImportOfTheSameNumbersAtOnceCommitWholeOrSayBusy() throws Exception {
        for (int round = 0; round < 3; round++) {
            String tag = uniqueTag();
            long campaign = TestData.draft();
            List<String> phones = new ArrayList<>();
            for (int i = 0; i < 400; i++) {
                phones.add(TestData.phone());
            }
            StringBuilder csv = new StringBuilder("phone,name,language,tags\n");
            List<Map<String, Object>> recipients = new ArrayList<>();
            for (int i = 0; i < phones.size(); i++) {
                csv.append(phones.get(i)).append(",Imported,en,").append(tag).append('\n');
                recipients.add(Map.of("phoneNumber", phones.get(phones.size() - 1 - i), "variables", Map.of("body.1", "Asha")));
            }
            ExecutorService pool = Executors.newFixedThreadPool(2);
            try {
                CompletableFuture<JsonPath> imported = CompletableFuture.supplyAsync(() -> importCsv(csv.toString(), true), pool);
                CompletableFuture<io.restassured.response.Response> uploaded = CompletableFuture.supplyAsync(
                        () -> Api.admin().body(recipients).post("/api/whatsapp/campaigns/" + campaign + "/recipients"), pool);
                assertThat(imported.get().getLong("accepted")).isEqualTo(400);
                io.restassured.response.Response upload = uploaded.get();
                assertThat(upload.statusCode()).as("upload answer: %s", upload.asString()).isIn(200, 503);
                if (upload.statusCode() == 503) {
                    assertThat(upload.contentType()).startsWith("application/problem+json");
                    assertThat(upload.header("Retry-After")).isEqualTo("1");
                    assertThat(sql("SELECT COUNT(*) FROM recipients WHERE campaign_id = " + campaign)).as("nothing written").isZero();
                    Api.admin().body(recipients).post("/api/whatsapp/campaigns/" + campaign + "/recipients").then().statusCode(200);
                } else {
                    assertThat(upload.jsonPath().getLong("accepted")).isEqualTo(400);
                }
            } finally {
                pool.shutdownNow();
            }
            assertThat(sql("SELECT COUNT(*) FROM recipients WHERE campaign_id = " + campaign)).isEqualTo(400);
            assertThat(sql("SELECT COUNT(*) FROM contacts c WHERE c.id IN (SELECT ct.contact_id FROM contact_tags ct"
                    + " JOIN tags t ON t.id = ct.tag_id WHERE t.name = '" + tag + "')")).isEqualTo(400);
            assertKeptEqualsRecount("an upload and an import at once, round " + round);
        }
    }

    @Test
    void aWriteThatRollsBackLeavesTheCountsAsTheyWere() throws Exception {
        Map<ContactCounts.Cell, Long> before = counts.kept();
        String tag = uniqueTag();
        List<ContactRepository.Upsert> rows = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            rows.add(new ContactRepository.Upsert(TestData.phone(), "IN", "Rolled back", "en", Map.of(), java.util.Set.of(tag),
                    new Contact.OptIn(ConsentSource.API, Instant.now(), "test")));
        }
        assertThatThrownBy(() -> QuarkusTransaction.requiringNew().run(() -> {
            contacts.upsertAll(rows, Instant.now());
            assertThat(counts.kept()).as("inside the transaction").isNotEqualTo(before);
            throw new IllegalStateException("the service stops here");
        })).hasMessageContaining("the service stops here");
        assertThat(counts.kept()).isEqualTo(before);
        assertKeptEqualsRecount("a rolled back import");
        assertThat(sql("SELECT COUNT(*) FROM tags t JOIN contact_tags ct ON ct.tag_id = t.id WHERE t.name = '" + tag + "'")).isZero();
    }

    @Test
    void aLargeImportCommitsInChunksAndAFailureSaysWhatStaysStored() throws Exception {
        int rows = 2 * chunkRows + chunkRows / 2; // %test: chunks of 500 valid rows, 1,250 rows
        String tag = uniqueTag();
        List<String> phones = new ArrayList<>();
        StringBuilder head = new StringBuilder("phone,name,language,tags\n");
        for (int i = 0; i < rows; i++) {
            String phone = TestData.phone();
            phones.add(phone);
            head.append(phone).append(",Bulk,en,").append(tag).append('\n');
            if (i == 0) {
                head.append("not-a-number,Bad,en,\n"); // row 2: rejected and reported
            }
        }
        byte[] good = head.toString().getBytes(StandardCharsets.UTF_8);
        // the same file with bytes that are not UTF-8 in its last chunk: the upload as a whole is refused there
        int broken = 2 * chunkRows + 10;
        byte[] bad = head.toString().replace(phones.get(broken) + ",Bulk", phones.get(broken) + ",Bu\u0000lk")
                .getBytes(StandardCharsets.UTF_8);
        bad[indexOf(bad, "Bu\u0000lk".getBytes(StandardCharsets.UTF_8)) + 2] = (byte) 0xC3; // a lead byte before 'l': malformed

        JsonPath problem = Api.csv().body(bad).post(CONTACTS + "/import").then().statusCode(400)
                .contentType("application/problem+json").extract().jsonPath();
        List<Map<String, Object>> errors = problem.getList("errors");
        Map<String, Object> importError = errors.stream().filter(e -> "importId".equals(e.get("field"))).findFirst().orElseThrow();
        long importId = Long.parseLong((String) importError.get("value"));
        JsonPath failed = Api.admin().get(CONTACTS + "/imports/" + importId).then().statusCode(200)
                .body("status", equalTo("failed")).extract().jsonPath();
        // two chunks of valid rows committed: rows 1 and 3 to 2 * chunkRows + 1, row 2 rejected, the rest not stored
        long committedRows = 2L * chunkRows + 1;
        assertThat(failed.getLong("committedRows")).isEqualTo(committedRows);
        assertThat(failed.getLong("accepted")).isEqualTo(2L * chunkRows);
        assertThat(failed.getLong("rejectedCount")).isEqualTo(1);
        assertThat(problem.getString("detail")).contains("rows 1-" + committedRows + " are stored");
        String taggedCount = "SELECT COUNT(*) FROM contact_tags ct JOIN tags t ON t.id = ct.tag_id WHERE t.name = '" + tag + "'";
        assertThat(sql(taggedCount)).isEqualTo(2L * chunkRows);
        assertThat(sql("SELECT COUNT(*) FROM contacts WHERE phone_e164 = '" + phones.get(2 * chunkRows - 1) + "'")).isEqualTo(1);
        assertThat(sql("SELECT COUNT(*) FROM contacts WHERE phone_e164 = '" + phones.get(2 * chunkRows) + "'")).isEqualTo(0);
        assertKeptEqualsRecount("a failed chunked import");

        JsonPath report = Api.csv().body(good).post(CONTACTS + "/import").then().statusCode(200)
                .body("status", equalTo("completed")).extract().jsonPath();
        assertThat(report.getLong("accepted")).isEqualTo(rows);
        assertThat(report.getLong("rejectedCount")).isEqualTo(1);
        assertThat(report.getLong("committedRows")).isEqualTo(rows + 1);
        assertThat(report.getInt("rejected[0].row")).isEqualTo(2);
        Api.admin().get(CONTACTS + "/imports/" + report.getLong("importId")).then().statusCode(200)
                .body("status", equalTo("completed")).body("accepted", equalTo(rows)).body("committedRows", equalTo(rows + 1));
        assertThat(sql(taggedCount)).isEqualTo(rows);
        assertKeptEqualsRecount("the same file sent again");
        assertThat(count(Map.of("tags", Map.of("all", List.of(tag))))).isEqualTo(rows);
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new IllegalStateException("not found");
    }
}
