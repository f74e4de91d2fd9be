package io.syncpoint.lock.persistence.jdbi;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.syncpoint.lock.core.port.out.AppointmentStore;
import io.syncpoint.lock.core.port.out.EventPublisher;
import io.syncpoint.lock.core.port.out.EventSubscriptions;
import io.syncpoint.lock.core.port.out.LockHistory;
import io.syncpoint.lock.core.port.out.LockStore;
import io.syncpoint.lock.core.port.out.StoreHealth;
import io.syncpoint.lock.core.port.out.StoreUnavailableException;
import io.syncpoint.lock.core.port.out.UserStore;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The PostgreSQL store of one node: a connection pool, the schema migrated to the current version,
 * the adapters of every out-port, and the listener that receives events from every node.
 */
public final class PostgresBackend implements AutoCloseable {
    /** How long a caller waits for a pooled connection before the store counts as unavailable. */
    static final Duration CONNECTION_TIMEOUT = Duration.ofSeconds(3);
    private static final int HEALTH_QUERY_TIMEOUT_SECONDS = 2;

    private final HikariDataSource pool;
    private final Database database;
    private final NotifyEventBus events;
    private final JdbiLockStore locks;
    private final JdbiLockHistory history;
    private final JdbiAppointmentStore appointments;
    private final JdbiUserStore users;

    private PostgresBackend(HikariDataSource pool, Database database, NotifyEventBus events) {
        this.pool = pool;
        this.database = database;
        this.events = events;
        this.locks = new JdbiLockStore(database);
        this.history = new JdbiLockHistory(database);
        this.appointments = new JdbiAppointmentStore(database);
        this.users = new JdbiUserStore(database);
    }

    /** Connects, migrates the schema and starts listening for events; fails when the database cannot be reached. */
    public static PostgresBackend start(PostgresSettings settings) {
        return start(settings, () -> Duration.ZERO);
    }

    /**
     * As {@link #start(PostgresSettings)}, with {@code clockOffset} added to the database's clock
     * wherever the store reads the time. A test hook: tests move a store's clock forward with it
     * instead of sleeping; production runs with no offset.
     */
    public static PostgresBackend start(PostgresSettings settings, Supplier<Duration> clockOffset) {
        loadAdapterClassesMeanwhile();
        HikariDataSource pool = null;
        try {
            pool = new HikariDataSource(poolConfig(settings));
            Migrations.migrate(pool);
            Database database = new Database(pool, clockOffset);
            return new PostgresBackend(pool, database, NotifyEventBus.start(database, settings));
        } catch (RuntimeException e) {
            if (pool != null) {
                pool.close();
            }
            RuntimeException translated = Failures.translate(e);
            if (translated instanceof StoreUnavailableException) {
                throw translated;
            }
            throw new IllegalStateException("could not start the PostgreSQL store at " + settings.jdbcUrl(), e);
        }
    }

    /**
     * Opening the pool and proving the schema wait on the database; making JDBI and the adapters waits on
     * nothing but loads about a thousand classes. A thread of its own makes a throwaway set of them while
     * the pool connects, so that the real ones, made after it, find their classes loaded. The throwaway
     * set is given a data source that is never asked for a connection.
     */
    private static void loadAdapterClassesMeanwhile() {
        Thread loading = new Thread(() -> {
            try {
                // The adapters as the constructor makes them; the throwaway has no pool or listener to close.
                new PostgresBackend(null, new Database(new PGSimpleDataSource(), () -> Duration.ZERO), null);
            } catch (RuntimeException | LinkageError e) {
                // Only a head start: the real adapters load whatever this did not, and fail as they would.
            }
        }, "syncpoint-class-loading");
        loading.setDaemon(true);
        loading.start();
    }

    /** The JDBI entry of this node, for tests in this package. */
    Database database() {
        return database;
    }

    /** Connections currently borrowed from this node's pool. */
    int activeConnections() {
        return pool.getHikariPoolMXBean().getActiveConnections();
    }

    private static HikariConfig poolConfig(PostgresSettings settings) {
        HikariConfig config = new HikariConfig();
        config.setPoolName("syncpoint");
        config.setDataSource(new ReconnectingDataSource(settings));
        config.setMaximumPoolSize(settings.poolSize());
        config.setMinimumIdle(Math.min(2, settings.poolSize()));
        config.setConnectionTimeout(CONNECTION_TIMEOUT.toMillis());
        return config;
    }

    public LockStore locks() {
        return locks;
    }

    public LockHistory history() {
        return history;
    }

    public AppointmentStore appointments() {
        return appointments;
    }

    public UserStore users() {
        return users;
    }

    public EventPublisher eventPublisher() {
        return events;
    }

    public EventSubscriptions eventSubscriptions() {
        return events;
    }

    /** A quick {@code SELECT 1} on plain JDBC; false, never an exception, when the database does not answer. */
    public StoreHealth health() {
        return () -> {
            try {
                return database.withConnection(connection -> {
                    try (Statement statement = connection.createStatement()) {
                        statement.setQueryTimeout(HEALTH_QUERY_TIMEOUT_SECONDS);
                        try (ResultSet rows = statement.executeQuery("SELECT 1")) {
                            return rows.next() && rows.getInt(1) == 1;
                        }
                    }
                });
            } catch (RuntimeException e) {
                return false;
            }
        };
    }

    @Override
    public void close() {
        events.close();
        pool.close();
    }
}
