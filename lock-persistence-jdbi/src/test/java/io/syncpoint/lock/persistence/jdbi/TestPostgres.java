package io.syncpoint.lock.persistence.jdbi;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.postgresql.PostgreSQLContainer;

/**
 * The PostgreSQL server of a test JVM, started on first use and shared by every test class; each
 * class asks for a fresh database of its own ({@link #newDatabase()}).
 *
 * <p>Where the server comes from, first that works: {@code LOCK_TEST_JDBC_URL} (with
 * {@code LOCK_TEST_JDBC_USER}, {@code LOCK_TEST_JDBC_PASSWORD}; the user needs CREATEDB), a
 * Testcontainers container when Docker is available, else embedded PostgreSQL binaries. When none
 * works the test is skipped, or fails when {@code LOCK_TEST_REQUIRE_DB=true} (CI).
 */
public final class TestPostgres {
    private static final Pattern URL = Pattern.compile("^(jdbc:postgresql://[^/?]+/)([^?]*)(\\?.*)?$");
    private static final int DEFAULT_POOL_SIZE = 16;

    private static TestPostgres server;
    private static RuntimeException startFailure;

    private final String adminUrl;
    private final String user;
    private final String password;
    private final String source;

    private TestPostgres(String adminUrl, String user, String password, String source) {
        this.adminUrl = adminUrl;
        this.user = user;
        this.password = password;
        this.source = source;
    }

    /** The shared server; skips (or, with {@code LOCK_TEST_REQUIRE_DB=true}, fails) the calling test when there is none. */
    public static synchronized TestPostgres server() {
        if (server == null && startFailure == null) {
            try {
                server = startServer();
            } catch (RuntimeException e) {
                startFailure = e;
            }
        }
        if (server == null) {
            if ("true".equalsIgnoreCase(System.getenv("LOCK_TEST_REQUIRE_DB"))) {
                throw new IllegalStateException("a PostgreSQL database is required (LOCK_TEST_REQUIRE_DB=true)",
                        startFailure);
            }
            Assumptions.abort("no PostgreSQL available: " + startFailure.getMessage());
        }
        return server;
    }

    /** Settings for a new, empty database on this server, with the default pool size. */
    public PostgresSettings newDatabase() {
        return newDatabase(DEFAULT_POOL_SIZE);
    }

    public PostgresSettings newDatabase(int poolSize) {
        String name = "syncpoint_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        try (Connection admin = adminConnection();
             Statement statement = admin.createStatement()) {
            statement.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("could not create test database " + name + " on " + source, e);
        }
        Matcher url = URL.matcher(adminUrl);
        if (!url.matches()) {
            throw new IllegalStateException("cannot derive a database URL from " + adminUrl);
        }
        String query = url.group(3) == null ? "" : url.group(3);
        return new PostgresSettings(url.group(1) + name + query, user, password, poolSize);
    }

    /** A connection to the server's administrative database, for tests that change databases from outside. */
    /**
     * Opens or closes one database of this server to connections; closing also ends the open ones,
     * as a database outage would.
     */
    public void setConnectionsAllowed(PostgresSettings database, boolean allowed) {
        String url = database.jdbcUrl();
        String name = url.substring(url.lastIndexOf('/') + 1).replaceFirst("\\?.*$", "");
        try (Connection admin = adminConnection(); java.sql.Statement statement = admin.createStatement()) {
            statement.execute("ALTER DATABASE " + name + " ALLOW_CONNECTIONS " + allowed);
            if (!allowed) {
                statement.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '"
                        + name + "' AND pid <> pg_backend_pid()");
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not change the connections of database " + name, e);
        }
    }

    public Connection adminConnection() throws SQLException {
        return DriverManager.getConnection(adminUrl, user, password);
    }

    /** Runs one statement in a database of this server from outside the application, as an operator would. */
    public int execute(PostgresSettings database, String sql, Object... parameters) {
        try (Connection connection = DriverManager.getConnection(database.jdbcUrl(), database.user(), database.password());
             java.sql.PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setObject(i + 1, parameters[i]);
            }
            return statement.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("could not run " + sql, e);
        }
    }

    /** Where this server came from: environment, container or embedded. */
    public String source() {
        return source;
    }

    private static TestPostgres startServer() {
        String url = System.getenv("LOCK_TEST_JDBC_URL");
        if (url != null && !url.isBlank()) {
            return new TestPostgres(url, envOr("LOCK_TEST_JDBC_USER", "postgres"), envOr("LOCK_TEST_JDBC_PASSWORD", ""),
                    "environment");
        }
        if (dockerMightBeThere() && DockerClientFactory.instance().isDockerAvailable()) {
            return container();
        }
        return embedded();
    }

    /**
     * Asking Testcontainers when there is no Docker at all is slow and logs a screen of errors, so
     * it is asked only when something points to Docker.
     */
    private static boolean dockerMightBeThere() {
        Path home = Path.of(System.getProperty("user.home"));
        return System.getenv("DOCKER_HOST") != null
                || Files.exists(Path.of("/var/run/docker.sock"))
                || Files.exists(home.resolve(".docker/run/docker.sock"))
                || Files.exists(home.resolve(".testcontainers.properties"));
    }

    @SuppressWarnings("resource")
    private static TestPostgres container() {
        PostgreSQLContainer container = new PostgreSQLContainer("postgres:16-alpine")
                .withCommand("postgres", "-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "max_connections=300");
        container.start();
        Runtime.getRuntime().addShutdownHook(new Thread(container::stop, "test-postgres-stop"));
        return new TestPostgres(container.getJdbcUrl(), container.getUsername(), container.getPassword(), "container");
    }

    private static TestPostgres embedded() {
        try {
            EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                    .setServerConfig("fsync", "off")
                    .setServerConfig("synchronous_commit", "off")
                    .setServerConfig("full_page_writes", "off")
                    .setServerConfig("max_connections", "300")
                    .setRegisterShutdownHook(true)
                    .start();
            return new TestPostgres(postgres.getJdbcUrl("postgres", "postgres"), "postgres", "", "embedded");
        } catch (java.io.IOException | RuntimeException e) {
            throw new IllegalStateException("embedded PostgreSQL did not start: " + e.getMessage(), e);
        }
    }

    private static String envOr(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
