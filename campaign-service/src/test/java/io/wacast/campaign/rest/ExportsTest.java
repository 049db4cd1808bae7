package io.wacast.campaign.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;

import jakarta.inject.Inject;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.wacast.campaign.Api;
import io.wacast.campaign.SentCampaign;
import io.wacast.campaign.SentCampaign.Row;
import io.wacast.campaign.service.CsvExport;

@QuarkusTest
class ExportsTest {

    private static final String CAMPAIGNS = "/api/whatsapp/campaigns";

    @Inject
    AgroalDataSource dataSource;

    private static List<CSVRecord> csv(String url, String header) throws IOException {
        String body = Api.admin().get(url).then().statusCode(200)
                .contentType(containsString("text/csv"))
                .header("Content-Disposition", containsString("attachment; filename="))
                .extract().asString();
        assertThat(body).startsWith(header + "\r\n");
        return CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get().parse(new StringReader(body))
                .getRecords();
    }

    private SentCampaign mixed() {
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            rows.add(switch (i % 6) {
                case 0 -> Row.of("delivered");
                case 1 -> Row.failed(131026, 1);
                case 2 -> Row.of("read");
                case 3 -> new Row("opted_out", 131050, 1);
                case 4 -> Row.of("sent");
                default -> Row.of("pending");
            });
        }
        return SentCampaign.stage(dataSource, rows);
    }

    @Test
    void theExportHasOneRowPerRecipientAndEachStatusFilterOnePerRecipientInIt() throws IOException {
        SentCampaign campaign = mixed();
        String export = CAMPAIGNS + "/" + campaign.id() + "/recipients/export";

        List<CSVRecord> all = csv(export, CsvExport.RECIPIENTS_HEADER);
        long total = SentCampaign.count(dataSource, "SELECT SUM(recipients) FROM campaign_counters WHERE campaign_id = "
                + campaign.id());
        assertThat(all).hasSize((int) total).hasSize(30);
        assertThat(all.stream().map(r -> r.get("phone")).toList())
                .containsExactlyElementsOf(SentCampaign.phonesOf(dataSource, campaign.id(), null));

        for (String status : List.of("delivered", "failed", "read", "opted_out", "sent", "pending", "cancelled")) {
            List<CSVRecord> rows = csv(export + "?status=" + status, CsvExport.RECIPIENTS_HEADER);
            long counted = SentCampaign.count(dataSource, "SELECT recipients FROM campaign_counters WHERE campaign_id = "
                    + campaign.id() + " AND status = '" + status + "'");
            assertThat(rows).as(status).hasSize((int) counted);
            assertThat(rows.stream().map(r -> r.get("phone")).toList()).as(status)
                    .containsExactlyElementsOf(SentCampaign.phonesOf(dataSource, campaign.id(), "status = '" + status + "'"));
            assertThat(rows).allSatisfy(r -> assertThat(r.get("status")).isEqualTo(status));
        }
        assertThat(csv(export + "?status=failed,opted_out", CsvExport.RECIPIENTS_HEADER)).hasSize(10);
        assertThat(csv(export + "?status=failed&status=read", CsvExport.RECIPIENTS_HEADER)).hasSize(10);
    }

    @Test
    void aRowSaysWhenWhatAndWhyAndDefusesFormulas() throws IOException {
        SentCampaign campaign = SentCampaign.stage(dataSource, List.of(Row.failed(131026, 1), Row.of("delivered")));
        campaign.update("UPDATE recipients SET name = '=HYPERLINK(\"x\"), \"quoted\"', last_error_message = 'Message"
                + " undeliverable' WHERE campaign_id = " + campaign.id() + " AND phone_e164 = '" + campaign.phone(0) + "'");

        List<CSVRecord> rows = csv(CAMPAIGNS + "/" + campaign.id() + "/recipients/export", CsvExport.RECIPIENTS_HEADER);
        CSVRecord failed = rows.get(0);
        assertThat(failed.get("phone")).isEqualTo(campaign.phone(0));
        assertThat(failed.get("name")).isEqualTo("'=HYPERLINK(\"x\"), \"quoted\"");
        assertThat(failed.get("status")).isEqualTo("failed");
        assertThat(failed.get("error_code")).isEqualTo("131026");
        assertThat(failed.get("error_meaning")).isEqualTo("message undeliverable");
        assertThat(failed.get("error_message")).isEqualTo("Message undeliverable");
        assertThat(failed.get("queued_at")).endsWith("Z");
        assertThat(failed.get("wamid")).isEmpty();
        CSVRecord delivered = rows.get(1);
        assertThat(delivered.get("name")).isEqualTo("Name 1");
        assertThat(delivered.get("wamid")).startsWith("wamid.");
        assertThat(delivered.get("error_code")).isEmpty();
        assertThat(java.time.Instant.parse(delivered.get("updated_at"))).isBefore(java.time.Instant.now().plusSeconds(1));
    }

    @Test
    void theErrorBreakdownAndTheTimelineExportTheirRollups() throws IOException {
        SentCampaign campaign = mixed();
        long id = campaign.id();
        campaign.update("INSERT INTO campaign_errors (campaign_id, error_code, recipients) VALUES (" + id + ", 131026, 5), ("
                + id + ", 131050, 5), (" + id + ", 132015, 0)");
        campaign.update("INSERT INTO campaign_timeline (campaign_id, minute, sent, delivered, read_count, failed, attempts)"
                + " VALUES (" + id + ", '2026-12-05 10:01:00', 7, 5, 2, 1, 8), (" + id + ", '2026-12-05 10:00:00', 3, 0, 0, 0, 3)");

        List<CSVRecord> errors = csv(CAMPAIGNS + "/" + id + "/stats/errors/export", CsvExport.ERRORS_HEADER);
        assertThat(errors).hasSize(2);
        assertThat(errors.get(0).toList()).containsExactly("131026", "5", "message undeliverable", "fail_with_one_retry");
        assertThat(errors.get(1).toList()).containsExactly("131050", "5", "user stopped marketing messages", "opt_out");
        Api.admin().get(CAMPAIGNS + "/" + id + "/stats").then()
                .body("errorBreakdown.size()", equalTo(2));

        List<CSVRecord> timeline = csv(CAMPAIGNS + "/" + id + "/stats/timeline/export", CsvExport.TIMELINE_HEADER);
        assertThat(timeline.stream().map(CSVRecord::toList).toList()).containsExactly(
                List.of("2026-12-05T10:00:00Z", "3", "0", "0", "0", "3"),
                List.of("2026-12-05T10:01:00Z", "7", "5", "2", "1", "8"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"bounced", "failed,", ",", "failed,nope"})
    void aBadStatusFilterIsAProblemNamingIt(String status) {
        SentCampaign campaign = SentCampaign.stage(dataSource, List.of(Row.of("sent")));
        Api.admin().queryParam("status", status).get(CAMPAIGNS + "/" + campaign.id() + "/recipients/export").then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("errors[0].field", equalTo("status"));
    }

    @Test
    void exportsOfAnUnknownCampaignAreNotFoundAndViewersMayExport() {
        for (String path : List.of("/recipients/export", "/stats/errors/export", "/stats/timeline/export")) {
            Api.admin().get(CAMPAIGNS + "/999999999" + path).then().statusCode(404)
                    .contentType("application/problem+json");
        }
        SentCampaign campaign = SentCampaign.stage(dataSource, List.of(Row.of("sent")));
        String body = Api.as(Api.issueKey("viewer")).get(CAMPAIGNS + "/" + campaign.id() + "/recipients/export").then()
                .statusCode(200).extract().asString();
        assertThat(body.split("\r\n")).hasSize(2);
        Api.as("wck_not_a_key").get(CAMPAIGNS + "/" + campaign.id() + "/recipients/export").then().statusCode(401);
    }
}
