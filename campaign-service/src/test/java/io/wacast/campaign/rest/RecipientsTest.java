package io.wacast.campaign.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.startsWith;

import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.wacast.campaign.Api;
import io.wacast.campaign.TestData;

@QuarkusTest
class RecipientsTest {

    @Inject
    AgroalDataSource dataSource;

    private static String recipients(long campaign) {
        return "/api/whatsapp/campaigns/" + campaign + "/recipients";
    }

    @Test
    void validRowsAreStoredAndEveryOtherRowIsAccountedFor() {
        long campaign = TestData.draft();
        String suppressed = TestData.phone();
        Api.admin().body(Map.of("phoneNumber", suppressed)).post("/api/whatsapp/opt-outs").then().statusCode(201);
        String first = TestData.phone();
        List<Map<String, Object>> rows = List.of(
                Map.of("phoneNumber", first, "name", "Asha", "variables", Map.of("body.1", "Asha")),
                Map.of("phoneNumber", "12345", "variables", Map.of("body.1", "Ravi")),
                Map.of("phoneNumber", first.substring(3), "variables", Map.of("body.1", "again, national format")),
                Map.of("phoneNumber", suppressed, "variables", Map.of("body.1", "Meera")),
                Map.of("phoneNumber", TestData.phone()),
                Map.of("phoneNumber", TestData.phone(), "variables", Map.of("body.1", "Kiran", "body.9", "x")));

        Api.admin().body(rows).post(recipients(campaign)).then().statusCode(200)
                .body("accepted", equalTo(1))
                .body("duplicates", equalTo(1))
                .body("optedOut", equalTo(1))
                .body("rejectedCount", equalTo(3))
                .body("rejected[0].row", equalTo(2))
                .body("rejected[0].field", equalTo("phoneNumber"))
                .body("rejected[0].value", equalTo("****"))
                .body("rejected[1].row", equalTo(5))
                .body("rejected[1].reason", equalTo("missing template variables: body.1"))
                .body("rejected[2].row", equalTo(6))
                .body("rejected[2].reason", startsWith("unknown template variables: body.9"));

        Api.admin().get(recipients(campaign)).then().statusCode(200)
                .body("total", equalTo(2))
                .body("items", hasSize(2));
        Api.admin().queryParam("status", "opted_out").get(recipients(campaign)).then()
                .body("total", equalTo(1))
                .body("items[0].phoneNumber", equalTo(suppressed));
    }

    @Test
    void secondUploadOfTheSameNumberCountsAsDuplicate() {
        long campaign = TestData.draft();
        String phone = TestData.phone();
        List<Map<String, Object>> rows = List.of(Map.of("phoneNumber", phone, "variables", Map.of("body.1", "Asha")));
        Api.admin().body(rows).post(recipients(campaign)).then().body("accepted", equalTo(1));
        Api.admin().body(rows).post(recipients(campaign)).then().body("accepted", equalTo(0)).body("duplicates", equalTo(1));
    }

    @Test
    void csvIsStreamedIntoTheCampaign() {
        long campaign = TestData.draft();
        String csv = "\uFEFFphone,name,body.1,body.2\n"
                + TestData.phone() + ",Asha,Asha,30%\n"
                + "\"" + TestData.phone() + "\",\"Rao, Ravi\",Ravi,\n"
                + "not-a-phone,X,X,\n"
                + TestData.phone() + ",too,many,columns,here\n";
        Api.csv().body(csv.getBytes(StandardCharsets.UTF_8))
                .post(recipients(campaign)).then().statusCode(200)
                .body("accepted", equalTo(2))
                .body("rejectedCount", equalTo(2))
                .body("rejected[0].row", equalTo(3))
                .body("rejected[1].row", equalTo(4))
                .body("rejected[1].reason", containsString("columns"));
        Api.admin().queryParam("status", "pending").get(recipients(campaign)).then()
                .body("items.name", org.hamcrest.Matchers.contains("Asha", "Rao, Ravi"))
                .body("items[0].variables.'body.2'", equalTo("30%"));
    }

    @Test
    void namesAndVariablesAreStoredExactlyAndInUploadOrder() {
        long campaign = TestData.draft();
        String longest = "Ñ".repeat(200); // the longest name the loader takes
        List<String> names = List.of("José Ñúñez 😀", "प्रिया \"Pri\" \\ O'Neil", longest, "Zoë, 李");
        List<String> values = List.of("₹45,000 \"net\"", "C:\\trips\\bali", "{\"not\": \"json\"}", "🌴\tBali\nGoa");
        List<Map<String, Object>> rows = new java.util.ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            rows.add(Map.of("phoneNumber", TestData.phone(), "name", names.get(i), "variables", Map.of("body.1", values.get(i))));
        }
        Api.admin().body(rows).post(recipients(campaign)).then().statusCode(200).body("accepted", equalTo(4));

        Api.admin().get(recipients(campaign)).then().statusCode(200)
                .body("items.phoneNumber", org.hamcrest.Matchers.contains(rows.stream().map(r -> r.get("phoneNumber")).toArray()))
                .body("items.name", org.hamcrest.Matchers.contains(names.toArray()))
                .body("items.variables.'body.1'", org.hamcrest.Matchers.contains(values.toArray()));
    }

    @Test
    void csvWithWrongHeaderIsRefusedAndStoresNothing() throws SQLException {
        long campaign = TestData.draft();
        Api.csv().body("mobile,name,body.1\n" + TestData.phone() + ",A,A\n")
                .post(recipients(campaign)).then().statusCode(400)
                .contentType("application/problem+json")
                .body("errors[0].field", equalTo("header"))
                .body("detail", containsString("phone,name,header.image,body.1,body.2,button.url.0"));
        assertThat(storedRecipients(campaign)).isZero();
    }

    @Test
    void csvWithoutAColumnForAVariableWithoutDefaultNamesIt() {
        long campaign = TestData.draft();
        Api.csv().body("phone,name\n" + TestData.phone() + ",A\n")
                .post(recipients(campaign)).then().statusCode(422)
                .body("detail", startsWith("missing template variables: body.1"));
    }

    @Test
    void csvThatIsNotUtf8IsRefusedAndStoresNothing() throws SQLException {
        long campaign = TestData.draft();
        byte[] head = ("phone,name,body.1\n" + TestData.phone() + ",Asha,Asha\n" + TestData.phone() + ",").getBytes(StandardCharsets.UTF_8);
        byte[] latin1 = "Jos\u00e9,Jos\u00e9\n".getBytes(StandardCharsets.ISO_8859_1);
        byte[] body = new byte[head.length + latin1.length];
        System.arraycopy(head, 0, body, 0, head.length);
        System.arraycopy(latin1, 0, body, head.length, latin1.length);
        Api.csv().body(body).post(recipients(campaign)).then().statusCode(400)
                .body("errors[0].field", equalTo("encoding"))
                .body("errors[0].row", equalTo(2));
        assertThat(storedRecipients(campaign)).isZero();
    }

    @Test
    void csvDeclaredInAnotherCharsetIsAnUnsupportedMediaType() {
        long campaign = TestData.draft();
        Api.as(Api.bootstrapKey()).contentType("text/csv; charset=ISO-8859-1").body("phone,name,body.1\n")
                .post(recipients(campaign)).then().statusCode(415)
                .contentType("application/problem+json");
        Api.as(Api.bootstrapKey()).contentType("text/plain").body("phone,name,body.1\n")
                .post(recipients(campaign)).then().statusCode(415)
                .contentType("application/problem+json");
    }

    @Test
    void csvOverTheSizeLimitIsRefusedWith413AndStoresNothing() throws SQLException {
        long campaign = TestData.draft();
        StringBuilder csv = new StringBuilder("phone,name,body.1\n");
        while (csv.length() <= 70 * 1024) {
            csv.append(TestData.phone()).append(",Name,Value\n");
        }
        Api.csv().body(csv.toString()).post(recipients(campaign)).then()
                .statusCode(413)
                .contentType("application/problem+json");
        assertThat(storedRecipients(campaign)).isZero();
    }

    @Test
    void pendingRecipientsAreRemovedByIdOrPhoneButNotOnceDispatched() throws SQLException {
        long campaign = TestData.draft();
        String a = TestData.phone();
        String b = TestData.phone();
        String c = TestData.phone();
        Api.admin().body(List.of(Map.of("phoneNumber", a, "variables", Map.of("body.1", "A")),
                Map.of("phoneNumber", b, "variables", Map.of("body.1", "B")),
                Map.of("phoneNumber", c, "variables", Map.of("body.1", "C")))).post(recipients(campaign)).then()
                .body("accepted", equalTo(3));
        int idOfA = Api.admin().get(recipients(campaign)).then().extract().path("items.find { it.phoneNumber == '" + a + "' }.id");
        int idOfC = Api.admin().get(recipients(campaign)).then().extract().path("items.find { it.phoneNumber == '" + c + "' }.id");

        Api.admin().delete(recipients(campaign) + "/" + idOfA).then().statusCode(204);
        Api.admin().queryParam("phone", b).delete(recipients(campaign)).then().statusCode(204);
        execute("UPDATE recipients SET status = 'queued' WHERE id = " + idOfC);
        Api.admin().delete(recipients(campaign) + "/" + idOfC).then().statusCode(409)
                .body("errors[0].value", equalTo("queued"));
        Api.admin().delete(recipients(campaign) + "/" + idOfA).then().statusCode(404);
        assertThat(storedRecipients(campaign)).isEqualTo(1);
    }

    @Test
    void aRecipientIsFoundByPhoneInAnyFormatTheLoaderAccepts() {
        long campaign = TestData.draft();
        String a = TestData.phone();
        String b = TestData.phone();
        Api.admin().body(List.of(Map.of("phoneNumber", a, "variables", Map.of("body.1", "A")),
                Map.of("phoneNumber", b, "variables", Map.of("body.1", "B")))).post(recipients(campaign)).then()
                .body("accepted", equalTo(2));
        String spaced = a.substring(0, 3) + " " + a.substring(3, 8) + "-" + a.substring(8);
        Api.admin().queryParam("phone", spaced).get(recipients(campaign)).then().statusCode(200)
                .body("items", hasSize(1)).body("items[0].phoneNumber", equalTo(a)).body("total", equalTo(1));
        Api.admin().queryParam("phone", a).queryParam("status", "failed").get(recipients(campaign)).then().statusCode(200)
                .body("items", hasSize(0)).body("total", equalTo(0));
        Api.admin().queryParam("phone", TestData.phone()).get(recipients(campaign)).then().statusCode(200)
                .body("items", hasSize(0));
        Api.admin().queryParam("phone", "not-a-phone").get(recipients(campaign)).then().statusCode(400)
                .contentType("application/problem+json").body("errors[0].field", equalTo("phone"));
    }

    @Test
    void previewRendersTheExactMessage() {
        long campaign = TestData.draft();
        Api.admin().body(List.of(Map.of("phoneNumber", TestData.phone(), "variables", Map.of("body.1", "Asha", "button.url.0", "asha-20"))))
                .post(recipients(campaign)).then().body("accepted", equalTo(1));
        int id = Api.admin().get(recipients(campaign)).then().extract().path("items[0].id");
        Api.admin().get(recipients(campaign) + "/" + id + "/preview").then().statusCode(200)
                .body("message.body", equalTo("Hi Asha, 20% off today"))
                .body("message.header.link", equalTo("https://img.example/a.png"))
                .body("message.buttons[0].url", equalTo("https://shop.example/asha-20"))
                .body("variables.'body.1'", equalTo("Asha"))
                .body("variables.'button.url.0'", equalTo("asha-20"));
    }

    @Test
    void recipientsOfAnUnknownCampaignAreNotFound() {
        Api.admin().body(List.of()).post(recipients(999_999_999L)).then().statusCode(404)
                .contentType("application/problem+json");
    }

    @Test
    void suppressionListAddsOnceListsAndRemoves() {
        String phone = TestData.phone();
        Api.admin().body(Map.of("phoneNumber", phone.substring(3), "reason", "asked by phone")).post("/api/whatsapp/opt-outs")
                .then().statusCode(201).body("phoneNumber", equalTo(phone)).body("source", equalTo("operator"));
        Api.admin().body(Map.of("phoneNumber", phone)).post("/api/whatsapp/opt-outs").then().statusCode(200);
        Api.admin().queryParam("size", 1000).get("/api/whatsapp/opt-outs").then().statusCode(200)
                .body("items.phoneNumber", org.hamcrest.Matchers.hasItem(phone));
        Api.admin().delete("/api/whatsapp/opt-outs/" + phone).then().statusCode(204);
        Api.admin().delete("/api/whatsapp/opt-outs/" + phone).then().statusCode(404);
        Api.admin().body(Map.of("phoneNumber", "call me")).post("/api/whatsapp/opt-outs").then().statusCode(400)
                .body("errors[0].field", equalTo("phoneNumber"));
    }

    private long storedRecipients(long campaign) throws SQLException {
        try (var connection = dataSource.getConnection();
                var query = connection.prepareStatement("SELECT COUNT(*) FROM recipients WHERE campaign_id = ?")) {
            query.setLong(1, campaign);
            try (var rows = query.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        }
    }

    private void execute(String sql) throws SQLException {
        try (var connection = dataSource.getConnection(); var statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }
}
