package io.syncpoint.lock.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.interactions.Actions;

/** The appointment page with a six-second lease: renewal timed from the lease the server reports, and expiry. */
class ShortLeaseBrowserTest {
    @RegisterExtension
    static final BrowserFixture ui = new BrowserFixture(Map.of("LOCK_TTL_SECONDS", "6", "LOCK_SWEEP_INTERVAL_SECONDS", "1"));

    @Test
    void anEditorWhoKeepsTypingKeepsAShortLease() {
        Browser alice = ui.alice();
        String id = ui.openNewAppointment("Short lease", alice);
        alice.edit();

        // Typing at a person's pace for more than two leases.
        Actions typing = new Actions(alice.driver()).click(alice.driver().findElement(By.cssSelector("#editor [name=description]")));
        for (int i = 0; i < 16; i++) {
            typing.sendKeys("a").pause(Duration.ofMillis(900));
        }
        typing.perform();

        assertThat(alice.lockState()).isEqualTo("mine");
        assertThat(alice.clickable("save")).isTrue();
        assertThat(alice.field("description")).isEqualTo("a".repeat(16));
        alice.click("save");
        alice.waitUntil("saved and released", d -> "free".equals(alice.lockState()) && !alice.visible("alert-banner"));
        JsonNode history = ui.client.get("/appointments/" + id + "/lock-history", ui.aliceToken).json();
        assertThat(history.get("data").findValuesAsText("action")).containsExactly("released", "acquired");
        assertThat(history.get("data").get(0).get("renewalCount").asInt()).isGreaterThanOrEqualTo(4);
    }

    @Test
    void aLeaseThatExpiresWhileEditingTurnsThePageReadOnlyAndKeepsTheDraft() {
        Browser alice = ui.alice();
        String id = ui.openNewAppointment("Expiring lease", alice);
        alice.edit();
        alice.type("description", "An idea worth keeping");
        alice.failRequests("/acquire-lock");

        alice.waitUntil("Alice is told her lock expired", d -> alice.text("alert-text").contains("expired")
                && !alice.fieldEnabled("description") && !alice.clickable("save"));
        assertThat(alice.field("description")).isEqualTo("An idea worth keeping");
        alice.screenshot("expired-draft-kept");
        alice.navigate("#/");
    }
}
