package io.syncpoint.lock.app;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.UnexpectedAlertBehaviour;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * One headless Chromium (Debian's, driven by Debian's chromedriver) with its own fresh profile, and the
 * few page actions the browser tests share. Waits poll the page until a condition holds, up to a cap.
 */
final class Browser implements AutoCloseable {
    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    static final Duration PATIENCE = Duration.ofSeconds(20);
    static final Path SCREENSHOTS = Path.of("target", "screenshots");
    /** The browser logs an API's expected refusals (409, 404…) as failed resource loads; those are answers, not errors. */
    private static final Pattern EXPECTED_REFUSAL = Pattern.compile(
            "/api/v1/\\S* - Failed to load resource: the server responded with a status of 4\\d\\d");

    private final String name;
    private final String baseUrl;
    private final Path profile;
    private final ChromeDriverService service;
    private final ChromeDriver driver;
    private final Path screenshots;
    private int step;

    /** Skips the calling test class when no browser is installed, or fails it when CI requires one. */
    static void assumeInstalled() {
        if (Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER)) {
            return;
        }
        String message = "Browser tests need " + CHROMIUM + " and " + CHROMEDRIVER
                + " (Debian: apt-get install chromium chromium-driver)";
        if ("true".equalsIgnoreCase(System.getenv("LOCK_TEST_REQUIRE_BROWSER"))) {
            fail(message + "; LOCK_TEST_REQUIRE_BROWSER=true requires them");
        }
        Assumptions.abort("Skipped: " + message);
    }

    Browser(String name, int port, String testClass) {
        this.name = name;
        this.baseUrl = "http://localhost:" + port;
        this.screenshots = SCREENSHOTS.resolve(testClass);
        try {
            this.profile = Files.createTempDirectory("syncpoint-browser-");
            Files.createDirectories(screenshots);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--window-size=1200,900", "--user-data-dir=" + profile);
        // Two windows of one browser must both keep running their timers as a user's two tabs would.
        options.addArguments("--disable-background-timer-throttling", "--disable-renderer-backgrounding",
                "--disable-backgrounding-occluded-windows");
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        options.setUnhandledPromptBehaviour(UnexpectedAlertBehaviour.IGNORE);
        this.service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort().build();
        this.driver = new ChromeDriver(service, options);
    }

    WebDriver driver() {
        return driver;
    }

    String name() {
        return name;
    }

    /** Opens the UI and signs in through its form, unless this browser's stored session already does. */
    Browser signIn(String email, String password) {
        driver.get(baseUrl + "/#/");
        waitUntil("a view shows", d -> visible("list-view") || visible("auth-view"));
        if (visible("auth-view")) {
            WebElement form = driver.findElement(By.id("signin-form"));
            form.findElement(By.name("email")).sendKeys(email);
            form.findElement(By.name("password")).sendKeys(password);
            form.findElement(By.cssSelector("button[type=submit]")).click();
        }
        waitUntil("the list shows after signing in", d -> visible("list-view"));
        return this;
    }

    /** Navigates to an appointment and waits until its data and lock state are on screen. */
    void openAppointment(String id, String title) {
        driver.get(baseUrl + "/#/a/" + id);
        waitUntil("appointment " + title + " shows", d -> title.equals(field("title"))
                && !"Loading lock state…".equals(text("lock-text")));
    }

    void navigate(String hashRoute) {
        driver.get(baseUrl + "/" + hashRoute);
    }

    boolean visible(String id) {
        return Boolean.TRUE.equals(js("const e = document.getElementById(arguments[0]);"
                + " return !!e && !e.hidden && e.getClientRects().length > 0;", id));
    }

    String text(String id) {
        return (String) js("return document.getElementById(arguments[0]).textContent;", id);
    }

    String lockState() {
        return (String) js("return document.getElementById('lock-banner').dataset.state || '';");
    }

    String field(String name) {
        return (String) js("return document.getElementById('editor').elements[arguments[0]].value;", name);
    }

    boolean fieldEnabled(String name) {
        return Boolean.FALSE.equals(js("return document.getElementById('editor').elements[arguments[0]].disabled;", name));
    }

    boolean clickable(String id) {
        return Boolean.TRUE.equals(js("const e = document.getElementById(arguments[0]);"
                + " return !e.hidden && !e.disabled;", id));
    }

    /** Presses Edit and waits until this page edits. */
    void edit() {
        click("edit");
        waitUntil("editing", d -> clickable("save"));
    }

    long listRows() {
        return (Long) js("return document.querySelectorAll('#appointment-rows tr').length;");
    }

    void click(String id) {
        driver.findElement(By.id(id)).click();
    }

    void type(String field, String text) {
        driver.findElement(By.cssSelector("#editor [name='" + field + "']")).sendKeys(text);
    }

    void replace(String field, String text) {
        WebElement input = driver.findElement(By.cssSelector("#editor [name='" + field + "']"));
        input.clear();
        input.sendKeys(text);
    }

    Object js(String script, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(script, args);
    }

    /**
     * Holds back the answers to the page's API requests by {@code millis} (a slow network), in the page
     * itself: the server acts at once, so its WebSocket events reach the page before the HTTP answer.
     * {@code beforeSending} holds the request before it leaves instead. Lasts until the page reloads.
     */
    void slowNetwork(long millis, boolean beforeSending) {
        js("window.__slow = { millis: arguments[0], before: arguments[1] };"
                + "if (!window.__fastFetch) {"
                + "  window.__fastFetch = window.fetch;"
                + "  const pause = () => new Promise((r) => setTimeout(r, window.__slow.millis));"
                + "  window.fetch = async (...args) => {"
                + "    if (window.__slow.before) await pause();"
                + "    const response = await window.__fastFetch(...args);"
                + "    if (!window.__slow.before) await pause();"
                + "    return response;"
                + "  };"
                + "}", millis, beforeSending);
    }

    void fastNetwork() {
        js("if (window.__slow) window.__slow.millis = 0;");
    }

    /** Makes every API request whose path contains {@code pathPart} fail as if the network were down. */
    void failRequests(String pathPart) {
        js("const fast = window.fetch; const part = arguments[0];"
                + "window.fetch = (input, init) => String(input).includes(part)"
                + " ? Promise.reject(new TypeError('Failed to fetch')) : fast(input, init);", pathPart);
    }

    /**
     * Starts recording what the page shows each time it changes (and every 50 ms): the lock sentence, the
     * alert, the busy buttons, the enabled actions, the title and the toast. Lasts until the page reloads.
     */
    void recordStates() {
        js("const $ = (id) => document.getElementById(id);"
                + "const on = (id) => !$(id).hidden && !$(id).disabled;"
                + "window.__states = [];"
                + "const snap = () => { const s = { hash: location.hash, lock: $('lock-text').textContent,"
                + "  alert: $('alert-banner').hidden ? '' : $('alert-text').textContent,"
                + "  heading: $('detail-title').textContent, title: $('editor').elements.title.value,"
                + "  titleEnabled: !$('editor').elements.title.disabled, edit: on('edit'), save: on('save'),"
                + "  busy: [...document.querySelectorAll('[aria-busy=true]')].filter((b) => !b.hidden).map((b) => b.textContent).join(),"
                + "  toast: $('toast').hidden ? '' : $('toast').textContent };"
                + "  const last = window.__states[window.__states.length - 1];"
                + "  if (JSON.stringify(last) !== JSON.stringify(s)) window.__states.push(s); };"
                + "snap();"
                + "new MutationObserver(snap).observe(document.body, { subtree: true, childList: true, attributes: true, characterData: true });"
                + "window.addEventListener('hashchange', snap);"
                + "setInterval(snap, 50);");
    }

    @SuppressWarnings("unchecked")
    List<Map<String, Object>> recordedStates() {
        return (List<Map<String, Object>>) js("return window.__states;");
    }

    /**
     * From the next page load on, lets the test drop the page's WebSocket and keep it from reconnecting:
     * {@code window.__offline = true} closes the open sockets and makes new ones fail until it is false again.
     */
    void controlWebSockets() {
        driver.executeCdpCommand("Page.addScriptToEvaluateOnNewDocument", Map.of("source",
                "const Native = window.WebSocket; const open = [];"
                + "let offline = false;"
                + "Object.defineProperty(window, '__offline', { get: () => offline, set: (value) => {"
                + "  offline = value; if (value) open.splice(0).forEach((s) => s.close()); } });"
                + "window.WebSocket = function (url, protocols) {"
                + "  if (offline) {"
                + "    const refused = new EventTarget(); refused.readyState = Native.CLOSED;"
                + "    refused.send = () => {}; refused.close = () => {};"
                + "    setTimeout(() => refused.dispatchEvent(new Event('close')), 10);"
                + "    return refused;"
                + "  }"
                + "  const socket = new Native(url, protocols); open.push(socket); return socket; };"
                + "Object.assign(window.WebSocket, { CONNECTING: 0, OPEN: 1, CLOSING: 2, CLOSED: 3 });"));
    }

    <T> T waitUntil(String what, Function<WebDriver, T> condition) {
        return waitUntil(what, PATIENCE, condition);
    }

    <T> T waitUntil(String what, Duration patience, Function<WebDriver, T> condition) {
        return new WebDriverWait(driver, patience, Duration.ofMillis(100))
                .withMessage(() -> name + ": " + what + "; page shows " + describePage())
                .until(condition);
    }

    /** Saves what this browser shows as target/screenshots/&lt;test class&gt;/&lt;n&gt;-&lt;browser&gt;-&lt;step&gt;.png. */
    Path screenshot(String what) {
        Path file = screenshots.resolve(String.format("%02d-%s-%s.png", ++step, name, what));
        try {
            Files.write(file, driver.getScreenshotAs(OutputType.BYTES));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }

    /** Console errors and uncaught exceptions since the last call, minus the API's expected refusals. */
    List<String> consoleErrors() {
        return driver.manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(entry -> entry.getLevel().intValue() >= Level.SEVERE.intValue())
                .map(LogEntry::getMessage)
                .filter(message -> !EXPECTED_REFUSAL.matcher(message).find())
                .toList();
    }

    /** What the page shows, for failure messages. */
    private String describePage() {
        try {
            return String.valueOf(js("const t = (id) => { const e = document.getElementById(id); return e ? e.textContent : null; };"
                    + "return { hash: location.hash, lock: t('lock-text'), alert: t('alert-text'), toast: t('toast'),"
                    + " title: document.getElementById('editor').elements.title.value };"));
        } catch (RuntimeException e) {
            return "(unreadable: " + e.getMessage() + ")";
        }
    }

    @Override
    public void close() {
        try {
            driver.quit();
        } finally {
            service.stop();
            deleteProfile();
        }
    }

    private void deleteProfile() {
        deleteTree(profile);
    }

    /** Deletes a folder and everything in it; a leftover file is harmless. */
    static void deleteTree(Path folder) {
        if (!Files.exists(folder)) {
            return;
        }
        try (Stream<Path> files = Files.walk(folder)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            // Left for the next run or the OS's temp cleaner.
        }
    }
}
