package io.wacast.campaign.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.agroal.api.AgroalDataSource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.wacast.campaign.Api;
import io.wacast.campaign.TestData;
import io.wacast.campaign.service.SeriesStarter;

/**
 * Recurring campaigns against the real database. Occurrences are started by calling the starter with a
 * clock of the test's choosing (one series at a time, so other tests' series are left alone).
 */
@QuarkusTest
class SeriesTest {

    private static final String SERIES = "/api/whatsapp/series";
    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

    @Inject
    AgroalDataSource dataSource;

    @Inject
    SeriesStarter starter;

    /** An audience of {@code size} new opted-in contacts with a first_name; returns {audienceId, tag}. */
    private static Object[] audience(int size) {
        String tag = "ser-" + UUID.randomUUID().toString().substring(0, 8);
        addContacts(tag, size);
        long id = ((Number) Api.admin().body(Map.of("name", "series audience " + UUID.randomUUID(),
                "filter", Map.of("tags", Map.of("all", List.of(tag))))).post("/api/whatsapp/audiences")
                .then().statusCode(201).extract().path("id")).longValue();
        return new Object[] {id, tag};
    }

    private static List<String> addContacts(String tag, int size) {
        List<String> phones = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            String phone = TestData.phone();
            phones.add(phone);
            Api.admin().body(Map.of("tags", List.of(tag), "attributes", Map.of("body.1", "Asha" + i),
                    "consent", Map.of("status", "opted_in", "source", "api"))).put("/api/whatsapp/contacts/" + phone)
                    .then().statusCode(org.hamcrest.Matchers.oneOf(200, 201));
        }
        return phones;
    }

    private static Map<String, Object> spec(long audience, Map<String, Object> schedule, String startsAt) {
        Map<String, Object> spec = new HashMap<>();
        spec.put("name", "series " + UUID.randomUUID());
        spec.put("audienceId", audience);
        spec.put("templateName", TestData.template());
        spec.put("templateLanguage", "en_US");
        spec.put("templateVariables", TestData.defaults());
        spec.put("schedule", schedule);
        spec.put("timeZone", "Europe/Berlin");
        spec.put("startsAt", startsAt);
        return spec;
    }

    private static JsonPath create(Map<String, Object> spec) {
        return Api.admin().body(spec).post(SERIES).then().statusCode(201).extract().jsonPath();
    }

    private SeriesStarter.Result occur(long series, Instant now) {
        return QuarkusTransaction.requiringNew().call(() -> starter.occur(series, now));
    }

    private long sql(String query, Object... params) throws Exception {
        try (Connection connection = dataSource.getConnection(); PreparedStatement statement = connection.prepareStatement(query)) {
            for (int i = 0; i < params.length; i++) {
                statement.setObject(i + 1, params[i]);
            }
            try (ResultSet rows = statement.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        }
    }

    @Test
    void badSeriesAreRefusedNamingTheFieldAndStoreNothing() throws Exception {
        long audience = (long) audience(1)[0];
        long before = sql("SELECT COUNT(*) FROM campaign_series");
        Map<Map<String, Object>, String> cases = new LinkedHashMap<>();
        cases.put(Map.of("timeZone", "Mars/Olympus_Mons"), "timeZone");
        cases.put(Map.of("schedule", Map.of("cron", "0 10 31 2 *")), "schedule.cron");
        cases.put(Map.of("schedule", Map.of("cron", "0 25 * * *")), "schedule.cron");
        cases.put(Map.of("schedule", Map.of("days", List.of("funday"), "times", List.of("10:00"))), "schedule.days[0]");
        cases.put(Map.of("schedule", Map.of("days", List.of("monday"), "times", List.of("25:00"))), "schedule.times[0]");
        cases.put(Map.of("schedule", Map.of("cron", "0 10 * * *", "days", List.of("monday"))), "schedule");
        cases.put(Map.of("endsOn", "2026-01-01"), "endsOn");
        cases.put(Map.of("endsOn", "soon"), "endsOn");
        cases.put(Map.of("maxOccurrences", 0), "maxOccurrences");
        for (Map.Entry<Map<String, Object>, String> c : cases.entrySet()) {
            Map<String, Object> spec = spec(audience, Map.of("days", List.of("monday"), "times", List.of("10:00")), null);
            spec.putAll(c.getKey());
            Api.admin().body(spec).post(SERIES).then().statusCode(400).contentType("application/problem+json")
                    .body("errors.field", hasItem(c.getValue()));
        }
        Map<String, Object> unknownAudience = spec(Long.MAX_VALUE, Map.of("cron", "0 10 * * *"), null);
        Api.admin().body(unknownAudience).post(SERIES).then().statusCode(422).body("errors[0].field", equalTo("audienceId"));
        assertThat(sql("SELECT COUNT(*) FROM campaign_series")).isEqualTo(before);
    }

    @Test
    void twoReplicasRacingForTheSameOccurrenceStartItOnce() throws Exception {
        long audience = (long) audience(3)[0];
        String startsAt = ZonedDateTime.now(BERLIN).plusDays(3).toOffsetDateTime().toString();
        Map<String, Object> spec = spec(audience, Map.of("days", List.of("monday", "thursday"), "times", List.of("10:00")), startsAt);
        spec.put("minIntervalHours", 0); // every occurrence takes every contact (the spacing has its own test)
        JsonPath series = create(spec);
        long id = series.getLong("id");
        Instant due = Instant.parse(series.getString("nextOccurrenceAt"));
        assertThat(due.atZone(BERLIN).toLocalTime().toString()).isEqualTo("10:00");

        for (int round = 0; round < 3; round++) {
            Instant now = round == 0 ? due.plusSeconds(1) : Instant.parse(Api.admin().get(SERIES + "/" + id).then()
                    .extract().path("nextOccurrenceAt")).plusSeconds(1);
            ExecutorService pool = Executors.newFixedThreadPool(2);
            CountDownLatch go = new CountDownLatch(1);
            List<Future<SeriesStarter.Result>> replicas = new ArrayList<>();
            for (int r = 0; r < 2; r++) {
                replicas.add(pool.submit(() -> {
                    go.await();
                    return occur(id, now);
                }));
            }
            go.countDown();
            List<SeriesStarter.Result> results = new ArrayList<>();
            for (Future<SeriesStarter.Result> replica : replicas) {
                results.add(replica.get());
            }
            pool.shutdown();
            assertThat(results).containsExactlyInAnyOrder(SeriesStarter.Result.STARTED, SeriesStarter.Result.NOT_MINE);
        }
        JsonPath occurrences = Api.admin().get(SERIES + "/" + id + "/occurrences").then().statusCode(200).extract().jsonPath();
        assertThat(occurrences.getList("items")).hasSize(3);
        assertThat(occurrences.getList("items.campaignId", Long.class)).doesNotHaveDuplicates().doesNotContainNull();
        assertThat(sql("SELECT COUNT(*) FROM series_occurrences WHERE series_id = ?", id)).isEqualTo(3);
        assertThat(sql("SELECT COUNT(DISTINCT campaign_id) FROM series_occurrences WHERE series_id = ? AND outcome = 'started'", id))
                .isEqualTo(3);
        Api.admin().get(SERIES + "/" + id).then().body("occurrences", equalTo(3));
        // each occurrence is a campaign of its own, sending, with the audience's contacts
        for (Long campaign : occurrences.getList("items.campaignId", Long.class)) {
            Api.admin().get("/api/whatsapp/campaigns/" + campaign).then().body("status",
                    org.hamcrest.Matchers.oneOf("sending", "completed"));
            assertThat(sql("SELECT COUNT(*) FROM recipients WHERE campaign_id = ?", campaign)).isEqualTo(3);
        }
    }

    @Test
    void aDailySeriesAcrossBothDaylightSavingChangesStartsOncePerLocalDay() throws Exception {
        long audience = (long) audience(1)[0];
        for (LocalDate first : List.of(LocalDate.of(2027, 3, 26), LocalDate.of(2027, 10, 29))) {
            Map<String, Object> spec = spec(audience, Map.of("cron", "30 2 * * *"),
                    first.atStartOfDay(BERLIN).toOffsetDateTime().toString());
            spec.put("endsOn", first.plusDays(4).toString());
            spec.put("minIntervalHours", 0);
            JsonPath series = create(spec);
            long id = series.getLong("id");
            // a clock that ticks every 20 minutes through the five days, asking at every tick
            Instant now = first.atStartOfDay(BERLIN).toInstant();
            Instant end = first.plusDays(6).atStartOfDay(BERLIN).toInstant();
            int started = 0;
            for (; now.isBefore(end); now = now.plusSeconds(1200)) {
                if (occur(id, now) == SeriesStarter.Result.STARTED) {
                    started++;
                }
            }
            assertThat(started).isEqualTo(5);
            List<LocalDateTime> local = new ArrayList<>();
            for (String at : Api.admin().get(SERIES + "/" + id + "/occurrences").then().statusCode(200).extract().jsonPath()
                    .getList("items.occurrenceAt", String.class)) {
                local.add(Instant.parse(at).atZone(BERLIN).toLocalDateTime());
            }
            assertThat(local).hasSize(5);
            assertThat(local.stream().map(LocalDateTime::toLocalDate).distinct()).hasSize(5);
            if (first.getMonthValue() == 3) {
                assertThat(local).contains(LocalDateTime.of(2027, 3, 28, 3, 30)); // 02:30 does not exist that day
            } else {
                assertThat(local).contains(LocalDateTime.of(2027, 10, 31, 2, 30)); // once, though 02:30 happens twice
            }
            Api.admin().get(SERIES + "/" + id).then().body("status", equalTo("ended")).body("occurrences", equalTo(5));
        }
    }

    @Test
    void anOccurrenceLeavesOutContactsAnEarlierOneMessagedWithinTheInterval() throws Exception {
        Object[] made = audience(4);
        long audience = (long) made[0];
        Map<String, Object> spec = spec(audience, Map.of("cron", "0 9 * * *"),
                ZonedDateTime.now(BERLIN).plusDays(2).toOffsetDateTime().toString());
        spec.put("minIntervalHours", 240);
        long id = create(spec).getLong("id");
        Instant first = Instant.parse(Api.admin().get(SERIES + "/" + id).then().extract().path("nextOccurrenceAt"));
        assertThat(occur(id, first)).isEqualTo(SeriesStarter.Result.STARTED);
        addContacts((String) made[1], 2);
        Instant second = Instant.parse(Api.admin().get(SERIES + "/" + id).then().extract().path("nextOccurrenceAt"));
        assertThat(occur(id, second)).isEqualTo(SeriesStarter.Result.STARTED);
        JsonPath occurrences = Api.admin().get(SERIES + "/" + id + "/occurrences").then().extract().jsonPath();
        long latest = occurrences.getLong("items[0].campaignId");
        Api.admin().get("/api/whatsapp/campaigns/" + latest + "/audience").then().statusCode(200)
                .body("snapshot.matched", equalTo(6))
                .body("snapshot.recentlyMessaged", equalTo(4))
                .body("snapshot.added", equalTo(2));
        assertThat(sql("SELECT COUNT(*) FROM recipients WHERE campaign_id = ?", latest)).isEqualTo(2);
        // a third occurrence finds everyone messaged within the interval: skipped with the reason, no campaign
        Instant third = Instant.parse(Api.admin().get(SERIES + "/" + id).then().extract().path("nextOccurrenceAt"));
        assertThat(occur(id, third)).isEqualTo(SeriesStarter.Result.SKIPPED);
        Api.admin().get(SERIES + "/" + id + "/occurrences").then()
                .body("items[0].outcome", equalTo("skipped"))
                .body("items[0].campaignId", org.hamcrest.Matchers.nullValue())
                .body("items[0].reason", org.hamcrest.Matchers.containsString("messaged recently 6"));
    }

    @Test
    void aPausedSeriesStartsNothingAndResumesFromNow() {
        long audience = (long) audience(1)[0];
        JsonPath series = create(spec(audience, Map.of("cron", "0 9 * * *"),
                ZonedDateTime.now(BERLIN).plusDays(2).toOffsetDateTime().toString()));
        long id = series.getLong("id");
        Instant due = Instant.parse(series.getString("nextOccurrenceAt"));
        Api.admin().post(SERIES + "/" + id + "/pause").then().statusCode(200).body("status", equalTo("paused"));
        Api.admin().post(SERIES + "/" + id + "/pause").then().statusCode(409).body("errors[0].field", equalTo("status"));
        assertThat(occur(id, due.plusSeconds(60))).isEqualTo(SeriesStarter.Result.NOT_MINE);
        Api.admin().get(SERIES + "/" + id + "/occurrences").then().body("total", equalTo(0));
        Api.admin().post(SERIES + "/" + id + "/resume").then().statusCode(200).body("status", equalTo("active"))
                .body("nextOccurrenceAt", equalTo(series.getString("nextOccurrenceAt")));
        Api.admin().post(SERIES + "/" + id + "/end").then().statusCode(200).body("status", equalTo("ended"))
                .body("nextOccurrenceAt", org.hamcrest.Matchers.nullValue()).body("upcoming", org.hamcrest.Matchers.empty());
        Api.admin().post(SERIES + "/" + id + "/resume").then().statusCode(409);
    }
}
