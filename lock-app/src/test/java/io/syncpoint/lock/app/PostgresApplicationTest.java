package io.syncpoint.lock.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.syncpoint.lock.persistence.jdbi.PostgresSettings;
import io.syncpoint.lock.persistence.jdbi.TestPostgres;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** With LOCK_DB_URL the server runs on PostgreSQL, and what it stores outlives a restart. */
class PostgresApplicationTest {
    private static final String SECRET = "a-shared-secret-of-at-least-32-characters";

    @Test
    void accountsAppointmentsAndLeasesSurviveARestart() {
        PostgresSettings database = TestPostgres.server().newDatabase(4);
        Map<String, String> env = new HashMap<>(Map.of("LOCK_PORT", "0", "LOCK_DB_URL", database.jdbcUrl(),
                "LOCK_DB_USER", database.user(), "LOCK_DB_PASSWORD", database.password(), "LOCK_DB_POOL_SIZE", "4",
                "LOCK_JWT_SECRET", SECRET, "LOCK_ADMIN_EMAIL", "ops@example.com", "LOCK_ADMIN_PASSWORD", "ops-password"));
        String appointmentId;
        String adminToken;
        try (Application first = Application.start(Configuration.fromEnvironment(env))) {
            ServerClient client = new ServerClient(first.port());
            assertThat(client.get("/health", null).json().get("database").asText()).isEqualTo("up");
            assertThat(client.post("/auth/signin", null, Map.of("email", DemoData.ALICE_EMAIL,
                    "password", DemoData.ALICE_PASSWORD)).status()).as("no demo data by default").isEqualTo(401);
            adminToken = client.signIn("ops@example.com", "ops-password");
            appointmentId = client.post("/appointments", adminToken, Map.of("title", "Kept",
                    "startsAt", "2030-01-01T09:00:00Z", "endsAt", "2030-01-01T10:00:00Z")).json().get("id").asText();
            assertThat(client.post("/appointments/" + appointmentId + "/acquire-lock", adminToken, Map.of()).status())
                    .isEqualTo(200);
        }
        try (Application second = Application.start(Configuration.fromEnvironment(env))) {
            ServerClient client = new ServerClient(second.port());
            ServerClient.Answer status = client.get("/appointments/" + appointmentId + "/lock-status", adminToken);
            assertThat(status.status()).as("a token of the first run is valid on the second").isEqualTo(200);
            assertThat(status.json().get("state").asText()).isEqualTo("locked_by_user");
        }
    }

    @Test
    void theBootstrapAdminDoesNotTakeOverAnAccountSomeoneElseSignedUpWith() {
        PostgresSettings database = TestPostgres.server().newDatabase(4);
        Map<String, String> env = new HashMap<>(Map.of("LOCK_PORT", "0", "LOCK_DB_URL", database.jdbcUrl(),
                "LOCK_DB_USER", database.user(), "LOCK_DB_PASSWORD", database.password(), "LOCK_DB_POOL_SIZE", "4",
                "LOCK_JWT_SECRET", SECRET));
        try (Application first = Application.start(Configuration.fromEnvironment(env))) {
            assertThat(new ServerClient(first.port()).post("/auth/signup", null, Map.of("email", "ops@example.com",
                    "name", "Mallory", "password", "mallorys-password")).status()).isEqualTo(201);
        }
        env.putAll(Map.of("LOCK_ADMIN_EMAIL", "ops@example.com", "LOCK_ADMIN_PASSWORD", "ops-password"));

        Throwable refused = catchThrowable(() -> Application.start(Configuration.fromEnvironment(env)).close());

        assertThat(refused).isInstanceOfSatisfying(ConfigurationException.class, e -> {
            assertThat(e.variable()).isEqualTo("LOCK_ADMIN_PASSWORD");
            assertThat(e.getMessage()).contains("ops@example.com").doesNotContain("ops-password");
        });
        env.put("LOCK_ADMIN_PASSWORD", "mallorys-password");
        try (Application second = Application.start(Configuration.fromEnvironment(env))) {
            ServerClient client = new ServerClient(second.port());
            String owner = client.signIn("ops@example.com", "mallorys-password");
            assertThat(client.get("/auth/session", owner).json().at("/user/role").asText())
                    .as("with the account's own password it is promoted").isEqualTo("admin");
        }
    }
}
