package io.syncpoint.lock.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The real server started in this JVM for one browser test class, and that class's browsers: Alice, Bob and
 * the admin, each in their own headless Chromium, opened on first use and signed in through the UI. After
 * each test no browser may have logged a console error; after the class everything started is stopped.
 */
final class BrowserFixture implements BeforeAllCallback, AfterEachCallback, AfterAllCallback {
    private final Map<String, String> environment;
    private final Map<String, Browser> browsers = new LinkedHashMap<>();
    private Application app;
    private String testClass;
    ServerClient client;
    String aliceToken;

    /** The embedded-default server with demo data and {@code environment} on top of it. */
    BrowserFixture(Map<String, String> environment) {
        this.environment = environment;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        Browser.assumeInstalled();
        testClass = context.getRequiredTestClass().getSimpleName();
        // Screenshots of this run only, so a failing run's steps can be read in order.
        Browser.deleteTree(Browser.SCREENSHOTS.resolve(testClass));
        Map<String, String> variables = new HashMap<>(environment);
        variables.put("LOCK_PORT", "0");
        app = Application.start(Configuration.fromEnvironment(variables));
        client = new ServerClient(app.port());
        aliceToken = client.signIn(DemoData.ALICE_EMAIL, DemoData.ALICE_PASSWORD);
    }

    Browser alice() {
        return browser("alice", DemoData.ALICE_EMAIL, DemoData.ALICE_PASSWORD);
    }

    Browser bob() {
        return browser("bob", DemoData.BOB_EMAIL, DemoData.BOB_PASSWORD);
    }

    Browser admin() {
        return browser("admin", DemoData.ADMIN_EMAIL, DemoData.ADMIN_PASSWORD);
    }

    private Browser browser(String name, String email, String password) {
        return browsers.computeIfAbsent(name, n -> new Browser(n, app.port(), testClass).signIn(email, password));
    }

    /** A new appointment of Alice's, tomorrow at ten, created through the API. */
    String createAppointment(String title) {
        Instant start = Instant.now().truncatedTo(ChronoUnit.DAYS).plus(Duration.ofDays(1)).plus(Duration.ofHours(10));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("title", title);
        body.put("startsAt", start.toString());
        body.put("endsAt", start.plus(Duration.ofHours(1)).toString());
        body.put("location", "Room 7");
        ServerClient.Answer answer = client.post("/appointments", aliceToken, body);
        assertThat(answer.status()).as("creating %s: %s", title, answer.json()).isEqualTo(201);
        return answer.json().get("id").asText();
    }

    /** Creates an appointment of Alice's and opens it in each of {@code browsers}; returns its id. */
    String openNewAppointment(String title, Browser... browsers) {
        String id = createAppointment(title);
        for (Browser browser : browsers) {
            browser.openAppointment(id, title);
        }
        return id;
    }

    /** No browser logged a console error or an uncaught exception during the test. */
    @Override
    public void afterEach(ExtensionContext context) {
        Map<String, List<String>> errors = new LinkedHashMap<>();
        for (Browser browser : browsers.values()) {
            List<String> logged = browser.consoleErrors();
            if (!logged.isEmpty()) {
                errors.put(browser.name(), logged);
            }
        }
        assertThat(errors).as("console errors per browser").isEmpty();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        try {
            browsers.values().forEach(Browser::close);
        } finally {
            if (app != null) {
                app.close();
            }
        }
    }
}
