package io.wacast.campaign.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.zone.ZoneOffsetTransition;
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
        return io.wacast.campaign.Sql.count(dataSource, query, params);
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
        // Berlin's next two daylight-saving changes, each series starting two days before its change (worked
        // out from today, so the test does not expire as fixed dates would)
        for (ZoneOffsetTransition change : nextTwoChanges(BERLIN)) {
            LocalDate day = change.getDateTimeBefore().toLocalDate();
            LocalDate first = day.minusDays(2);
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
            if (change.isGap()) {
                assertThat(local).contains(day.atTime(3, 30)); // 02:30 does not exist that day
            } else {
                assertThat(local).contains(day.atTime(2, 30)); // once, though 02:30 happens twice
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

    private static io.restassured.response.ValidatableResponse edit(long id, Map<String, Object> spec) {
        return Api.admin().body(spec).put(SERIES + "/" + id).then();
    }

    /** The next two daylight-saving changes of {@code zone} at least three days from now. */
    private static List<ZoneOffsetTransition> nextTwoChanges(ZoneId zone) {
        ZoneOffsetTransition first = zone.getRules().nextTransition(Instant.now().plus(Duration.ofDays(3)));
        return List.of(first, zone.getRules().nextTransition(first.getInstant()));
    }

    /**
     * An edit moves a running series to a new rule in a new zone: its next occurrences follow the new
     * rule across the zone's next daylight-saving change (both directions), its occurrences so far go on
     * counting towards its end by count, and each later occurrence starts once a local day with the new
     * settings. Once ended, the series cannot be edited (409), and both edits are in the audit log.
     */
    @Test
    void anEditMovesTheNextOccurrenceToTheNewRuleAndZoneAcrossADaylightSavingChangeAndKeepsCounting() throws Exception {
        ZoneId newYork = ZoneId.of("America/New_York");
        long audience = (long) audience(1)[0];
        for (ZoneOffsetTransition change : nextTwoChanges(newYork)) {
            boolean spring = change.isGap();
            LocalDate day = change.getDateTimeBefore().toLocalDate();
            Map<String, Object> spec = spec(audience, Map.of("cron", "0 9 * * *"), null);
            spec.put("minIntervalHours", 0);
            long id = create(spec).getLong("id");
            Instant first = Instant.parse(Api.admin().get(SERIES + "/" + id).then().extract().path("nextOccurrenceAt"));
            assertThat(occur(id, first)).isEqualTo(SeriesStarter.Result.STARTED);

            // 02:30 does not exist on the spring day, 01:30 happens twice on the autumn day
            String local = spring ? "30 2 * * *" : "30 1 * * *";
            Map<String, Object> edited = new HashMap<>(spec);
            edited.put("name", "edited " + UUID.randomUUID());
            edited.put("schedule", Map.of("cron", local));
            edited.put("timeZone", newYork.getId());
            edited.put("startsAt", day.minusDays(1).atStartOfDay(newYork).toOffsetDateTime().toString());
            edited.put("endsOn", day.plusDays(1).toString());
            edited.put("maxOccurrences", 3);
            JsonPath after = edit(id, edited).statusCode(200).extract().jsonPath();
            assertThat(after.getString("status")).isEqualTo("active");
            assertThat(after.getInt("occurrences")).as("the occurrence before the edit still counts").isEqualTo(1);
            assertThat(after.getString("schedule")).isEqualTo(local);
            assertThat(after.getString("timeZone")).isEqualTo(newYork.getId());
            List<ZonedDateTime> upcoming = after.getList("upcoming", String.class).stream()
                    .map(at -> Instant.parse(at).atZone(newYork)).toList();
            LocalDateTime onTheDay = spring ? day.atTime(3, 30) : day.atTime(1, 30);
            assertThat(upcoming).as("two left of three, one a local day, the change's day included")
                    .extracting(ZonedDateTime::toLocalDateTime)
                    .containsExactly(day.minusDays(1).atTime(spring ? 2 : 1, 30), onTheDay);
            if (!spring) {
                assertThat(upcoming.get(1).getOffset()).as("01:30 once, at its earlier offset").isEqualTo(change.getOffsetBefore());
            }
            assertThat(Instant.parse(after.getString("nextOccurrenceAt"))).isEqualTo(upcoming.get(0).toInstant());

            Instant now = day.minusDays(1).atStartOfDay(newYork).toInstant();
            Instant end = day.plusDays(3).atStartOfDay(newYork).toInstant();
            int started = 0;
            for (; now.isBefore(end); now = now.plusSeconds(1200)) {
                if (occur(id, now) == SeriesStarter.Result.STARTED) {
                    started++;
                }
            }
            assertThat(started).as("the count goes on from the occurrence before the edit").isEqualTo(2);
            JsonPath occurrences = Api.admin().get(SERIES + "/" + id + "/occurrences").then().extract().jsonPath();
            assertThat(occurrences.getList("items.occurrenceAt", String.class)).hasSize(3)
                    .map(at -> Instant.parse(at).atZone(newYork).toLocalDateTime()).contains(onTheDay);
            Api.admin().get("/api/whatsapp/campaigns/" + occurrences.getLong("items[0].campaignId")).then()
                    .body("name", org.hamcrest.Matchers.startsWith((String) edited.get("name")));
            Api.admin().get("/api/whatsapp/campaigns/" + occurrences.getLong("items[2].campaignId")).then()
                    .body("name", org.hamcrest.Matchers.startsWith((String) spec.get("name")));
            Api.admin().get(SERIES + "/" + id).then().body("status", equalTo("ended")).body("occurrences", equalTo(3));

            edit(id, edited).statusCode(409).contentType("application/problem+json")
                    .body("detail", org.hamcrest.Matchers.containsString("has ended and cannot be edited"))
                    .body("errors[0].field", equalTo("status"));
            Api.admin().get("/api/whatsapp/audit-log?size=1000").then().statusCode(200)
                    .body("items.findAll { it.method == 'PUT' && it.path == '" + SERIES + "/" + id + "' }.status",
                            org.hamcrest.Matchers.containsInAnyOrder(200, 409));
        }
        edit(999999999L, spec(audience, Map.of("cron", "0 9 * * *"), null)).statusCode(404)
                .contentType("application/problem+json");
    }

    /**
     * A bad edit is refused as a bad new series is, naming the field (the rule, the zone, an end already
     * reached, an unknown audience), and leaves the series exactly as it was.
     */
    @Test
    void aBadEditIsRefusedNamingTheFieldAndChangesNothing() throws Exception {
        long audience = (long) audience(1)[0];
        Map<String, Object> spec = spec(audience, Map.of("days", List.of("monday"), "times", List.of("10:00")),
                ZonedDateTime.now(BERLIN).plusDays(2).toOffsetDateTime().toString());
        spec.put("minIntervalHours", 0);
        long id = create(spec).getLong("id");
        Instant first = Instant.parse(Api.admin().get(SERIES + "/" + id).then().extract().path("nextOccurrenceAt"));
        assertThat(occur(id, first)).isEqualTo(SeriesStarter.Result.STARTED);
        String before = Api.admin().get(SERIES + "/" + id).then().statusCode(200).extract().asString();

        Map<Map<String, Object>, String> bad = new LinkedHashMap<>();
        bad.put(Map.of("timeZone", "Mars/Olympus_Mons"), "timeZone");
        bad.put(Map.of("schedule", Map.of("cron", "0 10 31 2 *")), "schedule.cron");
        bad.put(Map.of("schedule", Map.of("cron", "61 10 * * *")), "schedule.cron");
        bad.put(Map.of("schedule", Map.of("days", List.of("monday"), "times", List.of("25:00"))), "schedule.times[0]");
        bad.put(Map.of("schedule", Map.of()), "schedule");
        bad.put(Map.of("endsOn", "2026-01-01"), "endsOn");
        bad.put(Map.of("maxOccurrences", 1), "maxOccurrences");
        bad.put(Map.of("name", ""), "name");
        for (Map.Entry<Map<String, Object>, String> c : bad.entrySet()) {
            Map<String, Object> edited = new HashMap<>(spec);
            edited.put("name", "renamed " + UUID.randomUUID());
            edited.put("schedule", Map.of("cron", "0 18 * * *"));
            edited.putAll(c.getKey());
            edit(id, edited).statusCode(400).contentType("application/problem+json").body("errors.field", hasItem(c.getValue()));
        }
        Map<String, Object> unknownAudience = new HashMap<>(spec);
        unknownAudience.put("schedule", Map.of("cron", "0 18 * * *"));
        unknownAudience.put("audienceId", Long.MAX_VALUE);
        edit(id, unknownAudience).statusCode(422).body("errors[0].field", equalTo("audienceId"));
        Map<String, Object> unknownTemplate = new HashMap<>(spec);
        unknownTemplate.put("templateName", "no_such_template_" + UUID.randomUUID().toString().substring(0, 8));
        edit(id, unknownTemplate).statusCode(422);
        assertThat(Api.admin().get(SERIES + "/" + id).then().extract().asString()).as("nothing written").isEqualTo(before);

        // a paused series is edited and stays paused, showing the new rule's next occurrence
        Api.admin().post(SERIES + "/" + id + "/pause").then().statusCode(200);
        Map<String, Object> evenings = new HashMap<>(spec);
        evenings.put("schedule", Map.of("days", List.of("tuesday", "friday"), "times", List.of("18:30")));
        JsonPath paused = edit(id, evenings).statusCode(200).body("status", equalTo("paused")).body("occurrences", equalTo(1))
                .body("schedule", equalTo("30 18 * * TUE,FRI")).extract().jsonPath();
        ZonedDateTime next = Instant.parse(paused.getString("nextOccurrenceAt")).atZone(BERLIN);
        assertThat(next.toLocalTime().toString()).isEqualTo("18:30");
        assertThat(next.getDayOfWeek()).isIn(java.time.DayOfWeek.TUESDAY, java.time.DayOfWeek.FRIDAY);
        assertThat(next.toInstant()).isAfter(first);
    }

    /**
     * An edit and a starter (two replicas: the edit's and the starter's) racing for a due occurrence: in
     * whichever order the database lets them go, the occurrence starts exactly once, with the settings of
     * before the edit or of after it (never a mix), and the series' next occurrence is the edited rule's.
     */
    @Test
    void anEditRacingTheStarterForADueOccurrenceStartsItExactlyOnce() throws Exception {
        long audience = (long) audience(2)[0];
        Map<String, Object> spec = spec(audience, Map.of("cron", "0 9 * * *"),
                ZonedDateTime.now(BERLIN).plusDays(2).toOffsetDateTime().toString());
        spec.put("minIntervalHours", 0);
        spec.put("name", "v0 " + UUID.randomUUID());
        long id = create(spec).getLong("id");
        List<String> rules = List.of("30 18 * * *", "15 7 * * *");
        Instant lastDue = Instant.EPOCH;
        Map<String, String> names = new HashMap<>();
        names.put("v0", (String) spec.get("name"));
        for (int round = 1; round <= 4; round++) {
            // a due occurrence no replica has claimed yet (the starters run every few seconds; here none has)
            Instant due = Instant.now().minusSeconds(5).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
            due = due.isAfter(lastDue) ? due : lastDue.plusSeconds(1);
            lastDue = due;
            try (Connection connection = dataSource.getConnection(); PreparedStatement update = connection.prepareStatement(
                    "UPDATE campaign_series SET next_occurrence_at = ? WHERE id = ?")) {
                update.setTimestamp(1, java.sql.Timestamp.from(due));
                update.setLong(2, id);
                assertThat(update.executeUpdate()).isEqualTo(1);
            }
            String rule = rules.get(round % 2);
            Map<String, Object> edited = new HashMap<>(spec);
            edited.put("name", "v" + round + " " + UUID.randomUUID());
            edited.put("templateVariables", Map.of("header.image", "https://img.example/a.png", "body.2", "v" + round,
                    "button.url.0", "sale"));
            edited.put("schedule", Map.of("cron", rule));
            names.put("v" + round, (String) edited.get("name"));
            ExecutorService pool = Executors.newFixedThreadPool(2);
            CountDownLatch go = new CountDownLatch(1);
            Future<SeriesStarter.Result> starting = pool.submit(() -> {
                go.await();
                return occur(id, Instant.now());
            });
            Future<Integer> editing = pool.submit(() -> {
                go.await();
                return edit(id, edited).extract().statusCode();
            });
            go.countDown();
            assertThat(editing.get()).isEqualTo(200);
            starting.get(); // STARTED, or NOT_MINE when the scheduler's own starter came first
            pool.shutdown();
            int done = round;
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).until(() ->
                    sql("SELECT COUNT(*) FROM series_occurrences WHERE series_id = ? AND outcome <> 'claimed'", id) == done);

            assertThat(sql("SELECT COUNT(*) FROM series_occurrences WHERE series_id = ? AND occurrence_at = ? AND outcome = 'started'",
                    id, java.sql.Timestamp.from(due))).as("round %d: the due occurrence started once", round)
                    .isEqualTo(1);
            assertThat(occur(id, Instant.now())).as("nothing due any more").isEqualTo(SeriesStarter.Result.NOT_MINE);
            JsonPath series = Api.admin().get(SERIES + "/" + id).then().extract().jsonPath();
            assertThat(series.getInt("occurrences")).isEqualTo(round);
            assertThat(series.getString("name")).isEqualTo(edited.get("name"));
            ZonedDateTime next = Instant.parse(series.getString("nextOccurrenceAt")).atZone(BERLIN);
            assertThat(next.toLocalTime()).as("round %d: the next occurrence follows the edited rule", round)
                    .isEqualTo(java.time.LocalTime.of(Integer.parseInt(rule.split(" ")[1]), Integer.parseInt(rule.split(" ")[0])));
            assertThat(next.toInstant()).isAfter(Instant.now());
            long campaign = Api.admin().get(SERIES + "/" + id + "/occurrences").then().extract().jsonPath().getLong("items[0].campaignId");
            JsonPath started = Api.admin().get("/api/whatsapp/campaigns/" + campaign).then().extract().jsonPath();
            String version = started.getString("name").substring(0, started.getString("name").indexOf(' '));
            assertThat(version).as("the settings of just before or just after the edit").isIn("v" + (round - 1), "v" + round);
            assertThat(started.getString("name")).startsWith(names.get(version));
            if (!version.equals("v0")) {
                assertThat(started.getString("templateVariables.'body.2'")).as("not a mix of two versions").isEqualTo(version);
            }
        }
        assertThat(sql("SELECT COUNT(DISTINCT campaign_id) FROM series_occurrences WHERE series_id = ?", id)).isEqualTo(4);
    }
}
