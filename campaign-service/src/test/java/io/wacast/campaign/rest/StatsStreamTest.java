package io.wacast.campaign.rest;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.wacast.campaign.Api;
import io.wacast.campaign.SseStream;
import io.wacast.campaign.StagedCampaign;
import io.wacast.campaign.StagedCampaign.Row;
import io.wacast.campaign.StagedCampaign.Target;
import io.wacast.campaign.service.EventApplier;
import io.wacast.campaign.service.Evidence;
import io.wacast.common.event.Outcome;
import io.wacast.common.event.OutcomeStatus;

/**
 * {@code GET /campaigns/{id}/stats/stream} against the real database: the stats at once, a change
 * pushed once, silence while nothing changes, keep-alive comments, the end after a final status, and
 * the feed stopped when the client goes away. Counters change through the applier itself, called
 * directly so the change has a known moment.
 */
@QuarkusTest
class StatsStreamTest {

    private static final Duration PATIENCE = Duration.ofSeconds(30);

    @Inject
    AgroalDataSource dataSource;

    @Inject
    EventApplier applier;

    @Inject
    ObjectMapper json;

    @Inject
    MeterRegistry registry;

    @Test
    void theStatsComeAtOnceAndEachChangeIsPushedOnce() {
        StagedCampaign campaign = inFlight();
        try (SseStream stream = SseStream.open(streamOf(campaign.id()), Api.issueKey("viewer"))) {
            await().atMost(PATIENCE).until(() -> !stream.events().isEmpty());
            assertThat(stream.status()).isEqualTo(200);
            assertThat(stream.contentType()).startsWith("text/event-stream");
            SseStream.Event first = stream.events().get(0);
            assertThat(first.name()).isEqualTo("stats");
            JsonNode stats = read(first);
            assertThat(stats.at("/stats/queued").asLong()).isEqualTo(2);
            assertThat(stats.at("/stats/sent").asLong()).isZero();
            assertThat(withoutClock(stats)).isEqualTo(withoutClock(read(Api.admin()
                    .get("/api/whatsapp/campaigns/" + campaign.id() + "/stats").then().statusCode(200).extract().asString())));

            long changed = System.nanoTime();
            applier.apply(List.of(Evidence.of(sent(campaign.recipient(0)))));
            // The feed reads once a second, so the push follows within about a second; how soon is a
            // speed (printed, not asserted: a busy CI machine must not turn this red).
            await().atMost(PATIENCE).until(() -> stream.events().size() >= 2);
            System.out.printf("stats stream: change pushed %d ms after it was applied%n",
                    Duration.ofNanos(System.nanoTime() - changed).toMillis());
            SseStream.Event second = stream.events().get(1);
            assertThat(second.name()).isEqualTo("stats");
            assertThat(Long.parseLong(second.id())).isGreaterThan(Long.parseLong(first.id()));
            assertThat(read(second).at("/stats/sent").asLong()).isEqualTo(1);
            assertThat(read(second).at("/stats/queued").asLong()).isEqualTo(1);

            await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5)).until(() -> stream.events().size() == 2);
        }
    }

    @Test
    void anIdleStreamSendsKeepAliveCommentsAndNoEvents() {
        StagedCampaign campaign = inFlight();
        try (SseStream stream = SseStream.open(streamOf(campaign.id()), Api.bootstrapKey())) {
            await().atMost(PATIENCE).until(() -> !stream.events().isEmpty());
            await().atMost(PATIENCE).until(() -> !stream.comments().isEmpty());
            assertThat(stream.events()).hasSize(1);
            assertThat(stream.ended()).isFalse();
        }
    }

    @Test
    void theStreamEndsAfterTheCampaignIsCancelledWithTheFinalStatsLast() {
        StagedCampaign campaign = inFlight();
        try (SseStream stream = SseStream.open(streamOf(campaign.id()), Api.bootstrapKey())) {
            await().atMost(PATIENCE).until(() -> !stream.events().isEmpty());
            Api.admin().post("/api/whatsapp/campaigns/" + campaign.id() + "/cancel").then().statusCode(200);

            await().atMost(PATIENCE).until(stream::ended);
            SseStream.Event last = stream.events().get(stream.events().size() - 1);
            assertThat(read(last).at("/campaign/status").asText()).isEqualTo("cancelled");
            assertThat(read(last).at("/stats/cancelled").asLong()).isEqualTo(2);
            assertThat(stream.events()).extracting(event -> Long.parseLong(event.id())).isSorted().doesNotHaveDuplicates();
        }
    }

    @Test
    void aClientThatGoesAwayStopsItsFeed() {
        await().atMost(PATIENCE).until(() -> openFeeds() == 0);
        StagedCampaign campaign = inFlight();
        SseStream stream = SseStream.open(streamOf(campaign.id()), Api.bootstrapKey());
        await().atMost(PATIENCE).until(() -> !stream.events().isEmpty());
        assertThat(openFeeds()).isEqualTo(1);

        stream.close();
        await().atMost(PATIENCE).until(() -> openFeeds() == 0);
    }

    @Test
    void anUnknownCampaignIsNotFoundBeforeAnyStreamStarts() {
        Api.as(Api.bootstrapKey()).accept("text/event-stream").get("/api/whatsapp/campaigns/999999999/stats/stream")
                .then().statusCode(404)
                .contentType("application/problem+json")
                .body("detail", equalTo("campaign 999999999 does not exist"));
    }

    @Test
    void aRequestWithoutKeyIsUnauthorized() {
        given().accept("text/event-stream").get("/api/whatsapp/campaigns/1/stats/stream")
                .then().statusCode(401)
                .contentType("application/problem+json")
                .header("WWW-Authenticate", "Bearer");
    }

    /** A sending campaign with two queued recipients: nothing changes unless a test makes it. */
    private StagedCampaign inFlight() {
        return StagedCampaign.sending(dataSource, new Row("queued", 60), new Row("queued", 60));
    }

    private static URI streamOf(long campaign) {
        return URI.create("http://localhost:" + RestAssured.port + "/api/whatsapp/campaigns/" + campaign + "/stats/stream");
    }

    private static Outcome sent(Target t) {
        return Outcome.of(t.jobId(), t.campaign(), t.id(), OutcomeStatus.SENT, "wamid.stream." + t.id(), "accepted", null,
                null, null, null, 1, Instant.now());
    }

    private double openFeeds() {
        return registry.get("wacast.stats.feeds").gauge().value();
    }

    private JsonNode read(SseStream.Event event) {
        return read(event.data());
    }

    private JsonNode read(String body) {
        try {
            return json.readTree(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The stats without the fields that move with the clock alone. */
    private static JsonNode withoutClock(JsonNode stats) {
        ObjectNode copy = stats.deepCopy();
        copy.remove("generatedAt");
        ((ObjectNode) copy.get("progress")).remove("etaSeconds");
        return copy;
    }
}
