package io.syncpoint.lock.persistence.jdbi;

import io.syncpoint.lock.core.contract.StoreFixture;
import io.syncpoint.lock.core.port.out.AppointmentStore;
import io.syncpoint.lock.core.port.out.EventSubscriptions;
import io.syncpoint.lock.core.port.out.LockHistory;
import io.syncpoint.lock.core.port.out.LockStore;
import io.syncpoint.lock.core.port.out.UserStore;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One migrated database for a test class, with one or more nodes on it. All nodes share one clock
 * offset, so moving the clock moves it for the whole cluster. {@link #reset()} empties the tables
 * between tests, which is much cheaper than a new database per test.
 */
public final class TestDatabase implements AutoCloseable {
    private final PostgresSettings settings;
    private final AtomicReference<Duration> clockOffset = new AtomicReference<>(Duration.ZERO);
    private final List<PostgresBackend> nodes = new ArrayList<>();

    private TestDatabase(PostgresSettings settings) {
        this.settings = settings;
        nodes.add(PostgresBackend.start(settings, clockOffset::get));
    }

    /** A new database on the shared test server, with one node started on it. */
    public static TestDatabase create() {
        return new TestDatabase(TestPostgres.server().newDatabase());
    }

    public PostgresSettings settings() {
        return settings;
    }

    /** The node started with the database. */
    public PostgresBackend node() {
        return nodes.get(0);
    }

    /** Another node on the same database: its own pool and its own event listener. */
    public synchronized PostgresBackend startNode() {
        PostgresBackend node = PostgresBackend.start(settings, clockOffset::get);
        nodes.add(node);
        return node;
    }

    public void advanceClock(Duration duration) {
        clockOffset.updateAndGet(offset -> offset.plus(duration));
    }

    /** Empties every table and puts the clock back to the database's own time. */
    public void reset() {
        clockOffset.set(Duration.ZERO);
        try (Connection connection = DriverManager.getConnection(settings.jdbcUrl(), settings.user(), settings.password());
             Statement statement = connection.createStatement()) {
            statement.execute("TRUNCATE lock_history, appointment_due_steps, edit_requests, appointments, users");
        } catch (SQLException e) {
            throw new IllegalStateException("could not empty the test database", e);
        }
    }

    /** The contract's view of {@code node}; closing it leaves the database open for the next test. */
    public StoreFixture fixture(PostgresBackend node) {
        return new StoreFixture() {
            public LockStore locks() {
                return node.locks();
            }

            public LockHistory history() {
                return node.history();
            }

            public AppointmentStore appointments() {
                return node.appointments();
            }

            public UserStore users() {
                return node.users();
            }

            public EventSubscriptions events() {
                return node.eventSubscriptions();
            }

            public void advanceClock(Duration duration) {
                TestDatabase.this.advanceClock(duration);
            }
        };
    }

    @Override
    public synchronized void close() {
        nodes.forEach(PostgresBackend::close);
        nodes.clear();
    }
}
