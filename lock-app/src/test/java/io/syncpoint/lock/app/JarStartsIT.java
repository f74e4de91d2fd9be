package io.syncpoint.lock.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.syncpoint.lock.persistence.jdbi.PostgresSettings;
import io.syncpoint.lock.persistence.jdbi.TestPostgres;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The packaged fat jar starts as its own process, serves the API, and stops cleanly on SIGTERM. */
class JarStartsIT {
    private static final Path JAR = Path.of(System.getProperty("lock.app.jar", "target/lock-app.jar"));

    @Test
    void theJarServesTheApiAndShutsDownGracefully() throws Exception {
        int port = freePort();
        Path log = Files.createTempFile("lock-app", ".log");
        Process process = start(Map.of("LOCK_PORT", Integer.toString(port)), log);
        try {
            ServerClient client = new ServerClient(port);
            assertThat(client.awaitHealthy(Duration.ofSeconds(60))).as(Files.readString(log)).isTrue();
            String alice = client.signIn(DemoData.ALICE_EMAIL, DemoData.ALICE_PASSWORD);
            String id = client.get("/appointments", alice).json().get("data").get(0).get("id").asText();
            ServerClient.Answer acquired = client.post("/appointments/" + id + "/acquire-lock", alice, Map.of());
            assertThat(acquired.status()).isEqualTo(200);
            assertThat(acquired.json().get("lock").get("fencingToken").isIntegralNumber()).isTrue();
        } finally {
            process.destroy();
            assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(Files.readString(log)).contains("LOCK_JWT_SECRET is not set", DemoData.ALICE_EMAIL, "Stopped");
    }

    @Test
    void theJarRunsOnPostgresWithItsMigrations() throws Exception {
        PostgresSettings database = TestPostgres.server().newDatabase(4);
        int port = freePort();
        Path log = Files.createTempFile("lock-app", ".log");
        Process process = start(Map.of("LOCK_PORT", Integer.toString(port), "LOCK_DB_URL", database.jdbcUrl(),
                "LOCK_DB_USER", database.user(), "LOCK_DB_PASSWORD", database.password(), "LOCK_DB_POOL_SIZE", "4",
                "LOCK_JWT_SECRET", "a-shared-secret-of-at-least-32-characters",
                "LOCK_ADMIN_EMAIL", "ops@example.com", "LOCK_ADMIN_PASSWORD", "ops-password"), log);
        try {
            ServerClient client = new ServerClient(port);
            assertThat(client.awaitHealthy(Duration.ofSeconds(60))).as(Files.readString(log)).isTrue();
            String admin = client.signIn("ops@example.com", "ops-password");
            String id = client.post("/appointments", admin, Map.of("title", "On PostgreSQL",
                    "startsAt", "2030-01-01T09:00:00Z", "endsAt", "2030-01-01T10:00:00Z")).json().get("id").asText();
            assertThat(client.post("/appointments/" + id + "/acquire-lock", admin, Map.of()).status()).isEqualTo(200);
        } finally {
            process.destroy();
            assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(Files.readString(log)).contains("PostgreSQL store", "Stopped");
    }

    @Test
    void aBadSettingStopsTheStartWithOneLineNamingIt() throws Exception {
        Path log = Files.createTempFile("lock-app", ".log");
        Process process = start(Map.of("LOCK_PORT", "eighty"), log);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).isEqualTo(2);
        List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
        assertThat(lines).hasSize(1);
        assertThat(lines.get(0)).contains("LOCK_PORT");
    }

    @Test
    void anAdminPasswordThatIsNotTheExistingAccountsStopsTheStartWithExitCode2() throws Exception {
        PostgresSettings database = TestPostgres.server().newDatabase(4);
        Map<String, String> env = new java.util.HashMap<>(Map.of("LOCK_PORT", "0", "LOCK_DB_URL", database.jdbcUrl(),
                "LOCK_DB_USER", database.user(), "LOCK_DB_PASSWORD", database.password(), "LOCK_DB_POOL_SIZE", "4",
                "LOCK_JWT_SECRET", "a-shared-secret-of-at-least-32-characters"));
        try (Application first = Application.start(Configuration.fromEnvironment(env))) {
            assertThat(new ServerClient(first.port()).post("/auth/signup", null, Map.of("email", "ops@example.com",
                    "name", "Mallory", "password", "mallorys-password")).status()).isEqualTo(201);
        }
        env.putAll(Map.of("LOCK_ADMIN_EMAIL", "ops@example.com", "LOCK_ADMIN_PASSWORD", "ops-password"));
        Path log = Files.createTempFile("lock-app", ".log");

        Process process = start(env, log);

        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(Files.readString(log)).isEqualTo(2);
        assertThat(Files.readAllLines(log, StandardCharsets.UTF_8))
                .filteredOn(line -> line.startsWith("Configuration error: LOCK_ADMIN_PASSWORD"))
                .singleElement().asString().contains("ops@example.com").doesNotContain("ops-password");
    }

    private static Process start(Map<String, String> env, Path log) throws IOException {
        assertThat(JAR).exists();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder builder = new ProcessBuilder(java, "-jar", JAR.toString())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().keySet().removeIf(name -> name.startsWith("LOCK_"));
        builder.environment().putAll(env);
        return builder.start();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
