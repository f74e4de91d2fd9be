package io.syncpoint.lock.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The real server started in this JVM and the browsers of one browser test class: Alice, Bob and the admin,
 * each in their own headless Chromium, signed in through the UI. Stops everything it started.
 */
final class BrowserFixture implements AutoCloseable {
    private final Application app;
    private final String testClass;
    private final List<Browser> browsers = new ArrayList<>();
    final ServerClient client;
    final String aliceToken;

    private BrowserFixture(Application app, String testClass) {
        this.app = app;
        this.testClass = testClass;
        this.client = new ServerClient(app.port());
        this.aliceToken = client.signIn(DemoData.ALICE_EMAIL, DemoData.ALICE_PASSWORD);
    }

    /** Starts the embedded-default server with demo data and {@code environment} on top of it. */
    static BrowserFixture start(Class<?> testClass, Map<String, String> environment) {
        Browser.assumeInstalled();
        // Screenshots of this run only, so a failing run's steps can be read in order.
        Browser.deleteTree(Browser.SCREENSHOTS.resolve(testClass.getSimpleName()));
        Map<String, String> variables = new HashMap<>(environment);
        variables.put("LOCK_PORT", "0");
        return new BrowserFixture(Application.start(Configuration.fromEnvironment(variables)), testClass.getSimpleName());
    }

    Browser alice() {
        return open("alice", DemoData.ALICE_EMAIL, DemoData.ALICE_PASSWORD);
    }

    Browser bob() {
        return open("bob", DemoData.BOB_EMAIL, DemoData.BOB_PASSWORD);
    }

    Browser admin() {
        return open("admin", DemoData.ADMIN_EMAIL, DemoData.ADMIN_PASSWORD);
    }

    private Browser open(String name, String email, String password) {
        Browser browser = new Browser(name, app.port(), testClass);
        browsers.add(browser);
        return browser.signIn(email, password);
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

    /** Asserts that no browser logged a console error or an uncaught exception since the last check. */
    void assertNoConsoleErrors() {
        Map<String, List<String>> errors = new LinkedHashMap<>();
        for (Browser browser : browsers) {
            List<String> logged = browser.consoleErrors();
            if (!logged.isEmpty()) {
                errors.put(browser.name(), logged);
            }
        }
        assertThat(errors).as("console errors per browser").isEmpty();
    }

    @Override
    public void close() {
        try {
            for (Browser browser : browsers) {
                browser.close();
            }
        } finally {
            app.close();
        }
    }
}
