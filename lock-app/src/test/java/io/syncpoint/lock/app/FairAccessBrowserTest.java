package io.syncpoint.lock.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.support.ui.ExpectedConditions;

/**
 * Asking to edit in real browsers: the asker told where they stand in line, the holder answering with
 * Hand over (saving first) or Keep editing, and a released lock offered to the first in line while anyone else
 * is refused. The idle timings are long here, so only the people in the test hand anything over.
 */
class FairAccessBrowserTest {
    @RegisterExtension
    static final BrowserFixture ui = new BrowserFixture(Map.of("LOCK_IDLE_SECONDS", "120", "LOCK_HANDOFF_SECONDS", "60",
            "LOCK_OFFER_SECONDS", "30", "LOCK_IDLE_RELEASE_SECONDS", "600"));

    @Test
    void anAskerIsToldTheirPlaceInLineAndTheHolderHandsOverAfterSavingFirst() {
        Browser alice = ui.alice();
        Browser bob = ui.bob();
        Browser admin = ui.admin();
        String id = ui.openNewAppointment("Quarterly plan", alice, bob, admin);
        alice.edit();
        alice.type("description", "Agenda v2");
        long aliceToken = lock(id).get("fencingToken").asLong();

        bob.waitUntil("Bob may ask to edit", d -> "other".equals(bob.lockState()) && bob.clickable("ask-to-edit"));
        assertThat(bob.clickable("takeover")).as("Request control is for admins").isFalse();
        bob.click("ask-to-edit");
        bob.waitUntil("Bob is told Alice knows he waits", d -> bob.visible("request-banner")
                && bob.text("request-text").equals("We told Alice Example you are waiting (1st in line)."));
        assertThat(bob.clickable("withdraw-request")).isTrue();
        assertThat(bob.visible("ask-to-edit")).isFalse();
        bob.screenshot("asked-first-in-line");

        admin.waitUntil("the admin may ask and keeps Request control", d -> admin.clickable("ask-to-edit")
                && admin.clickable("takeover"));
        admin.click("ask-to-edit");
        admin.waitUntil("the admin is second in line", d -> admin.text("request-text")
                .equals("We told Alice Example you are waiting (2nd in line)."));

        alice.waitUntil("Alice sees who waits", d -> alice.visible("waiting-panel")
                && alice.text("waiting-text").equals("Bob Example asks to edit. 1 more waiting."));
        assertThat(alice.visible("handoff-notice")).as("no idle handoff is near").isFalse();
        alice.screenshot("sees-who-waits");
        alice.click("hand-over");
        alice.waitUntil("Alice is offered to save first", d -> alice.visible("save-first"));
        alice.screenshot("save-first");
        alice.click("save-and-hand-over");

        bob.waitUntil("Bob edits at once and is told who handed over", d -> bob.clickable("save")
                && bob.fieldEnabled("description")
                && bob.text("request-text").startsWith("Alice Example handed the lock over to you."));
        assertThat(bob.field("description")).as("Alice's saved text").isEqualTo("Agenda v2");
        bob.screenshot("handed-over-to-bob");
        alice.waitUntil("Alice is read-only and sees Bob editing", d -> "other".equals(alice.lockState())
                && alice.text("lock-text").equals("Bob Example is editing.") && !alice.fieldEnabled("description"));
        assertThat(alice.text("request-text")).isEqualTo("You handed the lock over to Bob Example.");
        assertThat(alice.visible("alert-banner")).as("nothing unsaved to keep").isFalse();
        admin.waitUntil("the admin moves up to first in line", d -> admin.text("request-text")
                .equals("We told Bob Example you are waiting (1st in line)."));
        assertThat(ui.client.get("/appointments/" + id, ui.aliceToken).json().get("description").asText()).isEqualTo("Agenda v2");

        JsonNode history = ui.client.get("/appointments/" + id + "/lock-history", ui.aliceToken).json().get("data");
        assertThat(history.get(0).get("action").asText()).isEqualTo("acquired");
        assertThat(history.get(0).get("userId").asText()).isEqualTo(user(bob));
        assertThat(history.get(0).get("metadata").get("handedOverFrom").asText()).isEqualTo(user(alice));
        assertThat(history.get(1).get("action").asText()).isEqualTo("released");
        assertThat(history.get(1).get("metadata").get("handedOverTo").asText()).isEqualTo(user(bob));
        assertThat(lock(id).get("fencingToken").asLong()).isGreaterThan(aliceToken);

        admin.click("withdraw-request");
        admin.waitUntil("the admin left the line and may ask again", d -> !admin.visible("request-banner")
                && admin.clickable("ask-to-edit"));
        bob.waitUntil("nobody waits for Bob", d -> !bob.visible("waiting-panel"));
        assertThat(ui.client.get("/appointments/" + id + "/edit-requests", ui.aliceToken).json().get("data")).isEmpty();
        bob.click("cancel-edit");
        alice.waitUntil("the lock frees", d -> "free".equals(alice.lockState()));
    }

    @Test
    void aHolderWhoKeepsEditingDeclinesAndTheAskerIsTold() {
        Browser alice = ui.alice();
        Browser bob = ui.bob();
        String id = ui.openNewAppointment("Board minutes", alice, bob);
        alice.edit();
        alice.type("title", " (draft)");
        bob.waitUntil("Bob may ask", d -> bob.clickable("ask-to-edit"));
        bob.click("ask-to-edit");
        alice.waitUntil("Alice sees Bob waiting", d -> alice.text("waiting-text").equals("Bob Example asks to edit."));

        alice.click("keep-editing");
        bob.waitUntil("Bob is told Alice keeps editing", d -> bob.text("request-text")
                .equals("Alice Example wants to keep editing for now. You can ask again later."));
        assertThat(bob.clickable("ask-to-edit")).as("Bob may ask again").isTrue();
        assertThat(bob.visible("withdraw-request")).isFalse();
        bob.screenshot("told-declined");
        alice.waitUntil("Alice sees nobody waiting and goes on", d -> !alice.visible("waiting-panel"));
        assertThat(alice.clickable("save")).isTrue();
        assertThat(alice.field("title")).isEqualTo("Board minutes (draft)");
        assertThat(lock(id).get("userId").asText()).isEqualTo(user(alice));
        assertThat(ui.client.get("/appointments/" + id + "/edit-requests", ui.aliceToken).json().get("data")).isEmpty();

        bob.click("dismiss-note");
        assertThat(bob.visible("request-banner")).isFalse();
        alice.click("save");
        bob.waitUntil("Bob sees the save and the free lock", d -> "free".equals(bob.lockState())
                && "Board minutes (draft)".equals(bob.field("title")));
    }

    @Test
    void aReleasedLockIsOfferedToTheFirstInLineWhileAThirdUserIsRefused() {
        Browser alice = ui.alice();
        Browser bob = ui.bob();
        Browser admin = ui.admin();
        String id = ui.openNewAppointment("Offsite logistics", alice, bob, admin);
        alice.edit();
        asksFirstInLineAndLeavesThePage(bob);

        alice.click("cancel-edit");
        admin.waitUntil("the admin sees the lock offered to Bob", d -> "reserved".equals(admin.lockState())
                && admin.text("lock-text").equals("Free, but offered to Bob Example first (next in line)."));
        admin.click("edit");
        admin.waitUntil("the admin is refused for Bob", d -> admin.visible("alert-banner") && admin.text("alert-text")
                .startsWith("The lock is reserved for Bob Example, who is next in line."));
        assertThat(admin.clickable("save")).isFalse();
        assertThat(admin.fieldEnabled("title")).isFalse();
        assertThat(admin.clickable("ask-to-edit")).as("the admin may join the line").isTrue();
        assertThat(admin.clickable("takeover")).as("an admin's takeover would go ahead of the reservation").isTrue();
        admin.screenshot("refused-reserved");
        JsonNode refusal = ui.client.post("/appointments/" + id + "/acquire-lock", ui.aliceToken, Map.of()).json();
        assertThat(refusal.get("code").asText()).isEqualTo("lock_reserved");

        bob.openAppointment(id, "Offsite logistics");
        bob.waitUntil("Bob's page takes the offered lock at once", d -> bob.clickable("save") && bob.fieldEnabled("title"));
        assertThat(bob.text("request-text")).contains("lock passed to you");
        bob.screenshot("took-offer");
        admin.waitUntil("the admin sees Bob editing", d -> admin.text("lock-text").equals("Bob Example is editing."));
        alice.waitUntil("Alice sees Bob editing", d -> alice.text("lock-text").equals("Bob Example is editing."));
        assertThat(lock(id).get("userId").asText()).isEqualTo(user(bob));
        bob.click("cancel-edit");
        alice.waitUntil("the lock frees", d -> "free".equals(alice.lockState()));
    }

    @Test
    void anAdminTakesControlAheadOfAReservationAndTheFirstInLineGetsTheNextTurn() {
        Browser alice = ui.alice();
        Browser bob = ui.bob();
        Browser admin = ui.admin();
        String id = ui.openNewAppointment("Budget freeze", alice, bob, admin);
        alice.edit();
        asksFirstInLineAndLeavesThePage(bob);
        alice.click("cancel-edit");

        admin.waitUntil("the admin sees the lock kept for Bob", d -> "reserved".equals(admin.lockState())
                && admin.clickable("takeover"));
        admin.click("takeover");
        admin.waitUntil("the confirmation", ExpectedConditions.alertIsPresent()).accept();
        admin.waitUntil("the admin edits", d -> admin.clickable("save") && admin.fieldEnabled("title"));
        assertThat(lock(id).get("userId").asText()).isEqualTo(user(admin));
        JsonNode line = ui.client.get("/appointments/" + id + "/edit-requests", ui.aliceToken).json().get("data");
        assertThat(line).hasSize(1);
        assertThat(line.get(0).get("state").asText()).isEqualTo("pending");
        assertThat(line.get(0).get("position").asInt()).isEqualTo(1);

        bob.openAppointment(id, "Budget freeze");
        bob.waitUntil("Bob is still first in line", d -> bob.text("request-text")
                .equals("We told Ada Admin you are waiting (1st in line)."));
        admin.click("cancel-edit");
        bob.waitUntil("Bob's page takes the next turn at once", d -> bob.clickable("save")
                && bob.text("request-text").startsWith("Ada Admin finished editing, so the lock passed to you."));
        bob.screenshot("next-turn-after-admin");
        bob.click("cancel-edit");
        alice.waitUntil("the lock frees", d -> "free".equals(alice.lockState()));
    }

    @Test
    void anAskerFindingTheLineFullIsToldToTryLater() {
        Browser bob = ui.bob();
        String id = ui.openNewAppointment("All hands", bob);
        assertThat(ui.client.post("/appointments/" + id + "/acquire-lock", ui.aliceToken, Map.of()).status()).isEqualTo(200);
        for (int i = 1; i <= 20; i++) {
            String token = ui.client.post("/auth/signup", null, Map.of("email", "waiting" + i + "@syncpoint.test",
                    "name", "Waiting " + i, "password", "waiting-pass-" + i)).json().get("token").asText();
            assertThat(ui.client.post("/appointments/" + id + "/edit-requests", token, Map.of()).status()).isEqualTo(201);
        }
        bob.waitUntil("Bob may ask", d -> bob.clickable("ask-to-edit"));

        bob.click("ask-to-edit");
        bob.waitUntil("Bob is told the line is full", d -> bob.visible("alert-banner") && bob.text("alert-text")
                .equals("20 people are already waiting to edit this appointment, the most there may be. Try again later."));
        assertThat(bob.visible("request-banner")).isFalse();
        assertThat(bob.clickable("ask-to-edit")).as("Bob may try again later").isTrue();
        bob.screenshot("line-full");
        assertThat(ui.client.delete("/appointments/" + id + "/release-lock", ui.aliceToken, Map.of()).status()).isEqualTo(200);
    }

    private static JsonNode lock(String appointmentId) {
        return ui.client.get("/appointments/" + appointmentId + "/lock-status", ui.aliceToken).json().get("lock");
    }

    private static String user(Browser browser) {
        return (String) browser.js("return JSON.parse(localStorage.getItem('syncpoint.user')).id;");
    }

    /** Asks to edit, then leaves the appointment's page: an offer then waits for this user instead of being taken at once. */
    private static void asksFirstInLineAndLeavesThePage(Browser bob) {
        bob.waitUntil("Bob may ask", d -> bob.clickable("ask-to-edit"));
        bob.click("ask-to-edit");
        bob.waitUntil("Bob waits first in line", d -> bob.text("request-text").contains("(1st in line)"));
        bob.navigate("#/");
        bob.waitUntil("Bob sees the list", d -> bob.visible("list-view"));
    }
}
