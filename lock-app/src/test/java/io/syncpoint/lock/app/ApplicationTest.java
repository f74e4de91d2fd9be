package io.syncpoint.lock.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The wired server in this JVM: the embedded default with its demo data, the bootstrap admin, the sweeper,
 * the fair-access timings and the poll that takes their due steps.
 */
class ApplicationTest {

    @Test
    void theEmbeddedDefaultServesDemoAccountsAndAppointments() {
        try (Application app = Application.start(Configuration.fromEnvironment(Map.of("LOCK_PORT", "0")))) {
            ServerClient client = new ServerClient(app.port());
            assertThat(client.get("/health", null).json().get("database").asText()).isEqualTo("up");
            String alice = client.signIn(DemoData.ALICE_EMAIL, DemoData.ALICE_PASSWORD);
            String bob = client.signIn(DemoData.BOB_EMAIL, DemoData.BOB_PASSWORD);
            String admin = client.signIn(DemoData.ADMIN_EMAIL, DemoData.ADMIN_PASSWORD);

            JsonNode appointments = client.get("/appointments", alice).json();
            assertThat(appointments.get("total").asInt()).isEqualTo(3);
            String id = appointments.get("data").get(0).get("id").asText();
            assertThat(client.post("/appointments/" + id + "/acquire-lock", alice, Map.of()).status()).isEqualTo(200);
            assertThat(client.post("/appointments/" + id + "/acquire-lock", bob, Map.of()).status()).isEqualTo(409);
            assertThat(client.get("/locks", admin).json().get("total").asInt()).isEqualTo(1);
        }
    }

    @Test
    void theConfiguredAdminIsCreatedAndDemoDataCanBeTurnedOff() {
        try (Application app = Application.start(Configuration.fromEnvironment(Map.of("LOCK_PORT", "0",
                "LOCK_DEMO_DATA", "false", "LOCK_ADMIN_EMAIL", "root@example.com", "LOCK_ADMIN_PASSWORD", "root-password")))) {
            ServerClient client = new ServerClient(app.port());
            assertThat(client.post("/auth/signin", null, Map.of("email", DemoData.ALICE_EMAIL,
                    "password", DemoData.ALICE_PASSWORD)).status()).isEqualTo(401);
            String root = client.signIn("root@example.com", "root-password");
            assertThat(client.get("/auth/session", root).json().get("user").get("role").asText()).isEqualTo("admin");
            assertThat(client.get("/appointments", root).json().get("total").asInt()).isZero();
        }
    }

    @Test
    void theSweeperRecordsExpiredLeasesOnSchedule() throws InterruptedException {
        try (Application app = Application.start(Configuration.fromEnvironment(Map.of("LOCK_PORT", "0",
                "LOCK_TTL_SECONDS", "5", "LOCK_SWEEP_INTERVAL_SECONDS", "1")))) {
            ServerClient client = new ServerClient(app.port());
            String alice = client.signIn(DemoData.ALICE_EMAIL, DemoData.ALICE_PASSWORD);
            String id = client.get("/appointments", alice).json().get("data").get(0).get("id").asText();
            client.post("/appointments/" + id + "/acquire-lock", alice, Map.of());

            // Only the sweeper writes the expired row here: nothing else touches the appointment.
            Instant deadline = Instant.now().plus(Duration.ofSeconds(20));
            JsonNode history = client.get("/appointments/" + id + "/lock-history", alice).json();
            while (history.get("total").asInt() < 2 && Instant.now().isBefore(deadline)) {
                Thread.sleep(200);
                history = client.get("/appointments/" + id + "/lock-history", alice).json();
            }
            assertThat(history.get("data").findValuesAsText("action")).containsExactly("expired", "acquired");
        }
    }

    @Test
    void theDueStepPollHandsAnIdleHoldersLeaseToTheAskerOnItsOwn() throws InterruptedException {
        try (Application app = Application.start(Configuration.fromEnvironment(Map.of("LOCK_PORT", "0",
                "LOCK_IDLE_SECONDS", "1", "LOCK_HANDOFF_SECONDS", "1", "LOCK_OFFER_SECONDS", "7",
                "LOCK_IDLE_RELEASE_SECONDS", "9")))) {
            ServerClient client = new ServerClient(app.port());
            JsonNode settings = client.get("/settings", null).json();
            assertThat(settings.get("idleSeconds").asInt()).isEqualTo(1);
            assertThat(settings.get("handoffSeconds").asInt()).isEqualTo(1);
            assertThat(settings.get("offerSeconds").asInt()).isEqualTo(7);
            assertThat(settings.get("idleReleaseSeconds").asInt()).isEqualTo(9);
            String alice = client.signIn(DemoData.ALICE_EMAIL, DemoData.ALICE_PASSWORD);
            String bob = client.signIn(DemoData.BOB_EMAIL, DemoData.BOB_PASSWORD);
            String id = client.get("/appointments", alice).json().get("data").get(0).get("id").asText();
            client.post("/appointments/" + id + "/acquire-lock", alice, Map.of());
            assertThat(client.post("/appointments/" + id + "/edit-requests", bob, Map.of()).status()).isEqualTo(201);

            // Nobody calls the server now: only the scheduled poll can hand the lease over.
            Instant deadline = Instant.now().plus(Duration.ofSeconds(20));
            JsonNode lock = client.get("/appointments/" + id + "/lock-status", bob).json().get("lock");
            while (!lock.get("userInfo").get("email").asText().equals(DemoData.BOB_EMAIL) && Instant.now().isBefore(deadline)) {
                Thread.sleep(100);
                lock = client.get("/appointments/" + id + "/lock-status", bob).json().get("lock");
            }
            assertThat(lock.get("userInfo").get("email").asText()).isEqualTo(DemoData.BOB_EMAIL);
            JsonNode history = client.get("/appointments/" + id + "/lock-history", bob).json();
            assertThat(history.get("data").findValuesAsText("action")).containsExactly("acquired", "released", "acquired");
            assertThat(history.get("data").get(0).get("metadata").get("auto").asText()).isEqualTo("holder_idle");
        }
    }
}
