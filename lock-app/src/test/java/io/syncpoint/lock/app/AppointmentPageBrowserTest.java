package io.syncpoint.lock.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.WindowType;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.ExpectedConditions;

/**
 * The appointment page in real browsers against the real server: Alice, Bob and the admin each in their
 * own headless Chromium, seeing one another's locks, saves and cursors live.
 */
class AppointmentPageBrowserTest {
    private static final List<String> FIELDS = List.of("title", "startsAt", "endsAt", "location", "status",
            "attendees", "description");
    @RegisterExtension
    static final BrowserFixture ui = new BrowserFixture(Map.of());

    @Test
    void anEditShowsLiveOnAnotherViewersPageAndItsSaveAndCancelToo() {
        Browser alice = ui.alice();
        Browser bob = ui.bob();
        String id = ui.openNewAppointment("Budget review", alice, bob);

        alice.click("edit");
        alice.waitUntil("Alice edits", d -> alice.clickable("save") && alice.fieldEnabled("title"));
        bob.waitUntil("Bob sees Alice editing", d -> "other".equals(bob.lockState())
                && bob.text("lock-text").equals("Alice Example is editing."));
        String countdown = bob.text("lock-countdown");
        assertThat(countdown).matches("Lock expires in [45]:\\d\\d\\.");
        bob.waitUntil("the countdown ticks", d -> !bob.text("lock-countdown").equals(countdown));
        assertThat(FIELDS).noneMatch(bob::fieldEnabled);
        assertThat(bob.clickable("edit")).isFalse();
        alice.screenshot("editing");
        bob.screenshot("sees-alice-editing");

        alice.replace("title", "Budget review (moved)");
        alice.replace("location", "Room 9");
        alice.click("save");
        bob.waitUntil("Bob sees the saved values", d -> "Budget review (moved)".equals(bob.field("title"))
                && "free".equals(bob.lockState()));
        assertThat(bob.field("location")).isEqualTo("Room 9");
        assertThat(bob.text("detail-version")).startsWith("version 2 ");
        alice.waitUntil("Alice's lock is released after saving", d -> "free".equals(alice.lockState()));
        bob.screenshot("sees-saved-values");

        alice.click("edit");
        bob.waitUntil("Bob sees Alice editing again", d -> "other".equals(bob.lockState()));
        alice.type("title", " and discarded");
        alice.click("cancel-edit");
        alice.waitUntil("Alice's typing is discarded", d -> "free".equals(alice.lockState())
                && "Budget review (moved)".equals(alice.field("title")));
        bob.waitUntil("Bob may edit once Alice cancels", d -> "free".equals(bob.lockState()) && bob.clickable("edit"));
        bob.click("edit");
        bob.waitUntil("Bob edits", d -> bob.clickable("save") && bob.fieldEnabled("title"));
        bob.screenshot("edits-after-alice-cancelled");
        bob.click("cancel-edit");
        bob.waitUntil("Bob released", d -> "free".equals(bob.lockState()));

        bob.click("tab-history");
        bob.waitUntil("the history lists three leases", d -> bob.js(
                "return document.querySelectorAll('#history-rows tr').length;").equals(6L));
        String history = bob.text("history-rows");
        assertThat(history).contains("Alice Example", "Bob Example", "acquired", "released");
        bob.screenshot("history");
        bob.click("tab-stats");
        bob.waitUntil("the statistics count three leases by two editors", d -> statistic(bob, "Leases acquired").equals("3")
                && statistic(bob, "Released").equals("3") && statistic(bob, "Different editors").equals("2"));
        bob.screenshot("statistics");
        bob.click("tab-details");
    }

    @Test
    void whenBothPressEditAtOnceExactlyOneEditsAndTheOtherIsToldWho() {
        Browser alice = ui.alice();
        Browser bob = ui.bob();
        String id = ui.openNewAppointment("Offsite", alice, bob);

        alice.click("edit");
        bob.click("edit");
        alice.waitUntil("Alice settles", d -> !"free".equals(alice.lockState()) && !alice.text("edit").contains("Acquiring"));
        bob.waitUntil("Bob settles", d -> !"free".equals(bob.lockState()) && !bob.text("edit").contains("Acquiring"));
        boolean aliceWon = alice.clickable("save");
        Browser winner = aliceWon ? alice : bob;
        Browser loser = aliceWon ? bob : alice;
        String winnerName = aliceWon ? "Alice Example" : "Bob Example";
        assertThat(loser.clickable("save")).isFalse();
        assertThat(loser.fieldEnabled("title")).isFalse();
        loser.waitUntil("the other is told who edits", d -> loser.text("lock-text").equals(winnerName + " is editing."));
        if (loser.visible("alert-banner")) {
            assertThat(loser.text("alert-text")).startsWith(winnerName + " is editing this appointment until ");
        }
        loser.screenshot("told-who-edits");
        winner.click("cancel-edit");
        loser.waitUntil("the lock frees", d -> "free".equals(loser.lockState()));
    }

    @Test
    void anAdminTakeoverTellsTheEditorAtOnceWhoKeepsTheDraftAndCanReapplyIt() {
        Browser alice = ui.alice();
        Browser admin = ui.admin();
        String id = ui.openNewAppointment("Vendor visit", alice, admin);
        alice.click("edit");
        alice.waitUntil("Alice edits", d -> alice.fieldEnabled("description"));
        alice.type("description", "Bring the signed contract.");
        admin.waitUntil("the admin sees Alice editing", d -> admin.clickable("takeover"));

        admin.click("takeover");
        admin.waitUntil("the confirmation", ExpectedConditions.alertIsPresent()).accept();
        alice.waitUntil("Alice is told at once", d -> alice.visible("alert-banner")
                && alice.text("alert-text").contains("Ada Admin (administrator) took control"));
        assertThat(alice.fieldEnabled("description")).isFalse();
        assertThat(alice.field("description")).isEqualTo("Bring the signed contract.");
        alice.screenshot("taken-over-draft-kept");
        admin.waitUntil("the admin edits", d -> admin.clickable("save"));
        admin.click("cancel-edit");

        alice.waitUntil("the lock frees", d -> "free".equals(alice.lockState()) && alice.clickable("edit"));
        alice.edit();
        assertThat(alice.field("description")).isEqualTo("Bring the signed contract.");
        alice.click("save");
        alice.waitUntil("the draft is saved", d -> "free".equals(alice.lockState()) && !alice.visible("alert-banner"));
        assertThat(ui.client.get("/appointments/" + id, ui.aliceToken).json().get("description").asText())
                .isEqualTo("Bring the signed contract.");
    }

    @Test
    void closingTheEditorsTabFreesTheLockForOthersWithinSeconds() {
        Browser alice = ui.alice();
        Browser bob = ui.bob();
        String id = ui.openNewAppointment("Standup", bob);
        String firstWindow = alice.driver().getWindowHandle();
        alice.driver().switchTo().newWindow(WindowType.WINDOW);
        try {
            alice.signIn(DemoData.ALICE_EMAIL, DemoData.ALICE_PASSWORD);
            alice.openAppointment(id, "Standup");
            alice.edit();
            bob.waitUntil("Bob sees Alice editing", d -> "other".equals(bob.lockState()));
            alice.driver().close();
        } finally {
            alice.driver().switchTo().window(firstWindow);
        }
        bob.waitUntil("Bob sees the lock free within seconds", Duration.ofSeconds(8), d -> "free".equals(bob.lockState()));
        bob.screenshot("free-after-tab-closed");
    }

    @Test
    void anotherViewersCursorShowsNamedAndColouredAndGoesWhenStill() {
        Browser alice = ui.alice();
        Browser bob = ui.bob();
        String id = ui.openNewAppointment("Design critique", alice, bob);
        bob.edit();

        WebElement area = bob.driver().findElement(By.id("editor-area"));
        new Actions(bob.driver()).moveToElement(area, -120, -40).pause(Duration.ofMillis(250))
                .moveByOffset(40, 25).perform();
        alice.waitUntil("Bob's cursor shows on Alice's page", d -> "Bob Example".equals(alice.js(
                "const c = document.querySelector('#cursor-layer .cursor-name'); return c && c.textContent;")));
        String colour = (String) alice.js("return getComputedStyle(document.querySelector('#cursor-layer .cursor'))"
                + ".getPropertyValue('--cursor-color').trim();");
        assertThat(colour).matches("#[0-9a-fA-F]{6}");
        alice.waitUntil("Alice sees Bob's lock", d -> "other".equals(alice.lockState()));
        alice.screenshot("live-lock-and-cursor");

        alice.waitUntil("the still cursor goes", Duration.ofSeconds(25), d -> Long.valueOf(0).equals(alice.js(
                "return document.querySelectorAll('#cursor-layer .cursor').length;")));
        bob.click("cancel-edit");
        bob.waitUntil("Bob released", d -> "free".equals(bob.lockState()));
    }

    @Test
    void twoTabsOfOnePersonNeverBothEditAndTheOtherKeepsItsTextAsADraft() {
        Browser alice = ui.alice();
        String id = ui.createAppointment("Two tabs");
        String tabOne = alice.driver().getWindowHandle();
        alice.openAppointment(id, "Two tabs");
        alice.click("edit");
        alice.waitUntil("tab one edits", d -> alice.clickable("save") && alice.fieldEnabled("title"));
        alice.type("title", " from tab one");

        alice.driver().switchTo().newWindow(WindowType.WINDOW);
        String tabTwo = alice.driver().getWindowHandle();
        try {
            alice.signIn(DemoData.ALICE_EMAIL, DemoData.ALICE_PASSWORD);
            alice.openAppointment(id, "Two tabs");
            alice.waitUntil("tab two sees Alice's own lock", d -> "mine".equals(alice.lockState()) && alice.clickable("edit"));
            alice.click("edit");
            alice.waitUntil("tab two edits", d -> alice.clickable("save") && alice.fieldEnabled("title"));
            alice.screenshot("tab-two-edits");

            alice.driver().switchTo().window(tabOne);
            alice.waitUntil("tab one stops editing and says so", d -> !alice.clickable("save")
                    && !alice.fieldEnabled("title") && alice.text("alert-text").contains("another tab"));
            assertThat(alice.field("title")).isEqualTo("Two tabs from tab one");
            alice.screenshot("tab-one-keeps-draft");

            alice.driver().switchTo().window(tabTwo);
            alice.replace("location", "Room 12");
            alice.click("save");
            alice.waitUntil("tab two saved", d -> "free".equals(alice.lockState()) && alice.text("detail-version").startsWith("version 2 "));

            alice.driver().switchTo().window(tabOne);
            alice.waitUntil("tab one shows the newer version without losing its draft", d -> "free".equals(alice.lockState()));
            assertThat(alice.clickable("save")).isFalse();
            assertThat(alice.field("title")).isEqualTo("Two tabs from tab one");
            assertThat(alice.text("alert-text")).isNotEmpty();
            alice.driver().switchTo().window(tabTwo);
            alice.driver().close();
        } finally {
            alice.driver().switchTo().window(tabOne);
        }
    }

    @Test
    void cancellingOnASlowNetworkShowsReleasingUntilTheServerAnswers() {
        Browser alice = ui.alice();
        String id = ui.openNewAppointment("Slow cancel", alice);
        alice.edit();
        alice.recordStates();
        alice.slowNetwork(2500, true);
        alice.click("cancel-edit");
        alice.waitUntil("the release is answered", Duration.ofSeconds(30), d -> "free".equals(alice.lockState())
                && alice.clickable("edit"));
        alice.fastNetwork();
        List<Map<String, Object>> states = alice.recordedStates();
        assertThat(states).as("states while releasing").anyMatch(s -> s.get("busy").equals("Releasing…"));
        assertThat(states).as("states while releasing").noneMatch(s -> ((String) s.get("lock")).contains("another tab"));
        assertThat(states).as("Edit is offered only once the lock is free")
                .allMatch(s -> !(Boolean) s.get("edit") || ((String) s.get("lock")).startsWith("Free"));
        int releasing = indexOf(states, s -> s.get("busy").equals("Releasing…"));
        int free = indexOf(states, s -> ((String) s.get("lock")).startsWith("Free"));
        assertThat(states.subList(releasing, free)).as("states until the lock is free")
                .allMatch(s -> s.get("busy").equals("Releasing…") && !(Boolean) s.get("titleEnabled"));
    }

    @Test
    void savingOnASlowNetworkSaysSavedOnceSavedAndShowsReleasingUntilReleased() {
        Browser alice = ui.alice();
        String id = ui.openNewAppointment("Slow save", alice);
        alice.edit();
        alice.type("title", " (final)");
        alice.recordStates();
        alice.slowNetwork(2500, true);
        alice.click("save");
        alice.waitUntil("saved and released", Duration.ofSeconds(30), d -> "free".equals(alice.lockState())
                && "Slow save (final)".equals(alice.field("title")) && alice.clickable("edit"));
        alice.fastNetwork();
        List<Map<String, Object>> states = alice.recordedStates();
        assertThat(states).noneMatch(s -> ((String) s.get("lock")).contains("another tab"));
        assertThat(states).allMatch(s -> !(Boolean) s.get("edit") || ((String) s.get("lock")).startsWith("Free"));
        int saved = indexOf(states, s -> s.get("toast").equals("Saved."));
        int free = indexOf(states, s -> ((String) s.get("lock")).startsWith("Free"));
        assertThat(saved).as("'Saved.' shows while the release is still on its way").isNotNegative().isLessThan(free);
        assertThat(states.subList(saved, free)).as("states between saved and released")
                .allMatch(s -> s.get("busy").equals("Releasing…") && !(Boolean) s.get("titleEnabled"));
    }

    @Test
    void openingAnotherAppointmentClearsThePreviousOnesDataWhileItLoadsAndForAnUnknownId() {
        Browser bob = ui.bob();
        String first = ui.createAppointment("Kickoff first");
        String second = ui.createAppointment("Kickoff second");
        bob.openAppointment(first, "Kickoff first");
        bob.recordStates();
        bob.slowNetwork(2000, false);
        bob.navigate("#/a/" + second);
        bob.waitUntil("the second appointment shows", Duration.ofSeconds(30), d -> "Kickoff second".equals(bob.field("title")));
        bob.fastNetwork();
        assertThat(bob.recordedStates()).as("states while the second appointment loads")
                .filteredOn(s -> s.get("hash").equals("#/a/" + second))
                .noneMatch(s -> s.get("title").equals("Kickoff first") || s.get("heading").equals("Kickoff first"));

        String unknown = java.util.UUID.randomUUID().toString();
        bob.navigate("#/a/" + unknown);
        bob.waitUntil("the unknown appointment is reported", d -> bob.visible("alert-banner"));
        bob.screenshot("unknown-appointment");
        assertThat(bob.field("title")).isEmpty();
        assertThat(bob.text("detail-title")).isNotEqualTo("Kickoff second");
        assertThat(bob.fieldEnabled("title")).isFalse();
    }

    @Test
    void theListReachesEveryAppointmentPastTwoHundredAndSaysMoreExist() {
        Browser bob = ui.bob();
        for (int i = 1; i <= 205; i++) {
            ui.createAppointment(String.format("Batch %03d", i));
        }
        int total = ui.client.get("/appointments?limit=1", ui.aliceToken).json().get("total").asInt();
        bob.navigate("#/");
        bob.waitUntil("the list shows and says more exist", d -> bob.visible("list-more")
                && bob.text("list-count").contains("of " + total));
        bob.screenshot("list-first-page");
        while (bob.visible("list-more")) {
            long shown = bob.listRows();
            bob.click("list-more");
            bob.waitUntil("the next page shows", d -> bob.listRows() > shown);
        }
        assertThat(bob.listRows()).isEqualTo(total);
        assertThat(bob.text("appointment-rows")).contains("Batch 205");
        assertThat(bob.text("list-count")).contains(total + " of " + total);
    }

    @Test
    void aRefusalIsClearedWhenTheLockFrees() {
        Browser bob = ui.bob();
        String id = ui.openNewAppointment("Refused", bob);
        bob.slowNetwork(1500, true);
        bob.click("edit");
        assertThat(ui.client.post("/appointments/" + id + "/acquire-lock", ui.aliceToken, Map.of()).status()).isEqualTo(200);
        bob.waitUntil("Bob is refused", d -> bob.text("alert-text").startsWith("Alice Example is editing this appointment until"));
        bob.fastNetwork();
        bob.screenshot("refused");
        assertThat(ui.client.delete("/appointments/" + id + "/release-lock", ui.aliceToken, Map.of()).status()).isEqualTo(200);
        bob.waitUntil("the refusal goes once the lock is free", d -> "free".equals(bob.lockState()) && !bob.visible("alert-banner"));
        bob.screenshot("refusal-cleared");
    }


    private static int indexOf(List<Map<String, Object>> states, java.util.function.Predicate<Map<String, Object>> match) {
        for (int i = 0; i < states.size(); i++) {
            if (match.test(states.get(i))) {
                return i;
            }
        }
        return -1;
    }

    private static String statistic(Browser browser, String label) {
        return (String) browser.js("for (const d of document.querySelectorAll('#stats div'))"
                + " if (d.querySelector('dt').textContent === arguments[0]) return d.querySelector('dd').textContent;"
                + " return '';", label);
    }
}
