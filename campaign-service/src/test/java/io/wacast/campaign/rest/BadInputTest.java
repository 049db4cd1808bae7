package io.wacast.campaign.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import io.wacast.campaign.Api;
import io.wacast.campaign.TestData;

/**
 * What a careless client or an attacker sends (issue 19's probe list): each gets a 4xx
 * problem+json naming what was wrong and where, and nothing is stored.
 */
@QuarkusTest
class BadInputTest {

    private static final String CAMPAIGNS = "/api/whatsapp/campaigns";

    @TestHTTPResource("/")
    URI base;

    private static Map<String, Object> spec(String template) {
        Map<String, Object> spec = new HashMap<>();
        spec.put("name", "bad input " + UUID.randomUUID());
        spec.put("templateName", template);
        spec.put("templateLanguage", "en_US");
        spec.put("templateVariables", TestData.defaults());
        return spec;
    }

    private static ValidatableResponse refused(ValidatableResponse response, int status, String field) {
        return response.statusCode(status).contentType("application/problem+json")
                .body("errors.field", hasItem(field));
    }

    @Test
    void aTemplateVariableLongerThanAMessageCanHoldIsRefusedNamingIt() {
        Map<String, Object> spec = spec(TestData.template());
        spec.put("templateVariables", Map.of("body.2", "x".repeat(100_000)));
        refused(Api.admin().body(spec).post(CAMPAIGNS).then(), 400, "templateVariables.body.2")
                .body("errors.message", hasItem(containsString("1024")));
    }

    @Test
    void aScheduleBeyondAYearOrBeyondWhatADateCanHoldIsRefused() {
        String template = TestData.template();
        Map<String, Object> spec = spec(template);
        spec.put("scheduledFor", "+10000-01-01T00:00:00Z");
        refused(Api.admin().body(spec).post(CAMPAIGNS).then(), 400, "scheduledFor")
                .body("errors.message", hasItem(containsString("366 days")));
        spec.put("scheduledFor", OffsetDateTime.now().plusDays(400).toString());
        refused(Api.admin().body(spec).post(CAMPAIGNS).then(), 400, "scheduledFor");
    }

    @ParameterizedTest
    @CsvSource({
            "/api/whatsapp/campaigns?page=2147483647, page",
            "/api/whatsapp/campaigns?size=abc, size",
            "/api/whatsapp/campaigns?page=1e3, page",
            "/api/whatsapp/campaigns/abc, id",
            "/api/whatsapp/campaigns/99999999999999999999, id",
            "/api/whatsapp/opt-outs?page=500000&size=1000, page",
            "/api/whatsapp/parked-events?page=-1, page"})
    void aParameterThatIsNotWhatItShouldBeIsA400NamingIt(String path, String parameter) {
        refused(Api.admin().get(path).then(), 400, parameter);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "{\"name\":\"line\\nbreak\"} | name",
            "{\"name\":\"right\\u202eleft\"} | name",
            "{\"name\":123} | name",
            "{\"rateLimit\":1.5} | rateLimit",
            "{\"rateLimit\":\"60\"} | rateLimit",
            "{\"templateLanguage\":\"abcdefghijklmnop\"} | templateLanguage",
            "{\"sendWindow\":{\"startHour\":9,\"endHour\":9,\"timeZone\":\"UTC\"}} | sendWindow.endHour",
            "{\"templateVariables\":{\"header.image\":\"javascript:alert(1)\"}} | templateVariables.header.image"})
    void aCampaignFieldThatWouldBeSilentlyChangedOrForgeALogLineIsRefused(String override, String field) {
        String template = TestData.template();
        String body = "{\"name\":\"strict " + UUID.randomUUID() + "\",\"templateName\":\"" + template
                + "\",\"templateLanguage\":\"en_US\",\"templateVariables\":{\"body.2\":\"20%\",\"button.url.0\":\"sale\","
                + "\"header.image\":\"https://img.example/a.png\"}}";
        Map<String, Object> merged = merge(body, override);
        long before = campaignsNamed(template);
        refused(Api.admin().body(merged).post(CAMPAIGNS).then(), 400, field);
        assertThat(campaignsNamed(template)).isEqualTo(before);
    }

    @Test
    void somethingAfterTheJsonValueIsRefused() {
        String body = "{\"name\":\"trailing\",\"templateName\":\"" + TestData.template()
                + "\",\"templateLanguage\":\"en_US\"} trailing";
        Api.admin().contentType("application/json").body(body).post(CAMPAIGNS).then().statusCode(400)
                .contentType("application/problem+json");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "{\"buttons\":[{\"type\":\"url\",\"text\":\"x\",\"url\":\"javascript:alert(1)\"}]} | buttons[0].url",
            "{\"language\":\"abcdefghijklmnop\"} | language",
            "{\"footer\":\"two\\nlines\"} | footer"})
    void aTemplateWithAnUnsafeLinkOrAnImpossibleLanguageIsRefused(String override, String field) {
        String body = "{\"name\":\"t_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12)
                + "\",\"language\":\"en_US\",\"category\":\"marketing\",\"body\":\"Hi {{1}}\"}";
        refused(Api.admin().body(merge(body, override)).post("/api/whatsapp/templates").then(), 400, field);
    }

    @Test
    void aScheduledCampaignWithoutRecipientsIsPausedAtItsTimeWithTheReasonAndCannotBeResumedEmpty() {
        Map<String, Object> spec = spec(TestData.template());
        spec.put("scheduledFor", OffsetDateTime.now().plusSeconds(2).toString());
        long id = ((Number) Api.admin().body(spec).post(CAMPAIGNS).then().statusCode(201).extract().path("id")).longValue();

        await().atMost(Duration.ofSeconds(30)).until(() -> "paused".equals(
                Api.admin().get(CAMPAIGNS + "/" + id).then().extract().path("status")));
        Api.admin().get(CAMPAIGNS + "/" + id).then().body("statusReason", containsString("no recipients"));
        Api.admin().post(CAMPAIGNS + "/" + id + "/resume").then().statusCode(409)
                .contentType("application/problem+json").body("errors.field", hasItem("recipients"));

        TestData.withRecipient(id);
        Api.admin().post(CAMPAIGNS + "/" + id + "/resume").then().statusCode(200).body("status", equalTo("sending"));
        Api.admin().post(CAMPAIGNS + "/" + id + "/cancel").then().statusCode(200);
    }

    @Test
    void aJsonBodyAboveItsLimitOrOfUnannouncedLengthIsRefusedBeforeItIsRead() throws Exception {
        long draft = TestData.draft();
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        String big = "[" + "{\"phoneNumber\":\"+919800000000\"},".repeat(10_000) + "{}]";
        HttpResponse<String> tooLarge = refusedEarly(client, json(draft, HttpRequest.BodyPublishers.ofString(big)));
        assertThat(tooLarge.statusCode()).isEqualTo(413);
        assertThat(tooLarge.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(tooLarge.body()).contains("\"field\":\"body\"");

        // refused from its head too, and on the connection the 413 may just have closed
        HttpResponse<String> chunked = refusedEarly(client, json(draft, HttpRequest.BodyPublishers.ofInputStream(
                () -> new ByteArrayInputStream("[]".getBytes(StandardCharsets.UTF_8)))));
        assertThat(chunked.statusCode()).isEqualTo(411);
        assertThat(chunked.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        Api.admin().get(CAMPAIGNS + "/" + draft + "/recipients").then().statusCode(200).body("total", equalTo(0));
    }

    @Test
    void aCsvLineThatNeverEndsIsRefusedWhileItStreams() {
        long draft = TestData.draft();
        InputStream endless = new InputStream() {
            private final byte[] head = "phone,name,body.1\n+919812345678,\"".getBytes(StandardCharsets.UTF_8);
            private int position;

            @Override
            public int read() throws IOException {
                return position < head.length ? head[position++] : position++ < 60_000 ? 'x' : -1;
            }
        };
        refused(Api.csv().body(endless).post(CAMPAIGNS + "/" + draft + "/recipients").then(), 413, "csv")
                .body("detail", containsString("line 2"));
        Api.admin().get(CAMPAIGNS + "/" + draft + "/recipients").then().statusCode(200).body("total", equalTo(0));
    }

    /**
     * Sends a request the server refuses from its head alone. The server answers and closes without
     * reading the body, which can race the client still writing it: the client then sees a reset instead
     * of the answer, or the client reuses the connection the server just closed and reads nothing. Such
     * a send is tried again (at most 5 times); the answer itself must be the refusal.
     */
    private static HttpResponse<String> refusedEarly(HttpClient client, HttpRequest request) throws Exception {
        IOException last = null;
        for (int attempt = 0; attempt < 5; attempt++) {
            try {
                return client.send(request, HttpResponse.BodyHandlers.ofString());
            } catch (IOException reset) {
                last = reset;
            }
        }
        throw last;
    }

    private HttpRequest json(long campaign, HttpRequest.BodyPublisher body) {
        return HttpRequest.newBuilder(base.resolve(CAMPAIGNS.substring(1) + "/" + campaign + "/recipients"))
                .header("Authorization", "Bearer " + Api.bootstrapKey()).header("Content-Type", "application/json")
                .POST(body).build();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> merge(String body, String override) {
        try {
            var mapper = new com.fasterxml.jackson.databind.ObjectMapper();
            Map<String, Object> merged = mapper.readValue(body, Map.class);
            merged.putAll(mapper.readValue(override, Map.class));
            return merged;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static long campaignsNamed(String template) {
        List<Map<String, Object>> items = Api.admin().get(CAMPAIGNS + "?size=200").then().statusCode(200).extract()
                .jsonPath().getList("items");
        return items.stream().filter(c -> template.equals(c.get("templateName"))).count();
    }
}
