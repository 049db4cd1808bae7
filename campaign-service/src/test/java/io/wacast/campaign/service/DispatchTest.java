package io.wacast.campaign.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.sql.SQLException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.wacast.campaign.Api;
import io.wacast.campaign.KafkaProbe;
import io.wacast.campaign.KafkaTopicsTestResource;
import io.wacast.campaign.TestData;
import io.wacast.common.Topics;
import io.wacast.common.event.CampaignControl;
import io.wacast.common.event.JobId;
import io.wacast.common.event.SendJob;
import io.wacast.common.status.CampaignStatus;

@QuarkusTest
@QuarkusTestResource(KafkaTopicsTestResource.class)
class DispatchTest {

    private static final Duration PATIENCE = Duration.ofSeconds(30);

    @Inject
    AgroalDataSource dataSource;

    @Inject
    ObjectMapper json;

    private long campaignWith(int recipients, Map<String, Object> extra) {
        Map<String, Object> spec = new HashMap<>(Map.of(
                "name", "dispatch " + UUID.randomUUID(),
                "templateName", TestData.template(),
                "templateLanguage", "en_US",
                "templateVariables", TestData.defaults()));
        spec.putAll(extra);
        long id = ((Number) Api.admin().body(spec).post("/api/whatsapp/campaigns").then().statusCode(201).extract().path("id"))
                .longValue();
        List<Map<String, Object>> rows = new ArrayList<>();
        for (int i = 0; i < recipients; i++) {
            rows.add(Map.of("phoneNumber", TestData.phone(), "variables", Map.of("body.1", "R" + i)));
        }
        Api.admin().body(rows).post("/api/whatsapp/campaigns/" + id + "/recipients").then().statusCode(200);
        return id;
    }

    @Test
    void everyRecipientGetsExactlyOneJobKeyedByPhoneWithResolvedVariables() throws Exception {
        long campaign = campaignWith(5, Map.of());
        String suppressed = phoneOfFirstRecipient(campaign);
        Api.admin().body(Map.of("phoneNumber", suppressed)).post("/api/whatsapp/opt-outs").then().statusCode(201);
        try (KafkaProbe jobs = new KafkaProbe(Topics.SEND_JOBS, r -> r.value().contains("\"campaignId\":" + campaign + ","));
                KafkaProbe control = new KafkaProbe(Topics.CAMPAIGN_CONTROL, r -> r.key().equals(Long.toString(campaign)))) {
            Api.admin().post("/api/whatsapp/campaigns/" + campaign + "/send").then().statusCode(200);

            await().atMost(PATIENCE).until(() -> jobs.records().size() >= 4 && !control.records().isEmpty());
            await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(5)).until(() -> jobs.records().size() == 4);

            List<SendJob> sent = new ArrayList<>();
            for (ConsumerRecord<String, String> record : jobs.records()) {
                SendJob job = json.readValue(record.value(), SendJob.class);
                assertThat(record.key()).isEqualTo(job.to());
                sent.add(job);
            }
            assertThat(sent).extracting(SendJob::jobId).doesNotHaveDuplicates()
                    .allMatch(id -> id.equals(JobId.of(campaign, JobId.parse(id).orElseThrow().recipientId())));
            assertThat(sent).extracting(SendJob::to).doesNotContain(suppressed);
            SendJob first = sent.get(0);
            assertThat(first.phoneNumberId()).isEqualTo("100000000000001");
            assertThat(first.variables()).containsOnlyKeys("header.image", "body.1", "body.2", "button.url.0");
            assertThat(new ArrayList<>(first.variables().keySet()))
                    .containsExactly("header.image", "body.1", "body.2", "button.url.0");
            assertThat(statusCount(campaign, "queued")).isEqualTo(4);
            assertThat(statusCount(campaign, "opted_out")).isEqualTo(1);

            CampaignControl latest = json.readValue(control.records().get(control.records().size() - 1).value(), CampaignControl.class);
            assertThat(latest.status()).isEqualTo(CampaignStatus.SENDING);
            assertThat(latest.version()).isEqualTo(2);
        }
    }

    @Test
    void noMoreThanTheInFlightBoundIsQueuedPerCampaign() throws SQLException {
        long campaign = campaignWith(60, Map.of());
        Api.admin().post("/api/whatsapp/campaigns/" + campaign + "/send").then().statusCode(200);
        await().atMost(PATIENCE).until(() -> statusCount(campaign, "queued") == 50);
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(5))
                .until(() -> statusCount(campaign, "queued") == 50 && statusCount(campaign, "pending") == 10);
    }

    @Test
    void nothingIsDispatchedOutsideTheSendWindow() throws SQLException {
        int hour = OffsetDateTime.now(ZoneOffset.UTC).getHour();
        Map<String, Object> window = Map.of("startHour", (hour + 2) % 24, "endHour", (hour + 3) % 24, "timeZone", "UTC");
        long campaign = campaignWith(3, Map.of("sendWindow", window));
        Api.admin().post("/api/whatsapp/campaigns/" + campaign + "/send").then().statusCode(200);
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).until(() -> statusCount(campaign, "pending") == 3);
    }

    @Test
    void pausedCampaignDispatchesNothingUntilResumed() throws SQLException {
        long campaign = campaignWith(3, Map.of());
        Api.admin().post("/api/whatsapp/campaigns/" + campaign + "/send").then().statusCode(200);
        Api.admin().post("/api/whatsapp/campaigns/" + campaign + "/pause").then().statusCode(200);
        execute("UPDATE recipients SET status = 'pending' WHERE campaign_id = " + campaign + " AND status = 'queued'");
        execute("UPDATE campaign_counters c SET recipients = (SELECT COUNT(*) FROM recipients r WHERE r.campaign_id = c.campaign_id"
                + " AND r.status = c.status) WHERE c.campaign_id = " + campaign);
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(5)).until(() -> statusCount(campaign, "pending") == 3);
        Api.admin().post("/api/whatsapp/campaigns/" + campaign + "/resume").then().statusCode(200);
        await().atMost(PATIENCE).until(() -> statusCount(campaign, "queued") == 3);
    }

    @Test
    void scheduledCampaignStartsByItselfExactlyOnce() throws SQLException {
        long campaign = campaignWith(2, Map.of("scheduledFor", OffsetDateTime.now().plusSeconds(5).toString()));
        Api.admin().get("/api/whatsapp/campaigns/" + campaign).then().statusCode(200)
                .body("status", org.hamcrest.Matchers.equalTo("scheduled"));
        await().atMost(PATIENCE).until(() -> statusCount(campaign, "queued") == 2);
        Api.admin().get("/api/whatsapp/campaigns/" + campaign).then()
                .body("status", org.hamcrest.Matchers.equalTo("sending"))
                .body("startedAt", org.hamcrest.Matchers.notNullValue());
        assertThat(controlVersion(campaign)).isEqualTo(2);
    }

    private String phoneOfFirstRecipient(long campaign) {
        return Api.admin().get("/api/whatsapp/campaigns/" + campaign + "/recipients").then().extract().path("items[0].phoneNumber");
    }

    private long statusCount(long campaign, String status) throws SQLException {
        try (var connection = dataSource.getConnection();
                var query = connection.prepareStatement("SELECT COUNT(*) FROM recipients WHERE campaign_id = ? AND status = ?")) {
            query.setLong(1, campaign);
            query.setString(2, status);
            try (var rows = query.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        }
    }

    private long controlVersion(long campaign) throws SQLException {
        try (var connection = dataSource.getConnection();
                var query = connection.prepareStatement("SELECT control_version FROM campaigns WHERE id = ?")) {
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
