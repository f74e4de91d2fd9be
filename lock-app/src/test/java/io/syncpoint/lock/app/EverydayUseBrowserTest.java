package io.syncpoint.lock.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WindowType;

/** What a user notices in daily use: drafts that survive a reload, clear validation, live list and history, phones, keys, reconnects. */
class EverydayUseBrowserTest {
    @RegisterExtension
    static final BrowserFixture ui = new BrowserFixture(Map.of());

    @Test
    void reloadingWhileEditingWarnsFirstAndOffersTheDraftBack() {
        Browser alice = ui.alice();
        String id = ui.openNewAppointment("Agenda", alice);
        alice.edit();
        alice.type("description", "Half-written agenda");

        // Headless Chromium never shows the leave-page dialog; the page's answer to the event is what asks for it.
        assertThat(alice.js("const leaving = new Event('beforeunload', { cancelable: true });"
                + " window.dispatchEvent(leaving); return leaving.defaultPrevented;")).as("asks before leaving").isEqualTo(true);
        alice.driver().navigate().refresh();
        alice.waitUntil("the reloaded page offers the draft back", d -> alice.visible("restore-draft"));
        assertThat(alice.field("description")).isEmpty();
        alice.screenshot("draft-offered");
        alice.click("restore-draft");
        assertThat(alice.field("description")).isEqualTo("Half-written agenda");
        alice.waitUntil("the lock is free after the reload", d -> "free".equals(alice.lockState()) && alice.clickable("edit"));
        alice.edit();
        assertThat(alice.field("description")).isEqualTo("Half-written agenda");
        alice.click("save");
        alice.waitUntil("saved", d -> "free".equals(alice.lockState()) && !alice.visible("alert-banner"));
        assertThat(ui.client.get("/appointments/" + id, ui.aliceToken).json().get("description").asText())
                .isEqualTo("Half-written agenda");
        assertThat(alice.js("return Object.keys(localStorage).filter((k) => k.startsWith('syncpoint.draft.'));"))
                .asList().isEmpty();
    }

    @Test
    void validationNamesTheFieldAsTheFormLabelsItAndHighlightsIt() {
        Browser alice = ui.alice();
        Browser bob = ui.bob();
        String id = ui.openNewAppointment("Invalid times", alice);
        alice.edit();
        alice.js("const f = document.getElementById('editor'); f.endsAt.value = '2020-01-01T08:00';"
                + " f.endsAt.dispatchEvent(new Event('input', { bubbles: true }));");
        alice.click("save");
        alice.waitUntil("the error names the field", d -> alice.text("alert-text").contains("Ends:"));
        assertThat(alice.text("alert-text")).doesNotContain("endsAt", "startsAt");
        assertThat(alice.js("return document.getElementById('editor').endsAt.getAttribute('aria-invalid');")).isEqualTo("true");
        alice.screenshot("invalid-end");

        alice.js("const f = document.getElementById('editor'); f.endsAt.value = f.startsAt.value.replace(/T\\d\\d/, 'T23');"
                + " f.endsAt.dispatchEvent(new Event('input', { bubbles: true }));");
        assertThat(alice.js("return document.getElementById('editor').endsAt.getAttribute('aria-invalid');")).isNull();
        alice.replace("attendees", "bob@syncpoint.test, not-an-email");
        alice.click("save");
        alice.waitUntil("the error names the attendee", d -> alice.text("alert-text").contains("Attendees (entry 2)"));
        assertThat(alice.js("return document.getElementById('editor').attendees.getAttribute('aria-invalid');")).isEqualTo("true");
        alice.click("cancel-edit");
        alice.waitUntil("released", d -> "free".equals(alice.lockState()));
    }

    @Test
    void aNewTabIsAlreadySignedIn() {
        Browser alice = ui.alice();
        String first = alice.driver().getWindowHandle();
        alice.driver().switchTo().newWindow(WindowType.WINDOW);
        try {
            alice.navigate("#/");
            alice.waitUntil("the list shows without signing in", d -> alice.visible("list-view"));
            assertThat(alice.visible("auth-view")).isFalse();
            alice.driver().close();
        } finally {
            alice.driver().switchTo().window(first);
        }
    }

    @Test
    void theListFollowsLockChangesAndNewAppointmentsWithoutRefreshing() {
        Browser bob = ui.bob();
        String id = ui.createAppointment("Listed live");
        bob.navigate("#/");
        bob.waitUntil("the appointment is listed", d -> lockPill(bob, id).equals("Free"));
        assertThat(ui.client.post("/appointments/" + id + "/acquire-lock", ui.aliceToken, Map.of()).status()).isEqualTo(200);
        bob.waitUntil("the row shows Alice's lock", d -> lockPill(bob, id).startsWith("Alice Example · until "));
        ui.client.delete("/appointments/" + id + "/release-lock", ui.aliceToken, Map.of());
        bob.waitUntil("the row shows the lock free", d -> lockPill(bob, id).equals("Free"));

        String added = ui.createAppointment("Added while watching");
        bob.waitUntil("the new appointment appears", Duration.ofSeconds(30), d -> !lockPill(bob, added).isEmpty());
    }

    @Test
    void anOpenHistoryTabFollowsTheEvents() {
        Browser bob = ui.bob();
        String id = ui.openNewAppointment("History live", bob);
        bob.click("tab-history");
        bob.waitUntil("the history is empty", d -> bob.visible("history-empty"));
        ui.client.post("/appointments/" + id + "/acquire-lock", ui.aliceToken, Map.of());
        bob.waitUntil("the acquisition shows", d -> bob.text("history-rows").contains("acquired"));
        String when = (String) bob.js("return document.querySelector('#history-rows td').textContent;");
        assertThat(when).as("history times have seconds").matches(".*\\b\\d\\d:\\d\\d:\\d\\d$");
        ui.client.delete("/appointments/" + id + "/release-lock", ui.aliceToken, Map.of());
        bob.waitUntil("the release shows", d -> bob.text("history-rows").contains("released"));
        bob.click("tab-details");
    }

    @Test
    void onAPhoneTheListFitsTheScreenAndEachTimeStaysShort() {
        Browser bob = ui.bob();
        bob.navigate("#/");
        bob.waitUntil("the list shows", d -> bob.listRows() > 0);
        Dimension desk = bob.driver().manage().window().getSize();
        bob.driver().manage().window().setSize(new Dimension(390, 844));
        try {
            bob.waitUntil("the page fits the phone's width", d -> Boolean.TRUE.equals(bob.js(
                    "return document.documentElement.scrollWidth <= window.innerWidth;")));
            Number tallest = (Number) bob.js("return Math.max(...[...document.querySelectorAll('#appointment-rows td.when')]"
                    + ".map((td) => td.getBoundingClientRect().height / parseFloat(getComputedStyle(td).lineHeight)));");
            assertThat(tallest.doubleValue()).as("lines of the longest 'when'").isLessThan(2.5);
            String time = (String) bob.js("return document.querySelector('#appointment-rows .when-time').textContent;");
            assertThat(time).matches("\\d\\d:\\d\\d – \\d\\d:\\d\\d");
            bob.screenshot("phone-list");
        } finally {
            bob.driver().manage().window().setSize(desk);
        }
    }

    @Test
    void tabsAnswerArrowKeysAndEscapeCancelsEditing() {
        Browser alice = ui.alice();
        String id = ui.openNewAppointment("Keyboard", alice);
        alice.driver().findElement(By.id("tab-details")).sendKeys(Keys.ARROW_RIGHT);
        alice.waitUntil("History is chosen", d -> alice.visible("panel-history") && "tab-history".equals(focused(alice)));
        alice.driver().switchTo().activeElement().sendKeys(Keys.ARROW_RIGHT);
        alice.waitUntil("Statistics is chosen", d -> alice.visible("panel-stats") && "tab-stats".equals(focused(alice)));
        alice.driver().switchTo().activeElement().sendKeys(Keys.HOME);
        alice.waitUntil("Details is chosen", d -> alice.visible("panel-details") && "tab-details".equals(focused(alice)));

        alice.edit();
        alice.driver().switchTo().activeElement().sendKeys(Keys.ESCAPE);
        alice.waitUntil("Escape cancelled editing", d -> "free".equals(alice.lockState()) && !alice.clickable("save"));
    }

    @Test
    void afterTheConnectionDropsThePageSaysOfflineAndReadsEverythingAgainWhenBack() {
        Browser bob = ui.bob();
        String id = ui.createAppointment("Flaky network");
        bob.controlWebSockets();
        bob.navigate("#/");
        bob.driver().navigate().refresh();
        bob.openAppointment(id, "Flaky network");

        bob.js("window.__offline = true;");
        bob.waitUntil("the page says it is offline", d -> bob.visible("connection-status"));
        bob.screenshot("offline");
        String lease = ui.client.post("/appointments/" + id + "/acquire-lock", ui.aliceToken, Map.of())
                .json().get("lock").get("fencingToken").asText();
        Map<String, Object> changed = Map.of("title", "Flaky network (moved)", "startsAt", "2031-03-01T10:00:00Z",
                "endsAt", "2031-03-01T11:00:00Z");
        assertThat(ui.client.put("/appointments/" + id, ui.aliceToken, changed,
                Map.of("If-Match", "\"1\"", "Lock-Token", lease)).status()).isEqualTo(200);
        assertThat(bob.field("title")).isEqualTo("Flaky network");

        bob.js("window.__offline = false; window.dispatchEvent(new Event('online'));");
        bob.waitUntil("back online with what changed meanwhile", d -> !bob.visible("connection-status")
                && "Flaky network (moved)".equals(bob.field("title")) && "other".equals(bob.lockState()));
        ui.client.delete("/appointments/" + id + "/release-lock", ui.aliceToken, Map.of());
        bob.waitUntil("live again", d -> "free".equals(bob.lockState()));
    }

    private static String lockPill(Browser browser, String id) {
        return (String) browser.js("const r = document.querySelector(`#appointment-rows tr[data-id=\"${arguments[0]}\"] .lock`);"
                + " return r ? r.textContent : '';", id);
    }


    private static String focused(Browser browser) {
        return (String) browser.js("return document.activeElement && document.activeElement.id;");
    }
}
