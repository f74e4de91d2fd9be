package io.syncpoint.lock.app;

import io.syncpoint.lock.core.port.out.LockStore;
import io.syncpoint.lock.persistence.jdbi.PostgresSettings;
import io.syncpoint.lock.persistence.jdbi.TestPostgres;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * Server nodes on one fresh PostgreSQL database, each a real {@link Application} on a free port,
 * sharing the JWT secret; {@link #close} stops whatever is still running.
 */
final class TestCluster implements AutoCloseable {
    static final String SECRET = "a-cluster-secret-of-at-least-32-characters";
    static final String ADMIN_EMAIL = "chief@syncpoint.test";
    static final String ADMIN_PASSWORD = "chief-admin-pass";

    private final PostgresSettings database;
    private final List<Application> running = new ArrayList<>();

    TestCluster() {
        this.database = TestPostgres.server().newDatabase(8);
    }

    PostgresSettings database() {
        return database;
    }

    /** A node with the given settings on top of the cluster's (database, secret, an admin, generous rate limits). */
    Application start(Map<String, String> settings) {
        return start(settings, Clock.systemUTC(), UnaryOperator.identity());
    }

    Application start(Map<String, String> settings, Clock clock, UnaryOperator<LockStore> lockStore) {
        Map<String, String> env = new HashMap<>(Map.of("LOCK_PORT", "0", "LOCK_DB_URL", database.jdbcUrl(),
                "LOCK_DB_USER", database.user(), "LOCK_DB_PASSWORD", database.password(), "LOCK_DB_POOL_SIZE", "6",
                "LOCK_JWT_SECRET", SECRET, "LOCK_ADMIN_EMAIL", ADMIN_EMAIL, "LOCK_ADMIN_PASSWORD", ADMIN_PASSWORD,
                "LOCK_RATE_LIMIT_PER_MINUTE", "1000000", "LOCK_LOCK_RATE_LIMIT_PER_MINUTE", "1000000"));
        env.putAll(settings);
        Application node = Application.start(Configuration.fromEnvironment(env), clock, lockStore);
        synchronized (running) {
            running.add(node);
        }
        return node;
    }

    /** Stops a node the way a crash looks to the others: its leases stay in the database. */
    void stop(Application node) {
        synchronized (running) {
            if (!running.remove(node)) {
                return;
            }
        }
        node.close();
    }

    @Override
    public void close() {
        List<Application> nodes;
        synchronized (running) {
            nodes = new ArrayList<>(running);
        }
        nodes.forEach(this::stop);
    }
}
