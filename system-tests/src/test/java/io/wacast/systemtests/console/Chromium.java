package io.wacast.systemtests.console;

import static org.awaitility.Awaitility.await;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

import org.openqa.selenium.Alert;
import org.openqa.selenium.By;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.NoAlertPresentException;
import org.openqa.selenium.NoSuchElementException;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.wacast.systemtests.WacastSystem;

/**
 * Debian's Chromium, headless, driven through Debian's chromedriver against the console: both by
 * explicit path ({@code WACAST_CHROMIUM}, {@code WACAST_CHROMEDRIVER}, which {@code ./wacast test}
 * exports), so Selenium Manager never looks for, let alone downloads, a browser or a driver. Keeps
 * every URL the browser requested and every page it showed, for the tests that say what must never
 * appear in them, and saves full-page screenshots under {@code target/screenshots/}.
 */
final class Chromium implements AutoCloseable {

    static final Path SCREENSHOTS = Path.of("target", "screenshots").toAbsolutePath();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration STEP = Duration.ofSeconds(30);

    final ChromeDriver driver;
    private final String base = "http://127.0.0.1:" + WacastSystem.CONSOLE_PORT;
    private final Set<String> requestedUrls = new LinkedHashSet<>();
    private final List<String> pagesSeen = new ArrayList<>();

    private Chromium(ChromeDriver driver) {
        this.driver = driver;
    }

    /** A fresh browser: its own profile {@code target/chromium/<name>-<n>/}, chromedriver's log next to it. */
    static Chromium start(String name) {
        File chromium = executable("WACAST_CHROMIUM", "/usr/bin/chromium");
        File chromedriver = executable("WACAST_CHROMEDRIVER", "/usr/bin/chromedriver");
        // Belt and braces: even a code path that consulted Selenium Manager must not download a browser.
        System.setProperty("SE_AVOID_BROWSER_DOWNLOAD", "true");
        System.setProperty("webdriver.chrome.driver", chromedriver.getPath());
        try {
            Path profile = Files.createTempDirectory(Files.createDirectories(Path.of("target", "chromium")), name + "-");
            ChromeOptions options = new ChromeOptions();
            options.setBinary(chromium);
            options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                    "--disable-background-networking", "--disable-component-update", "--no-first-run",
                    "--window-size=1366,900", "--user-data-dir=" + profile.toAbsolutePath());
            options.setCapability("goog:loggingPrefs", Map.of("performance", "ALL"));
            ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(chromedriver)
                    .usingAnyFreePort().withLogFile(Path.of("target", "chromium", profile.getFileName() + ".chromedriver.log").toFile()).build();
            return new Chromium(new ChromeDriver(service, options));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static File executable(String variable, String fallback) {
        String configured = System.getenv(variable);
        File file = new File(configured == null || configured.isBlank() ? fallback : configured);
        if (!file.canExecute()) {
            throw new IllegalStateException(file + " is missing: apt-get install chromium chromium-driver (./wacast test does)");
        }
        return file;
    }

    /** Opens a console page ({@code /campaigns}) and waits for it to load. */
    void open(String path) {
        driver.get(base + path);
        seen();
    }

    /** The console's URL of {@code path}. */
    String url(String path) {
        return base + path;
    }

    /** The path (and query) the browser shows now. */
    String path() {
        return driver.getCurrentUrl().substring(base.length());
    }

    WebElement find(String css) {
        return driver.findElement(By.cssSelector(css));
    }

    List<WebElement> findAll(String css) {
        return driver.findElements(By.cssSelector(css));
    }

    /** The text of the element {@code css}, or null while there is none. */
    String text(String css) {
        try {
            return find(css).getText().strip();
        } catch (NoSuchElementException | StaleElementReferenceException e) {
            return null;
        }
    }

    /** A counter as the page shows it ({@code 1,234}), or -1 while it shows none. */
    long number(String css) {
        String text = text(css);
        return text == null || text.replaceAll("[^0-9]", "").isEmpty() ? -1 : Long.parseLong(text.replaceAll("[^0-9]", ""));
    }

    /** Waits until {@code condition} holds on the page (elements replaced meanwhile are looked up again). */
    void until(String what, Duration atMost, Supplier<Boolean> condition) {
        await(what).atMost(atMost).pollInterval(Duration.ofMillis(200))
                .ignoreExceptionsInstanceOf(StaleElementReferenceException.class)
                .until(condition::get);
        seen();
    }

    void until(String what, Supplier<Boolean> condition) {
        until(what, STEP, condition);
    }

    /** Submits the sign-in form with {@code apiKey}. */
    void signIn(String apiKey) {
        open("/login");
        find("#apiKey").sendKeys(apiKey);
        find("form[action='/login'] button[type=submit]").click();
        until("the sign-in answered", () -> !path().startsWith("/login") || !findAll(".field-error, .flash-error").isEmpty());
    }

    /** Clicks the button of the action form {@code action} (send, pause, resume, cancel) on the page. */
    void act(String action) {
        driver.findElement(By.xpath("//form[contains(@action,'/act')][input[@name='action' and @value='" + action + "']]//button"))
                .click();
    }

    /** Accepts the confirm dialog the last click opened. */
    void acceptConfirm() {
        Alert alert = await("a confirm dialog").atMost(STEP).ignoreException(NoAlertPresentException.class)
                .until(() -> driver.switchTo().alert(), a -> true);
        alert.accept();
    }

    /** The session's cookie {@code name} as the browser holds it (HttpOnly ones included). */
    Cookie cookie(String name) {
        return driver.manage().getCookieNamed(name);
    }

    /** Records the page as it is now: its URL, its HTML, and what the browser requested so far. */
    void seen() {
        requestedUrls.add(driver.getCurrentUrl());
        pagesSeen.add(driver.getPageSource());
        for (LogEntry entry : driver.manage().logs().get(LogType.PERFORMANCE)) {
            try {
                JsonNode message = JSON.readTree(entry.getMessage()).path("message");
                if (message.path("method").asText().equals("Network.requestWillBeSent")) {
                    requestedUrls.add(message.path("params").path("request").path("url").asText());
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** Every URL the browser requested or showed: pages, redirects, scripts, the event streams. */
    Set<String> requestedUrls() {
        seen();
        return Set.copyOf(requestedUrls);
    }

    /** The HTML of every page recorded by {@link #seen()}. */
    List<String> pagesSeen() {
        return List.copyOf(pagesSeen);
    }

    /** A screenshot of the whole page (beyond the window), {@code target/screenshots/<name>.png}. */
    Path screenshot(String name) {
        JsonNode metrics = JSON.valueToTree(driver.executeCdpCommand("Page.getLayoutMetrics", Map.of()));
        JsonNode size = metrics.path("cssContentSize");
        Map<String, Object> clip = Map.of("x", 0, "y", 0, "scale", 1,
                "width", Math.max(size.path("width").asDouble(), 1366), "height", Math.max(size.path("height").asDouble(), 900));
        Object data = driver.executeCdpCommand("Page.captureScreenshot",
                Map.of("format", "png", "captureBeyondViewport", true, "clip", clip)).get("data");
        try {
            Path file = Files.createDirectories(SCREENSHOTS).resolve(name + ".png");
            Files.write(file, Base64.getDecoder().decode((String) data));
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        driver.quit();
    }
}
