package io.wacast.campaign.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.wacast.campaign.KafkaProbe;
import io.wacast.campaign.KafkaTopicsTestResource;
import io.wacast.campaign.StagedCampaign;
import io.wacast.campaign.StagedCampaign.Row;
import io.wacast.campaign.StagedCampaign.Target;
import io.wacast.common.Topics;

/** With the unknown safety net off, an unknown recipient is never re-sent and counts as done, as before it. */
@QuarkusTest
@TestProfile(UnknownResendOffTest.SafetyNetOff.class)
@QuarkusTestResource(KafkaTopicsTestResource.class)
class UnknownResendOffTest {

    public static class SafetyNetOff implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("wacast.campaign.unknown-resend.enabled", "false",
                    "wacast.campaign.unknown-resend.after", "1s",
                    "wacast.campaign.unknown-resend.interval", "1s");
        }
    }

    @Inject
    AgroalDataSource dataSource;

    @Test
    void anUnknownIsNeverResentAndItsCampaignCompletesAtOnce() {
        try (KafkaProbe jobs = new KafkaProbe(Topics.SEND_JOBS, record -> record.value().contains("\"resend\":true"))) {
            StagedCampaign campaign = StagedCampaign.sending(dataSource, new Row("unknown", 60), new Row("delivered", 30));
            Target unknown = campaign.recipient(0);

            await().atMost(Duration.ofSeconds(30)).until(() -> "completed".equals(campaign.status()));
            await().during(Duration.ofSeconds(4)).atMost(Duration.ofSeconds(15)).until(() -> jobs.records().stream()
                    .noneMatch(record -> record.value().contains("\"campaignId\":" + campaign.id() + ",")));
            assertThat(campaign.column(unknown, "resend_state")).isNull();
            assertThat(campaign.counts()).containsEntry("unknown", 1).containsEntry("resentUnknown", 0)
                    .containsEntry("keptUnknown", 0);
        }
    }
}
