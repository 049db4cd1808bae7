package io.wacast.systemtests.console;

import static io.wacast.systemtests.console.Audience.MARKETING_LIMIT;
import static io.wacast.systemtests.console.Audience.OPTED_OUT;
import static io.wacast.systemtests.console.Audience.UNDELIVERABLE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

import com.fasterxml.jackson.databind.JsonNode;

import io.wacast.systemtests.WacastSystem;

/**
 * An operator's walk through the console in a real browser, over the packaged services: sign in with
 * the admin key, find the campaign in the table, send it and watch its analytics count up live to
 * exactly what the API reports, open its failed recipients from the Failed tile, pause, resume and
 * cancel a slower campaign from its page, sign out. Screenshots of each step land in
 * {@code target/screenshots/}; with {@code -Dwacast.screenshots.update=true} the completed campaign's
 * also replaces {@code docs/console-campaign.png}.
 */
class ConsoleWalkIT {

    private static final int PLAIN = 300;
    private static final int PER_FAULT = 5;
    /** Messages a minute: about 16 s for the whole campaign, so the page is seen counting. */
    private static final int WALK_RATE = 1_200;
    /** Messages a minute of the campaign paused and resumed: it would take minutes to finish. */
    private static final int SLOW_RATE = 60;
    /** Recipients of the replies walk: enough for every kind of answer, at the walk's rate. */
    private static final int ENGAGED = 120;
    private static final String QUICK_REPLY_TEMPLATE = "tour_quick_reply";
    private static final String INTERESTED = "Interested";
    private static final String NOT_NOW = "Not now";
    /** The analytics tiles and the stats counter each shows. */
    private static final List<String> TILES = List.of("total", "queued", "sent", "delivered", "read", "responded", "failed",
            "optedOut", "unknown");

    @RegisterExtension
    static final WacastSystem system = new WacastSystem("ConsoleWalkIT");
    private static OperatorApi admin;
    private Chromium browser;

    @BeforeAll
    static void startTheSystemAndTheConsole() {
        system.start(1);
        system.startConsole();
        system.registerTemplate();
        admin = OperatorApi.admin();
    }

    @AfterAll
    static void stopTheSystem() {
        system.close();
    }

    @BeforeEach
    void openABrowser() {
        browser = Chromium.start("ConsoleWalkIT");
    }

    @AfterEach
    void closeTheBrowser() {
        browser.close();
    }

    @Test
    void anOperatorSendsACampaignAndWatchesItsCountersReachExactlyTheApisStatsThenOpensItsFailedRecipients()
            throws IOException {
        String name = "Console walk " + Instant.now();
        long campaign = admin.createCampaign(name, WALK_RATE);
        List<String> audience = Audience.of(campaign, PLAIN, PER_FAULT, UNDELIVERABLE, MARKETING_LIMIT, OPTED_OUT);
        assertThat(admin.upload(campaign, audience)).isEqualTo(audience.size());
        long total = audience.size();

        browser.open("/login");
        browser.screenshot("01-sign-in");
        browser.signIn(admin.key());
        assertThat(browser.path()).startsWith("/campaigns");

        WebElement row = browser.find("#campaign-table tr[data-campaign='" + campaign + "']");
        assertThat(row.getText()).contains(name).contains("Draft");
        browser.screenshot("02-campaigns");
        row.findElement(By.cssSelector("a[href='/campaigns/" + campaign + "']")).click();
        browser.until("the campaign's page", () -> browser.path().equals("/campaigns/" + campaign));
        assertThat(browser.number(".tile [data-live='total']")).isEqualTo(total);

        browser.act("send");
        browser.acceptConfirm();
        browser.until("the campaign sending", () -> browser.path().startsWith("/campaigns/" + campaign + "?notice=sent")
                && "Sending".equals(browser.text("[data-live='status']")));
        // From here on the page is never reloaded: a navigation would drop this mark.
        browser.driver.executeScript("window.wacastSameDocument = true;");
        long sentAtLoad = browser.number(".tile [data-live='sent']");
        browser.until("the Sent tile counting up without a reload", () -> browser.number(".tile [data-live='sent']") > sentAtLoad);
        browser.until("a third sent", Duration.ofMinutes(2), () -> browser.number(".tile [data-live='sent']") >= total / 3);
        browser.screenshot("03-campaign-sending");

        browser.until("the badge saying Completed", Duration.ofMinutes(3),
                () -> "Completed".equals(browser.text("[data-live='status']")));
        assertThat(browser.driver.executeScript("return window.wacastSameDocument === true;"))
                .as("the page counted up live, without a reload").isEqualTo(true);
        // What is final once the campaign completed, as the live page shows it: every recipient done, each
        // either accepted by Meta (sent), refused for the marketing limit (failed) or opted out.
        JsonNode completed = admin.stats(campaign);
        Map<String, Long> live = tiles();
        assertThat(browser.number("[data-live='done']")).isEqualTo(total);
        assertThat(live.get("total")).isEqualTo(total);
        assertThat(live.get("queued")).isZero();
        assertThat(live.get("unknown")).isZero();
        assertThat(live.get("sent")).isEqualTo(completed.path("stats").path("sent").asLong()).isEqualTo(total - 2L * PER_FAULT);
        assertThat(live.get("optedOut")).isEqualTo(completed.path("stats").path("optedOut").asLong()).isEqualTo(PER_FAULT);
        assertThat(live.get("sent") + live.get("optedOut") + PER_FAULT).as("sent + opted out + refused").isEqualTo(total);

        // Once every webhook is in, the stats equal the simulator's truth, and the page shows exactly them.
        system.awaitWebhooksDelivered(Duration.ofMinutes(2));
        JsonNode truth = system.truth(campaign);
        Map<String, Long> expected = WacastSystem.expectedCounters(truth, total, 0, 0);
        await("the stats equal to the simulator's truth").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                .until(() -> WacastSystem.counters(admin.stats(campaign)).equals(expected));
        assertThat(expected.get("failed")).as("undeliverable + marketing limit").isEqualTo(2L * PER_FAULT);
        browser.open("/campaigns/" + campaign);
        Map<String, Long> api = WacastSystem.counters(admin.stats(campaign));
        Map<String, Long> shown = tiles();
        TILES.forEach(tile -> assertThat(shown.get(tile)).as(tile).isEqualTo(api.get(tile)));
        assertThat(browser.text("[data-live='status']")).isEqualTo("Completed");
        Path detail = browser.screenshot("04-campaign-completed");
        if (Boolean.getBoolean("wacast.screenshots.update")) {
            Path root = Path.of(System.getProperty("wacast.root", "..")).toAbsolutePath().normalize();
            Files.copy(detail, root.resolve("docs/console-campaign.png"), StandardCopyOption.REPLACE_EXISTING);
        }

        browser.find("a.tile-failed").click();
        browser.until("the failed recipients", () -> browser.path().equals("/campaigns/" + campaign + "/recipients?status=failed"));
        List<WebElement> rows = browser.findAll("table.table tbody tr:not(.preview-row)");
        assertThat(rows).extracting(r -> r.findElement(By.cssSelector("td.mono")).getText())
                .containsExactlyInAnyOrderElementsOf(admin.phones(campaign, "failed"))
                .hasSize(2 * PER_FAULT)
                .allSatisfy(phone -> assertThat(phone).matches(".*(" + UNDELIVERABLE + "|" + MARKETING_LIMIT + ")$"));
        assertThat(rows).extracting(r -> r.findElement(By.cssSelector(".badge")).getText()).containsOnly("Failed");
        browser.screenshot("05-recipients-failed");
    }

    @Test
    void anOperatorPausesResumesAndCancelsACampaignFromItsPageAndSignsOut() {
        long campaign = admin.createCampaign("Console pause " + Instant.now(), SLOW_RATE);
        List<String> audience = Audience.of(campaign, PLAIN, 0);
        assertThat(admin.upload(campaign, audience)).isEqualTo(audience.size());

        browser.signIn(admin.key());
        browser.open("/campaigns/" + campaign);
        browser.act("send");
        browser.acceptConfirm();
        awaitBadge(campaign, "sent", "Sending");

        browser.act("pause");
        awaitBadge(campaign, "paused", "Paused");
        assertThat(browser.text(".flash-ok")).startsWith("The campaign is paused");
        browser.screenshot("06-campaign-paused");

        browser.act("resume");
        awaitBadge(campaign, "resumed", "Sending");

        browser.act("cancel");
        browser.acceptConfirm();
        awaitBadge(campaign, "cancelled", "Cancelled");
        assertThat(browser.findAll("form[action$='/act']")).as("no action is left on a cancelled campaign").isEmpty();

        browser.find("form[action='/logout'] button").click();
        browser.until("the sign-in page", () -> browser.path().equals("/login?notice=signed-out"));
        assertThat(browser.text(".flash-ok")).isEqualTo("You are signed out.");
        assertThat(browser.findAll("#apiKey")).hasSize(1);
        browser.open("/campaigns");
        assertThat(browser.path()).as("signed out, the campaigns are behind the sign-in").isEqualTo("/login");
    }

    @Test
    void anOperatorRegistersATemplateThenBuildsACampaignInTheWizardFromACsvWithBadRowsReviewsItsPlanAndSendsIt() throws IOException {
        browser.signIn(admin.key());
        // A template registered in the console: a wrong name is shown next to its field, a good one lands in the registry.
        String template = "console_check_" + System.currentTimeMillis();
        browser.open("/templates/new");
        browser.find("#name").sendKeys("Not Valid!");
        browser.find("#language").clear();
        browser.find("#language").sendKeys("en_US");
        new org.openqa.selenium.support.ui.Select(browser.find("#category")).selectByValue("marketing");
        browser.find("#body").sendKeys("Hello {{1}}, your trip to {{2}} is ready.");
        browser.find("#template-form button[type=submit]").click();
        browser.until("the name's error next to it", () -> !browser.findAll("#name-error").isEmpty());
        assertThat(browser.text("#name-error")).contains("lowercase");
        browser.find("#name").clear();
        browser.find("#name").sendKeys(template);
        browser.find("#template-form button[type=submit]").click();
        browser.until("the template registered", () -> browser.path().equals("/templates?notice=template-added"));
        assertThat(browser.text("#templates-table")).contains(template);

        browser.open("/campaigns/new");
        String name = "Wizard walk " + Instant.now();
        browser.find("#name").sendKeys(name);
        new org.openqa.selenium.support.ui.Select(browser.find("#template")).selectByValue("tour_package_marketing::en_US");
        browser.until("the template's variable fields", () -> !browser.findAll("#variables input[data-key='body.1']").isEmpty());
        browser.find("[data-key='header.image']").sendKeys("https://tours.example.com/img/bali.jpg");
        browser.find("[data-key='body.1']").sendKeys("Bali");
        browser.find("[data-key='body.2']").sendKeys("₹45,000");
        browser.find("[data-key='button.url.0']").sendKeys("bali-7n");
        browser.until("the live preview filled in", () -> browser.text("#template-preview .bubble-body").contains("Pack your bags for Bali"));
        browser.screenshot("07-wizard-details");
        browser.find("#details-form button[type=submit]").click();
        browser.until("the audience step", () -> browser.path().matches("/campaigns/\\d+/wizard/audience"));
        long campaign = Long.parseLong(browser.path().replaceAll("\\D+", " ").trim().split(" ")[0]);

        // A CSV with the exact header the page asks for, 40 good rows, one duplicate, two bad rows.
        String header = browser.text("#csv-header");
        assertThat(header).isEqualTo("phone,name,header.image,body.1,body.2,button.url.0");
        List<String> good = Audience.of(campaign, 40, 0);
        StringBuilder csv = new StringBuilder(header).append('\n');
        good.forEach(phone -> csv.append(phone).append(",Traveller,,,,\n"));
        csv.append(good.get(0)).append(",Again,,,,\n");
        csv.append("12ab,Bad,,,,\n");
        csv.append("+91123,Short,,,,\n");
        Path file = Chromium.SCREENSHOTS.getParent().resolve("wizard-" + campaign + ".csv");
        Files.createDirectories(file.getParent());
        Files.writeString(file, csv);
        browser.find("#csv-file").sendKeys(file.toString());
        browser.until("the loader's report", Duration.ofMinutes(1), () -> !browser.findAll("#upload-report").isEmpty());
        assertThat(browser.text("#upload-report")).contains("Accepted").contains("40");
        List<WebElement> rejected = browser.findAll("#rejected-rows tbody tr");
        assertThat(rejected).extracting(r -> r.findElement(By.cssSelector("td")).getText()).containsExactly("42", "43");
        assertThat(browser.findAll("#upload-report a[download='rejected-rows.csv']")).hasSize(1);
        assertThat(browser.text("#audience-total")).contains("40");
        browser.screenshot("08-wizard-audience");

        browser.open("/campaigns/" + campaign + "/wizard/schedule");
        browser.find("#rateLimit").clear();
        browser.find("#rateLimit").sendKeys(String.valueOf(WALK_RATE));
        browser.find("#schedule-form button[type=submit]").click();
        browser.until("the review", () -> browser.path().equals("/campaigns/" + campaign + "/wizard/review"));
        assertThat(browser.number("#review-recipients")).isEqualTo(40);
        assertThat(browser.findAll("#review-limit")).as("the messaging-limit fit").hasSize(1);
        assertThat(browser.text("#review-cost")).contains("IN");
        browser.screenshot("09-wizard-review");

        browser.find("#confirm-form button[type=submit]").click();
        browser.acceptConfirm();
        browser.until("the campaign sending", () -> browser.path().equals("/campaigns/" + campaign + "?notice=sent"));
        browser.until("the badge saying Completed", Duration.ofMinutes(3),
                () -> "Completed".equals(browser.text("[data-live='status']")));
        JsonNode stats = admin.stats(campaign);
        assertThat(stats.path("stats").path("total").asLong()).isEqualTo(40);
        assertThat(stats.path("stats").path("sent").asLong()).as("every good row sent once").isEqualTo(40);
    }

    @Test
    void anOperatorImportsContactsBuildsAnAudienceWithALiveCountAndWatchesASeriesStartACampaignOfIt() throws IOException {
        browser.signIn(admin.key());
        String tag = "walk-" + System.currentTimeMillis();
        // the import: 30 good rows, one bad row (reported by row and column), consent with its evidence
        List<String> phones = Audience.of(admin.createCampaign("Contacts walk " + Instant.now(), WALK_RATE), 30, 0);
        StringBuilder csv = new StringBuilder("phone,name,language,tags,city\n");
        for (int i = 0; i < phones.size(); i++) {
            csv.append(phones.get(i)).append(",Traveller ").append(i).append(",en,").append(tag).append(';')
                    .append(i % 2 == 0 ? "even" : "odd").append(',').append(i % 3 == 0 ? "Goa" : "Pune").append('\n');
        }
        csv.append("12ab,Bad,en,").append(tag).append(",Goa\n");
        Path file = Chromium.SCREENSHOTS.getParent().resolve("contacts-" + tag + ".csv");
        Files.createDirectories(file.getParent());
        Files.writeString(file, csv);
        browser.open("/contacts/import");
        browser.find("#consented").click();
        browser.find("#evidence").sendKeys("Goa travel fair signup sheet");
        browser.find("#csv-file").sendKeys(file.toString());
        browser.until("the import's report", Duration.ofMinutes(1), () -> !browser.findAll("#upload-report").isEmpty());
        assertThat(browser.text("#upload-report")).contains("Accepted").contains("30");
        assertThat(browser.findAll("#rejected-rows tbody tr")).extracting(r -> r.findElement(By.cssSelector("td")).getText())
                .containsExactly("31"); // rows are numbered from the first data row, as the wizard's
        browser.screenshot("10-contacts-import");

        // the list filtered by the tag, then one contact with its consent record
        browser.open("/contacts?tag=" + tag);
        assertThat(browser.findAll("#contacts-table tbody tr")).hasSize(30);
        assertThat(browser.text(".pager")).contains("of 30");
        browser.screenshot("11-contacts");
        browser.find("#contacts-table tbody tr button.link").click();
        browser.until("the contact's page", () -> !browser.findAll("#consent-history").isEmpty());
        assertThat(browser.text("#consent-status")).isEqualToIgnoringCase("Opted in");
        assertThat(browser.text("#consent-history")).contains("Csv import").contains("Goa travel fair signup sheet");
        browser.screenshot("12-contact");

        // an audience: the live count follows the filter as it is typed, a bad value is named, then it is saved
        browser.open("/audiences/new");
        browser.find("#name").sendKeys("Walk " + tag);
        browser.find("#tagsAll").sendKeys(tag);
        browser.until("the live count of the tag", () -> "30".equals(browser.text("#live-count-value")));
        browser.find("input[name='attr0Name']").sendKeys("city");
        browser.find("input[name='attr0Value']").sendKeys("Goa");
        browser.until("the live count of the tag and the city", () -> "10".equals(browser.text("#live-count-value")));
        browser.find("#countries").sendKeys("XX");
        browser.until("the bad country named", () -> !browser.findAll("#live-count-error").isEmpty());
        assertThat(browser.text("#live-count-error")).contains("filter.countries[0]");
        browser.find("#countries").clear();
        browser.find("#countries").sendKeys("IN");
        browser.until("the count again", () -> "10".equals(browser.text("#live-count-value")));
        browser.screenshot("13-audience-editor");
        browser.find("#audience-form button[type=submit]").click();
        browser.until("the audience saved", () -> browser.path().matches("/audiences/\\d+\\?notice=audience-saved"));
        long audience = Long.parseLong(browser.path().replaceAll("\\D+", " ").trim().split(" ")[0]);
        assertThat(admin.json("GET", "/audiences/" + audience + "/count", null).path("contacts").asLong()).isEqualTo(10);
        browser.open("/audiences");
        browser.until("the audience's count in its row",
                () -> !browser.findAll("#audiences-table [data-count='" + audience + "']").isEmpty());
        assertThat(browser.number("#audiences-table [data-count='" + audience + "']")).isEqualTo(10);
        browser.screenshot("14-audiences");

        // a series every minute on that audience: the service's own starter starts an occurrence as a campaign
        JsonNode series = admin.json("POST", "/series", """
                {"name":"Walk series %s","audienceId":%d,"templateName":"tour_package_marketing","templateLanguage":"en_US",
                 "templateVariables":{"header.image":"https://tours.example.com/img/goa.jpg","body.1":"Goa","body.2":"₹9,999",
                 "button.url.0":"goa"},"schedule":{"cron":"* * * * *"},"timeZone":"Asia/Kolkata","maxOccurrences":3}"""
                .formatted(tag, audience));
        long id = series.path("id").asLong();
        browser.open("/series");
        assertThat(browser.text("#series-table tr[data-series='" + id + "']")).contains("Active").contains("Asia/Kolkata");
        browser.screenshot("15-series");
        browser.open("/series/" + id);
        browser.until("an occurrence started as a campaign", Duration.ofMinutes(2), () -> {
            browser.open("/series/" + id);
            return !browser.findAll("#occurrences-table a[href^='/campaigns/']").isEmpty();
        });
        browser.find("#series-pause").click();
        browser.until("the series paused", () -> browser.path().equals("/series/" + id + "?notice=series-paused"));
        assertThat(browser.text("#series-status")).isEqualTo("Paused");
        assertThat(admin.json("GET", "/series/" + id, null).path("status").asText()).isEqualTo("paused");
        browser.screenshot("16-series-occurrences");
        String link = browser.find("#occurrences-table a[href^='/campaigns/']").getAttribute("href");
        long campaign = Long.parseLong(link.substring(link.lastIndexOf('/') + 1));
        assertThat(admin.json("GET", "/campaigns/" + campaign + "/audience", null).path("snapshot").path("added").asLong())
                .as("the occurrence's campaign took the audience's 10 contacts").isEqualTo(10);
        browser.find("#occurrences-table a[href^='/campaigns/']").click();
        browser.until("the occurrence's campaign page", () -> browser.path().equals("/campaigns/" + campaign));
        browser.open("/series/" + id);
        browser.find("#series-resume").click();
        browser.until("the series active again", () -> browser.path().equals("/series/" + id + "?notice=series-resumed"));
        assertThat(browser.text("#series-status")).isEqualTo("Active");
        admin.json("POST", "/series/" + id + "/end", null);
    }

    /**
     * Recurring campaigns and saved audiences from the console (issues 15 and 16): the new-series form
     * with a live count of the chosen audience, a bad time named by the API shown next to its field
     * (everything typed kept), then the series as the API stores it; the same form edits it (filled with
     * the series, a bad cron rule named next to its field, then the API's new rule, zone and next
     * occurrence, shown on the series' page); the wizard's audience step targets
     * the same audience instead of an upload, with its live count, and the campaign's page names it.
     */
    @Test
    void anOperatorCreatesASeriesInItsFormSeesABadTimeNextToItsFieldAndTargetsASavedAudienceFromTheWizard() {
        String tag = "series-form-" + System.currentTimeMillis();
        List<String> phones = Audience.of(admin.createCampaign("Series form contacts " + Instant.now(), WALK_RATE), 6, 0);
        phones.forEach(phone -> admin.json("PUT", "/contacts/" + URLEncoder.encode(phone, StandardCharsets.UTF_8), """
                {"name":"Traveller","tags":["%s"],"attributes":{"city":"Goa"},"consent":{"status":"opted_in","source":"api"}}"""
                .formatted(tag)));
        String audienceName = "Series form " + tag;
        long audience = admin.json("POST", "/audiences", """
                {"name":"%s","filter":{"tags":{"all":["%s"]}}}""".formatted(audienceName, tag)).path("id").asLong();

        browser.signIn(admin.key());
        browser.open("/series");
        browser.find("#series-new").click();
        browser.until("the new-series form", () -> browser.path().equals("/series/new"));
        assertThat(browser.find("#timeZone").getAttribute("value")).as("the operator's own zone by default").isNotBlank();
        assertThat(browser.findAll("#timeZone option")).as("every IANA zone").hasSizeGreaterThan(300);
        assertThat(browser.find("#cron").isDisplayed()).as("the cron rule hidden while days and times are chosen").isFalse();
        browser.screenshot("20-series-form");

        String name = "Weekly Goa " + tag;
        browser.find("#name").sendKeys(name);
        new Select(browser.find("#audienceId")).selectByValue(String.valueOf(audience));
        browser.until("the audience's live count", () -> "6".equals(browser.text("#audience-count-value")));
        new Select(browser.find("#template")).selectByValue("tour_package_marketing::en_US");
        browser.until("the template's variables, each with its attribute",
                () -> !browser.findAll("#variables input[data-key='body.1']").isEmpty()
                        && !browser.findAll("#variables input[data-attr-key='body.1']").isEmpty());
        browser.find("[data-key='header.image']").sendKeys("https://tours.example.com/img/goa.jpg");
        browser.find("[data-attr-key='body.1']").sendKeys("city");
        browser.find("[data-key='body.1']").sendKeys("Goa");
        browser.find("[data-key='body.2']").sendKeys("₹9,999");
        browser.find("[data-key='button.url.0']").sendKeys("goa");
        browser.find("#day-thursday").click();
        browser.find("#times").clear();
        browser.find("#times").sendKeys("10:00, 25:00");
        new Select(browser.find("#timeZone")).selectByValue("Asia/Kolkata");
        browser.find("#maxOccurrences").sendKeys("3");
        browser.find("#minIntervalHours").clear();
        browser.find("#minIntervalHours").sendKeys("48");
        browser.find("#series-form button[type=submit]").click();
        browser.until("the bad time named next to its field", () -> !browser.findAll("#times-error").isEmpty());
        assertThat(browser.text("#times-error")).contains("not a time like 10:00").contains("25:00");
        assertThat(browser.find("#times").getAttribute("aria-invalid")).isEqualTo("true");
        assertThat(browser.find("#name").getAttribute("value")).as("what was typed is kept").isEqualTo(name);
        assertThat(browser.find("#day-thursday").isSelected()).isTrue();
        assertThat(browser.find("#timeZone").getAttribute("value")).isEqualTo("Asia/Kolkata");
        assertThat(browser.find("[data-attr-key='body.1']").getAttribute("value")).isEqualTo("city");
        assertThat(admin.json("GET", "/series?size=1000", null).findValuesAsText("name")).as("nothing created").doesNotContain(name);
        browser.screenshot("21-series-form-error");

        browser.find("#times").clear();
        browser.find("#times").sendKeys("10:00, 18:00");
        browser.find("#series-form button[type=submit]").click();
        try {
            browser.until("the series created", () -> browser.path().matches("/series/\\d+\\?notice=series-created"));
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            browser.screenshot("21b-series-form-refused");
            throw new AssertionError("not created; the page says: " + browser.text("main"), e);
        }
        long id = Long.parseLong(browser.path().replaceAll("/series/(\\d+)\\?.*", "$1"));
        JsonNode series = admin.json("GET", "/series/" + id, null);
        assertThat(series.path("name").asText()).isEqualTo(name);
        assertThat(series.path("audienceId").asLong()).isEqualTo(audience);
        assertThat(series.path("timeZone").asText()).isEqualTo("Asia/Kolkata");
        assertThat(series.path("maxOccurrences").asInt()).isEqualTo(3);
        assertThat(series.path("minIntervalHours").asInt()).isEqualTo(48);
        assertThat(series.path("templateVariables").path("body.1").asText()).isEqualTo("Goa");
        assertThat(series.path("variables").path("body.1").asText()).isEqualTo("city");
        assertThat(series.path("upcoming")).as("the next occurrences, Mondays and Thursdays at 10:00 and 18:00 in Kolkata")
                .isNotEmpty().allSatisfy(at -> assertThat(java.time.Instant.parse(at.asText()).atZone(java.time.ZoneId.of("Asia/Kolkata")))
                        .satisfies(local -> {
                            assertThat(local.getDayOfWeek()).isIn(java.time.DayOfWeek.MONDAY, java.time.DayOfWeek.THURSDAY);
                            assertThat(local.toLocalTime().toString()).isIn("10:00", "18:00");
                        }));
        assertThat(browser.text("#series-status")).isEqualTo("Active");
        assertThat(browser.text(".flash-ok")).startsWith("The series is active");
        browser.screenshot("22-series-created");

        // the operator edits it in the same form, filled with the series as it is
        List<String> upcomingBefore = browser.findAll("#series-upcoming li").stream().map(WebElement::getText).toList();
        browser.find("#series-edit").click();
        browser.until("the series' edit form", () -> browser.path().equals("/series/" + id + "/edit"));
        assertThat(browser.find("#name").getAttribute("value")).isEqualTo(name);
        assertThat(browser.find("#audienceId").getAttribute("value")).isEqualTo(String.valueOf(audience));
        assertThat(browser.find("#template").getAttribute("value")).isEqualTo("tour_package_marketing::en_US");
        assertThat(browser.find("#day-monday").isSelected()).as("its rule as the days and times it was made of").isTrue();
        assertThat(browser.find("#day-thursday").isSelected()).isTrue();
        assertThat(browser.find("#day-friday").isSelected()).isFalse();
        assertThat(browser.find("#times").getAttribute("value")).isEqualTo("10:00, 18:00");
        assertThat(browser.find("#timeZone").getAttribute("value")).isEqualTo("Asia/Kolkata");
        assertThat(browser.find("#maxOccurrences").getAttribute("value")).isEqualTo("3");
        assertThat(browser.find("#minIntervalHours").getAttribute("value")).isEqualTo("48");
        assertThat(browser.find("[data-attr-key='body.1']").getAttribute("value")).isEqualTo("city");
        assertThat(browser.find("[data-key='body.2']").getAttribute("value")).isEqualTo("₹9,999");
        assertThat(browser.text("#series-form button[type=submit]")).isEqualTo("Save changes");
        browser.screenshot("22b-series-edit-form");

        String renamed = name + " (Saturdays)";
        browser.find("#name").clear();
        browser.find("#name").sendKeys(renamed);
        browser.find("input[name='mode'][value='cron']").click();
        browser.until("the cron rule shown", () -> browser.find("#cron").isDisplayed());
        browser.find("#cron").clear();
        browser.find("#cron").sendKeys("30 9 * * SAT,SUNDAY");
        new Select(browser.find("#timeZone")).selectByValue("Europe/Berlin");
        browser.find("#minIntervalHours").clear();
        browser.find("#minIntervalHours").sendKeys("72");
        browser.find("#series-form button[type=submit]").click();
        browser.until("the bad rule named next to its field", () -> !browser.findAll("#cron-error").isEmpty());
        assertThat(browser.text("#cron-error")).contains("day-of-week").contains("SUNDAY");
        assertThat(browser.find("#cron").getAttribute("aria-invalid")).isEqualTo("true");
        assertThat(browser.find("#cron").getAttribute("value")).as("what was typed is kept").isEqualTo("30 9 * * SAT,SUNDAY");
        assertThat(browser.find("#name").getAttribute("value")).isEqualTo(renamed);
        assertThat(browser.find("#timeZone").getAttribute("value")).isEqualTo("Europe/Berlin");
        assertThat(browser.find("#minIntervalHours").getAttribute("value")).isEqualTo("72");
        assertThat(browser.find("[data-attr-key='body.1']").getAttribute("value")).isEqualTo("city");
        assertThat(admin.json("GET", "/series/" + id, null).path("name").asText()).as("nothing changed").isEqualTo(name);
        browser.screenshot("22c-series-edit-error");

        browser.find("#cron").clear();
        browser.find("#cron").sendKeys("30 9 * * SAT");
        browser.find("#series-form button[type=submit]").click();
        try {
            browser.until("the series edited", () -> browser.path().equals("/series/" + id + "?notice=series-edited"));
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            browser.screenshot("22d-series-edit-refused");
            throw new AssertionError("not edited; the page says: " + browser.text("main"), e);
        }
        JsonNode edited = admin.json("GET", "/series/" + id, null);
        assertThat(edited.path("name").asText()).isEqualTo(renamed);
        assertThat(edited.path("schedule").asText()).isEqualTo("30 9 * * SAT");
        assertThat(edited.path("timeZone").asText()).isEqualTo("Europe/Berlin");
        assertThat(edited.path("minIntervalHours").asInt()).isEqualTo(72);
        assertThat(edited.path("maxOccurrences").asInt()).isEqualTo(3);
        assertThat(edited.path("audienceId").asLong()).isEqualTo(audience);
        assertThat(edited.path("variables").path("body.1").asText()).as("the mapping the operator did not touch stays").isEqualTo("city");
        assertThat(edited.path("status").asText()).isEqualTo("active");
        java.time.ZonedDateTime next = Instant.parse(edited.path("nextOccurrenceAt").asText()).atZone(java.time.ZoneId.of("Europe/Berlin"));
        assertThat(next.getDayOfWeek()).isEqualTo(java.time.DayOfWeek.SATURDAY);
        assertThat(next.toLocalTime().toString()).isEqualTo("09:30");
        assertThat(edited.path("upcoming")).as("three occurrences at most, none yet").hasSize(3);
        assertThat(browser.text(".flash-ok")).startsWith("The series is changed");
        assertThat(browser.text("h1")).contains(renamed);
        assertThat(browser.text("#series-fields")).contains("30 9 * * SAT").contains("Europe/Berlin");
        List<String> upcomingAfter = browser.findAll("#series-upcoming li").stream().map(WebElement::getText).toList();
        assertThat(upcomingAfter).as("the page shows the new next occurrences").hasSize(3).isNotEqualTo(upcomingBefore);
        browser.screenshot("22e-series-edited");
        admin.json("POST", "/series/" + id + "/end", null);

        // the wizard's audience step: the saved audience instead of an upload, with its live count
        long campaign = admin.createCampaign("Audience walk " + Instant.now(), WALK_RATE);
        browser.open("/campaigns/" + campaign + "/wizard/audience");
        browser.find("#target-form button[type=submit]").click();
        browser.until("the missing choice named", () -> !browser.findAll("#audienceId-error").isEmpty());
        new Select(browser.find("#audienceId")).selectByValue(String.valueOf(audience));
        browser.until("the audience's live count", () -> "6".equals(browser.text("#audience-count-value")));
        browser.find("[name='attr.body.1']").sendKeys("city");
        browser.find("#target-form button[type=submit]").click();
        browser.until("the audience targeted",
                () -> browser.path().equals("/campaigns/" + campaign + "/wizard/audience?notice=audience-targeted"));
        assertThat(browser.text("#audience-targeted")).contains(audienceName);
        browser.until("the targeted audience's count", () -> browser.text("#audience-targeted").contains("(6 contacts now)"));
        JsonNode target = admin.json("GET", "/campaigns/" + campaign + "/audience", null);
        assertThat(target.path("audienceId").asLong()).isEqualTo(audience);
        assertThat(target.path("variables").path("body.1").asText()).isEqualTo("city");
        browser.screenshot("23-wizard-saved-audience");

        browser.open("/campaigns/" + campaign);
        assertThat(browser.find("#campaign-audience a").getAttribute("href")).endsWith("/audiences/" + audience);
        assertThat(browser.text("#campaign-audience a")).isEqualTo(audienceName);
        browser.until("the audience's count on the campaign's page", () -> browser.text("#campaign-audience").contains("6 contacts now"));
        browser.screenshot("24-campaign-audience");

        browser.open("/campaigns/" + campaign + "/wizard/audience");
        browser.find("button[form='untarget-form']").click();
        browser.until("the audience no longer targeted",
                () -> browser.path().equals("/campaigns/" + campaign + "/wizard/audience?notice=audience-untargeted"));
        assertThat(browser.findAll("#audience-targeted")).isEmpty();
        assertThat(admin.refusal("GET", "/campaigns/" + campaign + "/audience")).as("no audience targeted any more").isNotBlank();
    }

    /**
     * Replies, buttons and revenue on the campaign's page (issue 16): users of a quick-reply campaign
     * press its buttons, write (some without quoting it), stop and order; once every webhook is in, the
     * page shows the replies by kind, the presses by payload, the orders, the conversion rate and the
     * revenue exactly as the stats API counts them (equal to the simulator's truth). The operator
     * retargets those who pressed Interested from its row: a draft of exactly them. A button nobody
     * pressed is refused on the page, naming the payload, and creates nothing.
     */
    /**
     * Meta's word on the account, as an operator reads it: the simulator sends a number quality update
     * (the messaging-limit tier raised to 10K), a portfolio's business capability (10,000 users a day)
     * and a template quality rating (yellow); the Numbers page and the templates list show exactly what
     * the API stored, and "Sync from Meta" reads the account's templates and says what it did.
     */
    @Test
    void anOperatorReadsHowMetaRatesTheNumberThePortfolioAndATemplateAndSyncsTheTemplates() {
        String number = admin.json("GET", "/numbers", null).path("numbers").path(0).path("phoneNumberId").asText();
        system.configureSimulator("""
                {"signals":[{"field":"phone_number_quality_update","phoneNumberId":"%s","event":"UPGRADE","currentLimit":"TIER_10K"},
                 {"field":"business_capability_update","messagingLimit":10000},
                 {"field":"message_template_quality_update","template":"tour_package_marketing","language":"en_US","quality":"YELLOW"}]}"""
                .formatted(number));
        // (other tests' numbers may carry the same tier: the one Meta named here is found by its id)
        java.util.concurrent.atomic.AtomicReference<String> rowKey = new java.util.concurrent.atomic.AtomicReference<>();
        await("Meta's three reports stored").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).until(() -> {
            JsonNode numbers = admin.json("GET", "/numbers", null);
            for (JsonNode n : numbers.path("numbers")) {
                if (number.equals(n.path("phoneNumberId").asText()) && "TIER_10K".equals(n.path("currentLimit").asText())
                        && "UPGRADE".equals(n.path("lastEvent").asText())) {
                    rowKey.set(number);
                }
            }
            boolean limit = false;
            for (JsonNode p : numbers.path("portfolios")) {
                limit |= p.path("messagingLimit").asLong() == 10_000;
            }
            boolean quality = false;
            for (JsonNode t : admin.json("GET", "/templates", null)) {
                quality |= "tour_package_marketing".equals(t.path("name").asText()) && "yellow".equalsIgnoreCase(t.path("quality").asText());
            }
            return rowKey.get() != null && limit && quality;
        });

        browser.signIn(admin.key());
        browser.open("/numbers");
        WebElement row = browser.find("#numbers-table tr[data-number='" + rowKey.get() + "']");
        assertThat(row.findElement(By.cssSelector("[data-cell='tier']")).getText()).isEqualTo("10,000 users / 24 h");
        assertThat(row.findElement(By.cssSelector("[data-cell='quality']")).getText()).as("a badge, capitalised by its style")
                .isEqualToIgnoringCase("Good standing");
        assertThat(row.findElement(By.cssSelector("[data-cell='event']")).getText()).startsWith("Upgrade");
        assertThat(browser.text("#portfolios-table")).contains("10,000 users / 24 h").containsIgnoringCase("Allowed");
        browser.screenshot("25-numbers");

        browser.open("/templates");
        WebElement template = browser.findAll("#templates-table tbody tr").stream()
                .filter(tr -> tr.getText().startsWith("tour_package_marketing")).findFirst().orElseThrow();
        assertThat(template.findElement(By.cssSelector("[data-cell='quality']")).getText()).isEqualToIgnoringCase("Yellow");
        long before = admin.json("GET", "/templates", null).size();
        browser.find("#sync-templates").click();
        browser.until("the sync's report", () -> !browser.findAll("#sync-report").isEmpty());
        assertThat(browser.text("#sync-report")).startsWith("Synced with Meta:").contains("read").contains("new");
        long created = Long.parseLong(browser.text("#sync-report").replaceAll(".* read, ([0-9,]+) new.*", "$1").replace(",", ""));
        assertThat(admin.json("GET", "/templates", null).size()).as("templates after the sync")
                .isEqualTo(before + created);
        browser.screenshot("26-templates-synced");
    }

    @Test
    void anOperatorReadsRepliesButtonsAndRevenueOnTheCampaignPageAndRetargetsThoseWhoPressedInterested() {
        system.registerQuickReplyTemplate(QUICK_REPLY_TEMPLATE, INTERESTED, NOT_NOW);
        system.configureSimulator("""
                {"outcomes":{"reply":0.5,"optOut":0.05,"order":0.25},
                 "replies":{"buttonPress":0.7,"unquoted":0.3,"buttons":[{"text":"%s","share":3},{"text":"%s","share":1}]}}"""
                .formatted(INTERESTED, NOT_NOW));
        try {
            long campaign = admin.createCampaign("Console replies " + Instant.now(), QUICK_REPLY_TEMPLATE, WALK_RATE);
            List<String> audience = Audience.of(campaign, ENGAGED, 0);
            assertThat(admin.upload(campaign, audience)).isEqualTo(audience.size());
            // the page open before the send: its replies and buttons tables fill in live, without a reload
            browser.signIn(admin.key());
            browser.open("/campaigns/" + campaign);
            assertThat(browser.findAll("[data-live='replyKinds'] tbody tr.empty-row")).hasSize(1);
            assertThat(browser.text("[data-live='revenue']")).isEqualTo("—");
            browser.driver.executeScript("window.wacastSameDocument = true;");
            admin.json("POST", "/campaigns/" + campaign + "/send", null);
            // (rows are looked up again while the stream replaces them)
            browser.until("replies by kind and presses by payload, live", Duration.ofMinutes(2),
                    () -> !table("[data-live='replyKinds']").isEmpty() && !table("[data-live='buttons']").isEmpty()
                            && Set.of(INTERESTED, NOT_NOW).containsAll(table("[data-live='buttons']").keySet()));
            assertThat(browser.driver.executeScript("return window.wacastSameDocument === true;"))
                    .as("the tables filled in live, without a reload").isEqualTo(true);
            browser.screenshot("17a-campaign-replies-live");
            await("the campaign completed").atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(500))
                    .until(() -> admin.status(campaign).equals("completed"));
            system.awaitWebhooksDelivered(Duration.ofMinutes(2));
            JsonNode engagement = system.truth(campaign).path("engagement");
            await("replies, buttons and revenue equal to the simulator's truth").atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
                        JsonNode stats = admin.stats(campaign);
                        assertThat(longs(stats.path("replies"))).isEqualTo(longs(engagement.path("replies")));
                        assertThat(longs(stats.path("buttons"))).isEqualTo(longs(engagement.path("buttons")));
                        assertThat(longs(stats.path("revenue"))).isEqualTo(longs(engagement.path("revenueMinor")));
                    });
            JsonNode stats = admin.stats(campaign);
            Map<String, Long> buttons = longs(stats.path("buttons"));
            assertThat(buttons).as("presses").containsKey(INTERESTED);
            assertThat(stats.path("stats").path("orders").asLong()).as("orders").isPositive();

            browser.open("/campaigns/" + campaign);
            Map<String, Long> kinds = new TreeMap<>();
            table("[data-live='replyKinds']").forEach((kind, count) -> kinds.put(kind.toLowerCase(), count));
            assertThat(kinds).as("replies by kind on the page").isEqualTo(longs(stats.path("replies")));
            assertThat(table("[data-live='buttons']")).as("buttons by payload on the page").isEqualTo(buttons);
            assertThat(browser.number("[data-live='replies']")).isEqualTo(stats.path("stats").path("replies").asLong());
            assertThat(browser.number("[data-live='orders']")).isEqualTo(stats.path("stats").path("orders").asLong());
            assertThat(browser.number("[data-live='converted']")).isEqualTo(stats.path("stats").path("converted").asLong());
            assertThat(browser.text("[data-live='conversionRate']"))
                    .isEqualTo(String.format(Locale.US, "%.2f%%", stats.path("metrics").path("values").path("conversionRate").asDouble()));
            long rupees = stats.path("revenue").path("INR").asLong();
            assertThat(browser.text("[data-live='revenue']"))
                    .isEqualTo("INR " + String.format(Locale.US, "%,d.%02d", rupees / 100, rupees % 100));
            browser.screenshot("17-campaign-replies");
            // what Meta charges for (its status webhooks' pricing) and what its template pacing held, as the API says
            assertThat(stats.path("charges").path("messages").asLong()).as("messages Meta charges for").isPositive();
            await("charges and pacing on the page equal to the API's").atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
                        JsonNode now = admin.stats(campaign);
                        browser.open("/campaigns/" + campaign);
                        assertThat(browser.number("[data-live='charged']")).isEqualTo(now.path("charges").path("messages").asLong());
                        assertThat(browser.text("[data-live='chargedCost']")).isEqualTo(cost(now.path("charges").path("cost")));
                        assertThat(browser.number("[data-live='heldForQualityAssessment']"))
                                .isEqualTo(now.path("pacing").path("heldForQualityAssessment").asLong());
                        assertThat(browser.number("[data-live='pacingPaused']")).isEqualTo(now.path("pacing").path("paused").asLong());
                    });
            browser.screenshot("17b-campaign-charges");

            browser.find("[data-live='buttons'] tbody tr button[aria-label='Retarget those who pressed " + INTERESTED + "']").click();
            browser.until("the follow-up draft", () -> browser.path().matches("/campaigns/\\d+\\?notice=follow-up"));
            long followUp = Long.parseLong(browser.path().replaceAll("/campaigns/(\\d+)\\?.*", "$1"));
            assertThat(followUp).isNotEqualTo(campaign);
            assertThat(browser.text("[data-live='status']")).isEqualTo("Draft");
            assertThat(browser.text(".flash-ok")).startsWith("A follow-up draft");
            assertThat(browser.number(".tile [data-live='total']")).as("those who pressed Interested")
                    .isEqualTo(buttons.get(INTERESTED));
            JsonNode followUps = admin.json("GET", "/campaigns/" + campaign + "/follow-ups", null);
            assertThat(followUps).hasSize(1);
            assertThat(followUps.get(0).path("campaignId").asLong()).isEqualTo(followUp);
            assertThat(followUps.get(0).path("outcome").asText()).isEqualTo("clicked");
            assertThat(followUps.get(0).path("recipients").asLong()).isEqualTo(buttons.get(INTERESTED));
            browser.screenshot("18-follow-up-draft");

            // a button nobody pressed (the form altered in the page): refused on the page, nothing made
            long campaignsBefore = admin.json("GET", "/campaigns?size=1", null).path("total").asLong();
            browser.open("/campaigns/" + campaign);
            browser.driver.executeScript("const form = document.querySelector(\"form[action$='/follow-ups'] input[name='payload']\").form;"
                    + " form.querySelector(\"input[name='payload']\").value = 'Nobody pressed this'; form.submit();");
            browser.until("the refusal", () -> !browser.findAll(".flash-error").isEmpty());
            assertThat(browser.text(".flash-error")).contains("payload");
            assertThat(admin.json("GET", "/campaigns/" + campaign + "/follow-ups", null)).hasSize(1);
            assertThat(admin.json("GET", "/campaigns?size=1", null).path("total").asLong()).isEqualTo(campaignsBefore);
            browser.screenshot("19-follow-up-refused");
        } finally {
            system.configureSimulator("{\"outcomes\":{\"reply\":0.1,\"optOut\":0.02,\"order\":0.03}}");
        }
    }

    /** A two-column table of the page (label, count) as a map. */
    private Map<String, Long> table(String css) {
        Map<String, Long> rows = new TreeMap<>();
        for (WebElement row : browser.findAll(css + " tbody tr:not(.empty-row)")) {
            List<WebElement> cells = row.findElements(By.cssSelector("td"));
            rows.put(cells.get(0).getText().strip(), Long.parseLong(cells.get(1).getText().replace(",", "").strip()));
        }
        return rows;
    }

    /** The page's way of showing a rate card's amounts: "USD 0.0800" → "USD 0.08", " · " between currencies. */
    private static String cost(JsonNode totals) {
        List<String> shown = new java.util.ArrayList<>();
        for (JsonNode total : totals) {
            java.math.BigDecimal amount = new java.math.BigDecimal(total.path("amount").asText()).stripTrailingZeros();
            shown.add(total.path("currency").asText() + " " + (amount.scale() < 2 ? amount.setScale(2) : amount).toPlainString());
        }
        return shown.isEmpty() ? "—" : String.join(" · ", shown);
    }

    private static Map<String, Long> longs(JsonNode object) {
        Map<String, Long> values = new TreeMap<>();
        object.fields().forEachRemaining(field -> values.put(field.getKey(), field.getValue().asLong()));
        return values;
    }

    /** Waits for the page the action redirected to ({@code ?notice=}) to say {@code label}; the API must agree. */
    private void awaitBadge(long campaign, String notice, String label) {
        browser.until("the badge saying " + label, () -> browser.path().equals("/campaigns/" + campaign + "?notice=" + notice)
                && label.equals(browser.text("[data-live='status']")));
        assertThat(admin.status(campaign)).isEqualTo(label.toLowerCase());
    }

    /** The analytics tiles as the page shows them now. */
    private Map<String, Long> tiles() {
        Map<String, Long> tiles = new LinkedHashMap<>();
        TILES.forEach(tile -> tiles.put(tile, browser.number(".tile [data-live='" + tile + "']")));
        return tiles;
    }
}
