package io.wacast.campaign.repository;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.wacast.campaign.Api;
import io.wacast.campaign.TestData;

/**
 * The plan's counts from the loader's facts (§11 D32) equal the counts by scanning, whatever happens to
 * an uploaded campaign afterwards: removals, opt-outs (erased ones matched by hash), consent cleared and
 * given, contacts erased and created again, defaults changed, recipients dispatched and deferred back; and
 * every way the facts stop accounting for the recipients falls back to the scan. Against the real database.
 */
@QuarkusTest
class PlanCountsTest {

    private static final String CAMPAIGNS = "/api/whatsapp/campaigns";
    /** The variables of {@link TestData#template()}. */
    private static final List<String> KEYS = List.of("header.image", "body.1", "body.2", "button.url.0");
    /** Values a row may carry: blank ones are dropped at upload; the others count as given, however odd. */
    private static final List<String> VALUES = List.of("Asha", "  Ravi ", "\u00a0", "\u200b", "\u3164", "\u0640", "x\ty",
            "\ufe70", " ", "", "\t", "\n", "https://img.example/b.png", "名前", "😀");

    @Inject
    PlanRepository plans;

    @Inject
    AgroalDataSource dataSource;

    /** A campaign on {@link TestData#template()}; the defaults are set by {@link #setDefaults}. */
    private static long campaign(Map<String, String> defaults) {
        return ((Number) Api.admin().body(Map.of("name", "counts " + UUID.randomUUID(), "templateName", TestData.template(),
                "templateLanguage", "en_US", "templateVariables", defaults))
                .post(CAMPAIGNS).then().statusCode(201).extract().path("id")).longValue();
    }

    /**
     * A valid number in one of a few countries and prefixes (India, the US, Brazil, Germany, Canada), in
     * ranges the other tests do not use: opt-outs and erasures here must not reach their recipients.
     */
    private static String phone(Random random) {
        return switch (random.nextInt(6)) {
            case 0 -> "+9188" + digits(random, 8);
            case 1 -> "+9170" + digits(random, 8);
            case 2 -> "+12025" + digits(random, 6);
            case 3 -> "+55219" + digits(random, 8);
            case 4 -> "+49160" + digits(random, 8);
            default -> "+16045" + digits(random, 6);
        };
    }

    /** {@code count} numbers of {@link #phone}, in a list the test may add to. */
    private static List<String> phones(Random random, int count) {
        List<String> phones = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            phones.add(phone(random));
        }
        return phones;
    }

    /** {@code count} numbers of {@link #phone} uploaded into {@code campaign}. */
    private static List<String> uploaded(long campaign, Random random, int count) {
        List<String> phones = phones(random, count);
        upload(campaign, phones, random);
        return phones;
    }

    private static String digits(Random random, int count) {
        StringBuilder digits = new StringBuilder();
        for (int i = 0; i < count; i++) {
            digits.append(random.nextInt(10));
        }
        return digits.toString();
    }

    private static void upload(long campaign, List<String> phones, Random random) {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (String phone : phones) {
            Map<String, String> variables = new LinkedHashMap<>();
            for (String key : KEYS) {
                if (random.nextInt(4) > 0) {
                    variables.put(key, key.startsWith("header.") ? "https://img.example/" + random.nextInt(9) + ".png"
                            : VALUES.get(random.nextInt(VALUES.size())));
                }
            }
            rows.add(Map.of("phoneNumber", phone, "variables", variables));
        }
        Api.admin().body(rows).post(CAMPAIGNS + "/" + campaign + "/recipients").then().statusCode(200);
    }

    private static void setDefaults(long campaign, Map<String, String> defaults) {
        var current = Api.admin().get(CAMPAIGNS + "/" + campaign).then().statusCode(200).extract().jsonPath();
        Api.admin().body(Map.of("name", current.getString("name"), "templateName", current.getString("templateName"),
                "templateLanguage", "en_US", "templateVariables", defaults, "phoneNumberId", current.getString("phoneNumberId"),
                "rateLimit", current.getInt("rateLimit"))).put(CAMPAIGNS + "/" + campaign).then().statusCode(200);
    }

    /** The keys no default covers: what every recipient must carry itself. */
    private static List<String> withoutDefault(Map<String, String> defaults) {
        return KEYS.stream().filter(key -> !defaults.containsKey(key)).toList();
    }

    private long sqlLong(String query, Object... params) throws Exception {
        return io.wacast.campaign.Sql.count(dataSource, query, params);
    }

    private List<String> sqlStrings(String query, Object... params) throws Exception {
        try (Connection connection = dataSource.getConnection(); PreparedStatement statement = connection.prepareStatement(query)) {
            for (int i = 0; i < params.length; i++) {
                statement.setObject(i + 1, params[i]);
            }
            List<String> values = new ArrayList<>();
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    values.add(rows.getString(1));
                }
            }
            return values;
        }
    }

    private void update(String statement, Object... params) throws Exception {
        try (Connection connection = dataSource.getConnection(); PreparedStatement update = connection.prepareStatement(statement)) {
            for (int i = 0; i < params.length; i++) {
                update.setObject(i + 1, params[i]);
            }
            update.executeUpdate();
        }
    }

    /** Moves up to {@code count} recipients of the campaign from one status to another, counters with them, as the engine does. */
    private void move(long campaign, String from, String to, int count) throws Exception {
        List<String> ids = sqlStrings("SELECT id FROM recipients WHERE campaign_id = ? AND status = ? ORDER BY id LIMIT " + count,
                campaign, from);
        if (ids.isEmpty()) {
            return;
        }
        update("UPDATE recipients SET status = ? WHERE id IN (" + String.join(",", ids) + ")", to);
        update("UPDATE campaign_counters SET recipients = recipients - ? WHERE campaign_id = ? AND status = ?", ids.size(), campaign, from);
        update("UPDATE campaign_counters SET recipients = recipients + ? WHERE campaign_id = ? AND status = ?", ids.size(), campaign, to);
    }

    /** The counts both ways, for a marketing and a utility template, compared; returns whether the facts were used. */
    private boolean countsAgree(long campaign, List<String> keys) {
        boolean loaded = true;
        for (boolean marketing : List.of(true, false)) {
            PlanRepository.Counts counted = plans.counts(campaign, keys, marketing);
            PlanRepository.Counts scanned = plans.byScanning(campaign, keys, marketing);
            assertThat(view(counted)).as("campaign %d, marketing %s, keys %s", campaign, marketing, keys).isEqualTo(view(scanned));
            assertThat(scanned.loaded()).isFalse();
            loaded &= counted.loaded();
        }
        return loaded;
    }

    private static Map<String, Object> view(PlanRepository.Counts counts) {
        Map<String, Object> view = new TreeMap<>();
        for (PlanRepository.PrefixCount group : counts.pending()) {
            view.put("pending " + group.prefix(), group.recipients() + " from " + group.sample());
        }
        view.put("suppressed", new TreeMap<>(counts.suppressed()));
        view.put("withoutOptIn", new TreeMap<>(counts.withoutOptIn()));
        view.put("missingVariables", new TreeMap<>(counts.missingVariables()));
        return view;
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8})
    void whateverHappensToAnUploadedCampaignItsCountsFromTheLoadsEqualTheScan(long seed) throws Exception {
        Random random = new Random(seed);
        Map<String, String> defaults = new HashMap<>(TestData.defaults());
        long campaign = campaign(defaults);
        List<String> phones = phones(random, 40);
        // some numbers on the suppression list before the upload: stored opted_out
        for (int i = 0; i < 3; i++) {
            Api.admin().body(Map.of("phoneNumber", phones.get(random.nextInt(phones.size())))).post("/api/whatsapp/opt-outs");
        }
        upload(campaign, phones, random);
        assertThat(countsAgree(campaign, withoutDefault(defaults))).isTrue();

        for (int step = 0; step < 30; step++) {
            List<String> pending = sqlStrings("SELECT phone_e164 FROM recipients WHERE campaign_id = ? AND status = 'pending'"
                    + " ORDER BY phone_e164", campaign);
            String someone = random.nextBoolean() && !pending.isEmpty() ? pending.get(random.nextInt(pending.size()))
                    : phones.get(random.nextInt(phones.size()));
            switch (random.nextInt(12)) {
                case 0 -> {
                    List<String> more = new ArrayList<>();
                    for (int i = 0; i < 1 + random.nextInt(6); i++) {
                        more.add(random.nextInt(3) == 0 ? phones.get(random.nextInt(phones.size())) : phone(random));
                    }
                    phones.addAll(more);
                    upload(campaign, more, random);
                }
                case 1 -> Api.admin().queryParam("phone", someone).delete(CAMPAIGNS + "/" + campaign + "/recipients");
                case 2 -> Api.admin().body(Map.of("phoneNumber", someone)).post("/api/whatsapp/opt-outs");
                case 3 -> Api.admin().delete("/api/whatsapp/opt-outs/" + someone);
                case 4 -> Api.admin().body(Map.of("consent", Map.of("status", "none"))).put("/api/whatsapp/contacts/" + someone);
                case 5 -> Api.admin().body(Map.of("consent", Map.of("status", "opted_in"))).put("/api/whatsapp/contacts/" + someone);
                case 6 -> Api.admin().delete("/api/whatsapp/contacts/" + someone);
                case 7 -> Api.admin().body(Map.of("name", "Again")).put("/api/whatsapp/contacts/" + someone);
                case 8 -> {
                    defaults = new HashMap<>();
                    for (String key : KEYS) {
                        if (random.nextBoolean()) {
                            defaults.put(key, key.startsWith("header.") ? "https://img.example/d.png" : "default");
                        }
                    }
                    setDefaults(campaign, defaults);
                }
                case 9 -> move(campaign, "pending", random.nextBoolean() ? "queued" : "sent", 1 + random.nextInt(3));
                case 10 -> move(campaign, "queued", "pending", 1 + random.nextInt(3));
                default -> {
                    // an opted-out number whose contact is then erased: its opt-out keeps only the hash
                    Api.admin().body(Map.of("phoneNumber", someone)).post("/api/whatsapp/opt-outs");
                    Api.admin().delete("/api/whatsapp/contacts/" + someone);
                }
            }
            assertThat(countsAgree(campaign, withoutDefault(defaults))).as("after step %d", step).isTrue();
        }
    }

    @Test
    void aCampaignMostlyDispatchedReadsItsPendingRowsAndStillCountsTheRestFromItsLoads() throws Exception {
        Random random = new Random(42);
        long campaign = campaign(TestData.defaults());
        List<String> phones = uploaded(campaign, random, 30);
        move(campaign, "pending", "sent", 25);
        assertThat(sqlLong("SELECT recipients FROM campaign_counters WHERE campaign_id = ? AND status = 'pending'", campaign))
                .isLessThan(sqlLong("SELECT recipients FROM campaign_counters WHERE campaign_id = ? AND status = 'sent'", campaign));
        assertThat(countsAgree(campaign, List.of("body.1"))).isTrue();
    }

    @Test
    void anErasedContactIsNotedInEveryLoadedCampaignThatHasItsNumber() throws Exception {
        String phone = TestData.phone();
        long first = campaign(TestData.defaults());
        long second = campaign(TestData.defaults());
        for (long campaign : List.of(first, second)) {
            Api.admin().body(List.of(Map.of("phoneNumber", phone, "variables", Map.of("body.1", "Asha"))))
                    .post(CAMPAIGNS + "/" + campaign + "/recipients").then().statusCode(200);
        }
        long duplicate = ((Number) Api.admin().body(Map.of("recipients", true)).post(CAMPAIGNS + "/" + first + "/duplicate")
                .then().statusCode(201).extract().path("id")).longValue();

        Api.admin().delete("/api/whatsapp/contacts/" + phone).then().statusCode(204);

        String noted = "SELECT COUNT(*) FROM erased_contact_recipients e JOIN recipients r ON r.id = e.recipient_id"
                + " WHERE e.campaign_id = ? AND r.phone_e164 = ?";
        assertThat(sqlLong(noted, first, phone)).isEqualTo(1);
        assertThat(sqlLong(noted, second, phone)).isEqualTo(1);
        assertThat(sqlLong(noted, duplicate, phone)).as("a duplicate vouches for its rows as an upload does").isEqualTo(1);
        assertThat(plans.counts(first, List.of("body.1"), true).withoutOptIn()).containsEntry(phone.substring(0, 5), 1L);
        assertThat(countsAgree(first, List.of("body.1"))).isTrue();
    }

    @Test
    void aRecipientWhoseNumberKeepsOnlyItsHashOnTheSuppressionListIsSuppressedWithOrWithoutAContact() throws Exception {
        long campaign = campaign(TestData.defaults());
        String erased = TestData.phone();
        String recreated = TestData.phone();
        Api.admin().body(List.of(Map.of("phoneNumber", erased, "variables", Map.of("body.1", "Asha")),
                Map.of("phoneNumber", recreated, "variables", Map.of("body.1", "Ravi")),
                Map.of("phoneNumber", TestData.phone(), "variables", Map.of("body.1", "Mira"))))
                .post(CAMPAIGNS + "/" + campaign + "/recipients").then().statusCode(200).body("accepted", org.hamcrest.Matchers.equalTo(3));
        Api.admin().body(Map.of("phoneNumber", erased)).post("/api/whatsapp/opt-outs").then().statusCode(201);
        Api.admin().delete("/api/whatsapp/contacts/" + erased).then().statusCode(204);
        // what a BSUID's STOP leaves for a number known to wacast only by its hash (erased before this upload,
        // which created the contact again): an opt-out without the number, beside a contact that has it
        update("INSERT INTO opt_outs (phone_hash, source, created_at) VALUES (SHA2(?, 256), 'user', NOW(6))", recreated);
        assertThat(sqlLong("SELECT COUNT(*) FROM opt_outs WHERE phone_hash IN (SHA2(?, 256), SHA2(?, 256)) AND phone_e164 IS NULL",
                erased, recreated)).isEqualTo(2);

        assertThat(plans.counts(campaign, List.of("body.1"), true).suppressed()).containsEntry("+9198", 2L);
        assertThat(countsAgree(campaign, List.of("body.1"))).isTrue();
    }

    @Test
    void aVariableNoUploadedRowCarriesIsMissingForEveryRecipientCountedForSending() throws Exception {
        Random random = new Random(23);
        long campaign = campaign(TestData.defaults());
        List<Map<String, Object>> rows = new ArrayList<>();
        List<String> phones = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            phones.add(phone(random));
            rows.add(Map.of("phoneNumber", phones.get(i), "variables", Map.of("body.1", "R" + i)));
        }
        Api.admin().body(rows).post(CAMPAIGNS + "/" + campaign + "/recipients").then().statusCode(200);
        Api.admin().body(Map.of("phoneNumber", phones.get(0))).post("/api/whatsapp/opt-outs");
        Api.admin().body(Map.of("consent", Map.of("status", "none"))).put("/api/whatsapp/contacts/" + phones.get(1));
        Api.admin().delete("/api/whatsapp/contacts/" + phones.get(2));
        move(campaign, "pending", "sent", 1);
        Map<String, String> defaults = new HashMap<>(TestData.defaults());
        defaults.remove("body.2"); // no row has a body.2 of its own
        setDefaults(campaign, defaults);

        assertThat(countsAgree(campaign, withoutDefault(defaults))).isTrue();
        long pending = sqlLong("SELECT recipients FROM campaign_counters WHERE campaign_id = ? AND status = 'pending'", campaign);
        PlanRepository.Counts utility = plans.counts(campaign, withoutDefault(defaults), false);
        assertThat(utility.missingVariables().values().stream().mapToLong(Long::longValue).sum())
                .isEqualTo(pending - utility.suppressed().values().stream().mapToLong(Long::longValue).sum());
    }

    @Test
    void recipientsStoredByADuplicateAreCountedFromItsFactsEvenThoseWithoutAContact() throws Exception {
        Random random = new Random(7);
        long source = campaign(TestData.defaults());
        List<String> phones = uploaded(source, random, 16);
        // two numbers lose their contact before the copy (one of them also opts out, so only its hash stays)
        Api.admin().delete("/api/whatsapp/contacts/" + phones.get(0)).then().statusCode(204);
        Api.admin().body(Map.of("phoneNumber", phones.get(1))).post("/api/whatsapp/opt-outs").then().statusCode(org.hamcrest.Matchers.lessThan(300));
        Api.admin().delete("/api/whatsapp/contacts/" + phones.get(1)).then().statusCode(204);
        Api.admin().body(Map.of("consent", Map.of("status", "none"))).put("/api/whatsapp/contacts/" + phones.get(2))
                .then().statusCode(200);
        long duplicate = ((Number) Api.admin().body(Map.of("recipients", true)).post(CAMPAIGNS + "/" + source + "/duplicate")
                .then().statusCode(201).extract().path("id")).longValue();

        assertThat(sqlLong("SELECT COUNT(*) FROM erased_contact_recipients e JOIN recipients r ON r.id = e.recipient_id"
                + " WHERE e.campaign_id = ? AND r.phone_e164 = ?", duplicate, phones.get(0))).as("copied without a contact").isEqualTo(1);
        assertThat(countsAgree(duplicate, List.of("body.1"))).as("counted from the duplicate's facts").isTrue();
        assertThat(plans.counts(duplicate, List.of("body.1"), true).withoutOptIn().values().stream().mapToLong(Long::longValue).sum())
                .as("the erased number and the cleared consent").isEqualTo(2);
        // an upload into the duplicate adds its own facts; an erasure afterwards notes the copied row
        upload(duplicate, List.of(phone(random)), random);
        Api.admin().delete("/api/whatsapp/contacts/" + phones.get(3)).then().statusCode(204);
        assertThat(countsAgree(duplicate, List.of("body.1"))).isTrue();
        assertThat(countsAgree(source, List.of("body.1"))).isTrue();
    }

    @Test
    void recipientsStoredByAFollowUpAreCountedFromItsFacts() throws Exception {
        Random random = new Random(29);
        long source = campaign(TestData.defaults());
        List<String> phones = uploaded(source, random, 14);
        update("UPDATE campaigns SET status = 'completed', started_at = NOW(6), completed_at = NOW(6) WHERE id = ?", source);
        move(source, "pending", "sent", 10);
        List<String> sent = sqlStrings("SELECT phone_e164 FROM recipients WHERE campaign_id = ? AND status = 'sent'", source);
        Api.admin().delete("/api/whatsapp/contacts/" + sent.get(0)).then().statusCode(204);
        Api.admin().body(Map.of("consent", Map.of("status", "none"))).put("/api/whatsapp/contacts/" + sent.get(1))
                .then().statusCode(200);
        long followUp = Api.admin().body(Map.of("outcome", "not_delivered")).post(CAMPAIGNS + "/" + source + "/follow-ups")
                .then().statusCode(201).extract().jsonPath().getLong("campaign.id");

        assertThat(sqlLong("SELECT COUNT(*) FROM recipients WHERE campaign_id = ?", followUp)).isEqualTo(sent.size());
        assertThat(countsAgree(followUp, List.of("body.1"))).as("counted from the follow-up's facts").isTrue();
        assertThat(plans.counts(followUp, List.of("body.1"), true).withoutOptIn().values().stream().mapToLong(Long::longValue).sum())
                .as("the erased number and the cleared consent").isEqualTo(2);
    }

    @Test
    void aRecipientStoredAroundTheLoaderMakesTheCampaignCountByScanning() throws Exception {
        Random random = new Random(11);
        long campaign = campaign(TestData.defaults());
        List<String> phones = uploaded(campaign, random, 10);
        assertThat(countsAgree(campaign, List.of("body.1"))).isTrue();

        update("INSERT INTO recipients (campaign_id, phone_e164, status, created_at, updated_at)"
                + " VALUES (?, ?, 'pending', NOW(6), NOW(6))", campaign, phone(random));
        update("UPDATE campaign_counters SET recipients = recipients + 1 WHERE campaign_id = ? AND status = 'pending'", campaign);

        assertThat(countsAgree(campaign, List.of("body.1"))).isFalse();
        assertThat(plans.counts(campaign, List.of("body.1"), false).missingVariables().values().stream()
                .mapToLong(Long::longValue).sum()).as("the row around the loader has no variables").isEqualTo(1);
    }

    /**
     * Ten uploaded +1 202 recipients, {@code moved} of them sent, then the facts rewritten as a path that
     * stored and removed rows without telling them would leave them.
     */
    private long uploadedThenMiscounted(long seed, int moved, String facts) throws Exception {
        Random random = new Random(seed);
        long campaign = campaign(TestData.defaults());
        List<Map<String, Object>> rows = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            rows.add(Map.of("phoneNumber", "+12025" + digits(random, 6), "variables", Map.of("body.1", "Asha")));
        }
        Api.admin().body(rows).post(CAMPAIGNS + "/" + campaign + "/recipients").then().statusCode(200);
        assertThat(sqlLong("SELECT COUNT(*) FROM recipients WHERE campaign_id = ?", campaign)).isEqualTo(10);
        move(campaign, "pending", "sent", moved);
        update("DELETE FROM loaded_recipients WHERE campaign_id = ?", campaign);
        update("INSERT INTO loaded_recipients (campaign_id, prefix, recipients) VALUES " + facts.replace("?", String.valueOf(campaign)));
        return campaign;
    }

    @Test
    void factsWithoutThePrefixOfARecipientNoLongerPendingAreNotTrusted() throws Exception {
        long campaign = uploadedThenMiscounted(13, 1, "(?, '+4915', 10)");
        assertThat(countsAgree(campaign, List.of("body.1"))).isFalse();
    }

    @Test
    void factsCountingFewerRecipientsInAPrefixThanAreNoLongerPendingAreNotTrusted() throws Exception {
        long campaign = uploadedThenMiscounted(17, 3, "(?, '+1202', 2), (?, '+4915', 8)");
        assertThat(countsAgree(campaign, List.of("body.1"))).isFalse();
    }

    @Test
    void factsCountingPendingRecipientsInAPrefixThatHasNoneAreNotTrusted() throws Exception {
        long campaign = uploadedThenMiscounted(19, 0, "(?, '+1202', 9), (?, '+4915', 1)");
        assertThat(countsAgree(campaign, List.of("body.1"))).isFalse();
    }
}
