package io.syncpoint.lock.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.interactions.Actions;

/**
 * Idle editors with the timings shortened: idle after 5 s, a request handed over after 4 s, "Still editing?"
 * after 15 s without typing (and released 15 s later without an answer). An editor at work keeps the lock; an idle one hands over after a countdown.
 */
class IdleEditorBrowserTest {
    @RegisterExtension
    static final BrowserFixture ui = new BrowserFixture(Map.of("LOCK_IDLE_SECONDS", "5", "LOCK_HANDOFF_SECONDS", "4",
            "LOCK_OFFER_SECONDS", "10", "LOCK_IDLE_RELEASE_SECONDS", "15"));

    @Test
    void anEditorAtWorkKeepsTheLockAndAnIdleOneHandsOverAfterACountdownKeepingTheDraft() {
        Browser alice = ui.alice();
        Browser bob = ui.bob();
        String id = ui.openNewAppointment("Field trip", alice, bob);
        alice.edit();
        bob.waitUntil("Bob may ask", d -> bob.clickable("ask-to-edit"));
        bob.click("ask-to-edit");
        alice.waitUntil("Alice sees Bob waiting", d -> alice.text("waiting-text").equals("Bob Example asks to edit."));

        // Typing at a person's pace for twice the handoff wait: every renewal says she is at work.
        Instant typingFrom = Instant.now();
        Actions typing = new Actions(alice.driver()).click(alice.driver().findElement(By.cssSelector("#editor [name=description]")));
        for (int i = 0; i < 12; i++) {
            typing.sendKeys("b").pause(Duration.ofMillis(700));
        }
        typing.perform();
        assertThat(Duration.between(typingFrom, Instant.now())).isGreaterThan(Duration.ofSeconds(8));
        assertThat(alice.clickable("save")).as("an editor at work keeps the lock").isTrue();
        assertThat(lock(id).get("userId").asText()).isEqualTo(user(alice));
        assertThat(Instant.parse(lock(id).get("lastActiveAt").asText())).isAfter(typingFrom);

        alice.waitUntil("Alice is warned before the idle handoff", d -> alice.visible("handoff-notice")
                && alice.text("handoff-text").contains("the lock passes to Bob Example")
                && alice.text("handoff-countdown").startsWith("Handing over in 0:0"));
        alice.screenshot("handoff-countdown");
        bob.waitUntil("Bob gets the lock on his open page and is told why", d -> bob.clickable("save")
                && bob.fieldEnabled("description")
                && bob.text("request-text").startsWith("Alice Example was away, so the lock passed to you."));
        bob.screenshot("auto-handed-over");
        alice.waitUntil("Alice is told and keeps her text as a draft", d -> !alice.fieldEnabled("description")
                && alice.text("alert-text").startsWith("You were away, so the lock passed to Bob Example"));
        assertThat(alice.field("description")).isEqualTo("b".repeat(12));
        alice.screenshot("auto-handed-over-draft-kept");

        JsonNode acquired = ui.client.get("/appointments/" + id + "/lock-history", ui.aliceToken).json().get("data").get(0);
        assertThat(acquired.get("action").asText()).isEqualTo("acquired");
        assertThat(acquired.get("metadata").get("auto").asText()).isEqualTo("holder_idle");
        assertThat(acquired.get("metadata").get("handedOverFrom").asText()).isEqualTo(user(alice));
        bob.click("cancel-edit");
        alice.waitUntil("the lock frees", d -> "free".equals(alice.lockState()));
    }

    @Test
    void anEditorQuietForTheIdleReleaseTimeIsAskedAndReleasedWhenSilentKeepingTheDraft() {
        Browser alice = ui.alice();
        Browser bob = ui.bob();
        String id = ui.openNewAppointment("Retro notes", alice, bob);
        alice.edit();
        alice.type("description", "Went well: demos");

        alice.waitUntil("Alice is asked whether she is still editing", Duration.ofSeconds(30),
                d -> alice.visible("still-editing") && alice.text("still-editing-title").equals("Still editing?"));
        alice.screenshot("still-editing");
        alice.click("still-editing-yes");
        assertThat(alice.visible("still-editing")).isFalse();
        assertThat(alice.clickable("save")).isTrue();

        // The question shows for a while only; the page notes it, so a slow poll cannot miss it.
        alice.js("const q = document.getElementById('still-editing'); window.__askedAt = null; window.__releasedAt = null;"
                + "new MutationObserver(() => { if (!q.hidden) window.__askedAt ??= Date.now(); }).observe(q, { attributes: true });"
                + "const banner = document.getElementById('lock-banner');"
                + "new MutationObserver(() => { if (banner.dataset.state === 'free') window.__releasedAt ??= Date.now(); })"
                + ".observe(banner, { attributes: true });");
        alice.waitUntil("nobody answers: the lock is released and the draft kept", Duration.ofSeconds(45),
                d -> !alice.visible("still-editing") && "free".equals(alice.lockState())
                        && alice.text("alert-text").startsWith("You were away, so your lock was released for others."));
        assertThat(alice.js("return window.__askedAt !== null;")).as("asked again before the release").isEqualTo(true);
        assertThat((Long) alice.js("return window.__releasedAt - window.__askedAt;")).as("ms between the question and the release")
                .isGreaterThanOrEqualTo(14_000L);
        assertThat(alice.field("description")).isEqualTo("Went well: demos");
        assertThat(alice.fieldEnabled("description")).isFalse();
        assertThat(alice.js("return localStorage.getItem('syncpoint.draft.' + JSON.parse(localStorage.getItem('syncpoint.user')).id"
                + " + '.' + arguments[0]);", id)).asString().contains("Went well: demos");
        alice.screenshot("released-draft-kept");
        bob.waitUntil("Bob sees the lock free", d -> "free".equals(bob.lockState()) && bob.clickable("edit"));
        assertThat(ui.client.get("/appointments/" + id + "/lock-history", ui.aliceToken).json().get("data").get(0)
                .get("action").asText()).isEqualTo("released");

        alice.edit();
        assertThat(alice.field("description")).as("the draft goes on").isEqualTo("Went well: demos");
        alice.click("save");
        alice.waitUntil("the draft is saved", d -> "free".equals(alice.lockState()) && !alice.visible("alert-banner"));
        assertThat(ui.client.get("/appointments/" + id, ui.aliceToken).json().get("description").asText())
                .isEqualTo("Went well: demos");
    }

    private static JsonNode lock(String appointmentId) {
        return ui.client.get("/appointments/" + appointmentId + "/lock-status", ui.aliceToken).json().get("lock");
    }

    private static String user(Browser browser) {
        return (String) browser.js("return JSON.parse(localStorage.getItem('syncpoint.user')).id;");
    }
}
