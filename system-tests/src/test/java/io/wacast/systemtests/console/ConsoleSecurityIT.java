package io.wacast.systemtests.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.WebElement;

import io.wacast.common.testing.ServiceProcess;
import io.wacast.systemtests.WacastSystem;

/**
 * What the console must never do, in a real browser over the packaged services: show a viewer an
 * action, carry out an action the campaign-service refuses (its refusal is the page's answer, not a
 * stack trace), accept a form without its CSRF token, or let an API key out — into a page, a URL the
 * browser requested, or its own log.
 */
class ConsoleSecurityIT {

    /** Not a key anyone holds, and easy to find wherever it might leak. */
    private static final String UNKNOWN_KEY = "wck_ConsoleSecurityIT_unknown_key_0123456789abcdef";

    @RegisterExtension
    static final WacastSystem system = new WacastSystem("ConsoleSecurityIT");
    private static ServiceProcess console;
    private static OperatorApi admin;
    private static String viewerKey;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
    private Chromium browser;

    @BeforeAll
    static void startTheSystemAndTheConsole() {
        system.start(0); // nothing here is sent: no sender replica
        console = system.startConsole();
        system.registerTemplate();
        admin = OperatorApi.admin();
        viewerKey = admin.createKey("ConsoleSecurityIT viewer " + Instant.now().toEpochMilli(), "viewer");
        assertThat(viewerKey).isNotBlank();
    }

    @AfterAll
    static void stopTheSystem() {
        system.close();
    }

    @BeforeEach
    void openABrowser() {
        browser = Chromium.start("ConsoleSecurityIT");
    }

    @AfterEach
    void closeTheBrowser() {
        browser.close();
    }

    /** One key store (docs/DESIGN.md D21): a key the campaign-service issues works on the catalog, until revoked there. */
    @Test
    void aKeyIssuedByTheCampaignServiceWorksOnTheCatalogWithItsRoleAndStopsOnceRevokedThere() {
        String name = "ConsoleSecurityIT catalog viewer " + Instant.now().toEpochMilli();
        OperatorApi viewer = new OperatorApi(admin.createKey(name, "viewer"));
        assertThat(viewer.catalogStatus("GET", "/catalogs", null)).isEqualTo(200);
        assertThat(viewer.catalogStatus("POST", "/catalogs", "{\"name\":\"not allowed\"}")).isEqualTo(403);
        assertThat(new OperatorApi(UNKNOWN_KEY).catalogStatus("GET", "/catalogs", null)).isEqualTo(401);

        admin.revokeKey(admin.keyId(name));
        org.awaitility.Awaitility.await("the catalog forgets the revoked key (it remembers an answer 30 s)")
                .atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(2))
                .until(() -> viewer.catalogStatus("GET", "/catalogs", null) == 401);
    }

    /** The audit log (docs/DESIGN.md D21): an admin reads who changed what; anyone else is turned away. */
    @Test
    void anAdminReadsWhoChangedWhatInTheAuditLogAndOthersAreTurnedAway() {
        String name = "ConsoleSecurityIT auditor " + Instant.now().toEpochMilli();
        OperatorApi operator = new OperatorApi(admin.createKey(name, "operator"));
        long campaign = operator.createCampaign("ConsoleSecurityIT audited " + Instant.now(), 600);

        browser.signIn(admin.key());
        assertThat(browser.findAll("nav a[href='/audit-log']")).as("an admin's menu links the audit log").hasSize(1);
        browser.open("/audit-log?actor=" + URLEncoder.encode(name, StandardCharsets.UTF_8));
        browser.until("the operator's change in the audit log", Duration.ofSeconds(60), () -> {
            if (browser.findAll("#audit-table tbody tr").isEmpty()) {
                browser.open("/audit-log?actor=" + URLEncoder.encode(name, StandardCharsets.UTF_8));
                return false;
            }
            return true;
        });
        List<WebElement> rows = browser.findAll("#audit-table tbody tr");
        assertThat(rows).as("only the operator's own changes: %s", rows.stream().map(WebElement::getText).toList())
                .allSatisfy(row -> assertThat(row.getText()).contains(name));
        assertThat(rows).as("the campaign it created").anySatisfy(row -> assertThat(row.getText())
                .contains("POST").contains("/api/whatsapp/campaigns").contains("201").containsIgnoringCase("operator"));
        browser.screenshot("audit-log");

        browser.open("/audit-log?from=yesterday");
        assertThat(browser.text("#audit-from-error")).contains("A day such as");

        browser.find("form[action='/logout'] button").click();
        browser.until("signed out", () -> browser.path().startsWith("/login"));
        browser.signIn(operator.key());
        assertThat(browser.findAll("nav a[href='/audit-log']")).as("an operator's menu has no audit log").isEmpty();
        browser.open("/audit-log");
        assertThat(browser.text(".empty")).contains("Only admins read the audit log");
        assertThat(browser.findAll("#audit-table")).isEmpty();
        assertThat(campaign).isPositive();
    }

    @Test
    void aViewerSeesNoActionAndAForgedActionIsAnsweredWithTheCampaignServicesRefusal() {
        long campaign = draftWithRecipients("viewer");
        browser.signIn(viewerKey);
        assertThat(browser.text(".who .badge")).isEqualToIgnoringCase("viewer");

        for (String page : List.of("/campaigns", "/campaigns/" + campaign, "/campaigns/" + campaign + "/recipients")) {
            browser.open(page);
            assertThat(browser.findAll("form[action$='/act']")).as("action forms on %s", page).isEmpty();
        }

        // The viewer's own session and a valid CSRF token: only the campaign-service's role check stands in the way.
        String upstreamRefusal = new OperatorApi(viewerKey).refusal("POST", "/campaigns/" + campaign + "/send");
        HttpResponse<String> forged = postAct(campaign, "send", true);
        assertThat(forged.statusCode()).isEqualTo(403);
        assertThat(forged.body()).contains(upstreamRefusal)
                .doesNotContain("Exception", "io.wacast.", "\tat ");
        assertThat(admin.status(campaign)).as("the campaign did not move").isEqualTo("draft");
    }

    @Test
    void aFormWithoutItsCsrfTokenIsRefusedAndChangesNothing() {
        long campaign = draftWithRecipients("csrf");
        browser.signIn(admin.key());
        browser.open("/campaigns/" + campaign);
        assertThat(browser.findAll("form[action$='/act']")).as("an admin sees the actions").isNotEmpty();

        HttpResponse<String> withoutToken = postAct(campaign, "send", false);
        assertThat(withoutToken.statusCode()).isEqualTo(400);
        assertThat(admin.status(campaign)).as("the campaign did not move").isEqualTo("draft");

        HttpResponse<String> withToken = postAct(campaign, "cancel", true);
        assertThat(withToken.statusCode()).as("the same request with its token: %s", withToken.body()).isEqualTo(303);
        assertThat(admin.status(campaign)).isEqualTo("cancelled");
    }

    @Test
    void noApiKeyEverAppearsInAPageInAUrlTheBrowserRequestedOrInTheConsolesLog() throws IOException {
        long campaign = draftWithRecipients("leak");

        browser.signIn(UNKNOWN_KEY);
        assertThat(browser.path()).isEqualTo("/login");
        assertThat(browser.text(".field-error")).contains("unknown");

        browser.signIn(viewerKey);
        visitEveryPageOf(campaign);
        postAct(campaign, "send", true); // refused upstream: an error path, where keys tend to be logged
        postAct(campaign, "send", false); // refused by the CSRF check
        browser.find("form[action='/logout'] button").click();
        browser.until("signed out", () -> browser.path().startsWith("/login"));

        browser.signIn(admin.key());
        visitEveryPageOf(campaign);
        assertThat(browser.cookie("wacast_session").getValue()).as("the session cookie is sealed")
                .doesNotContain(admin.key()).doesNotContain(URLEncoder.encode(admin.key(), StandardCharsets.UTF_8));

        List<String> keys = List.of(UNKNOWN_KEY, viewerKey, admin.key());
        List<String> urls = List.copyOf(browser.requestedUrls());
        assertThat(urls).as("URLs the browser requested").hasSizeGreaterThan(10);
        String log = Files.readString(console.log);
        assertThat(log).as("the console's log").isNotBlank();
        for (String key : keys) {
            assertThat(browser.pagesSeen()).as("pages").noneMatch(html -> html.contains(key));
            assertThat(urls).as("URLs").noneMatch(url -> url.contains(key) || url.contains(URLEncoder.encode(key, StandardCharsets.UTF_8)));
            assertThat(log).as("the console's log").doesNotContain(key);
        }
        assertThat(log).as("the console's log").doesNotContain("Bearer ");
    }

    private void visitEveryPageOf(long campaign) {
        for (String page : List.of("/campaigns", "/campaigns?status=draft&search=ConsoleSecurityIT", "/campaigns/" + campaign,
                "/campaigns/" + campaign + "/recipients", "/campaigns/" + campaign + "/recipients?status=pending",
                "/campaigns/" + Long.MAX_VALUE, "/audit-log", "/audit-log?service=campaign-service&page=1")) {
            browser.open(page);
        }
        browser.open("/campaigns/" + campaign + "/recipients");
        List<WebElement> previews = browser.findAll("button[hx-get$='/preview']");
        assertThat(previews).isNotEmpty();
        previews.get(0).click();
        browser.until("a message preview", () -> !browser.findAll(".bubble").isEmpty());
    }

    /** A draft campaign with a few recipients, named after the test. */
    private static long draftWithRecipients(String what) {
        long campaign = admin.createCampaign("ConsoleSecurityIT " + what + " " + Instant.now(), 600);
        admin.upload(campaign, Audience.of(campaign, 20, 0));
        return campaign;
    }

    /**
     * {@code POST /campaigns/{id}/act} as the browser's session would send it (its session and CSRF
     * cookies), with or without the page's CSRF token.
     */
    private HttpResponse<String> postAct(long campaign, String action, boolean withToken) {
        browser.open("/campaigns/" + campaign);
        WebElement token = browser.find("form[action='/logout'] input[type=hidden]");
        Map<String, String> form = new LinkedHashMap<>();
        if (withToken) {
            form.put(token.getAttribute("name"), token.getAttribute("value"));
        }
        form.put("action", action);
        form.put("back", "/campaigns/" + campaign);
        String body = form.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        String cookies = browser.driver.manage().getCookies().stream().map(c -> c.getName() + "=" + c.getValue())
                .collect(Collectors.joining("; "));
        HttpRequest request = HttpRequest.newBuilder(URI.create(browser.url("/campaigns/" + campaign + "/act")))
                .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/x-www-form-urlencoded")
                .header("Cookie", cookies).POST(HttpRequest.BodyPublishers.ofString(body)).build();
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
