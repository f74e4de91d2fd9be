package io.syncpoint.lock.persistence.jdbi;

import io.syncpoint.lock.core.event.DomainEvent;
import io.syncpoint.lock.core.port.out.EventPublisher;
import io.syncpoint.lock.core.port.out.EventSubscriptions;
import io.syncpoint.lock.core.port.out.StoreUnavailableException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.jdbi.v3.core.Handle;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Events between nodes over PostgreSQL's NOTIFY. Every node LISTENs on one channel with a
 * dedicated connection and hands what arrives to its local listeners, its own events included,
 * so delivery is the same whichever node caused an event. Events sent while this node's listener
 * is reconnecting are not seen by it: after each reconnect the {@link #onGap gap listeners} run,
 * so watchers re-read state.
 */
final class NotifyEventBus implements EventPublisher, EventSubscriptions, AutoCloseable {
    static final String CHANNEL = "syncpoint_events";

    private static final Logger LOG = LoggerFactory.getLogger(NotifyEventBus.class);
    private static final int POLL_MILLIS = 250;
    private static final Duration PROBE_INTERVAL = Duration.ofSeconds(10);
    private static final Duration FIRST_BACKOFF = Duration.ofMillis(100);
    // Short enough that events flow again within seconds of the database's return.
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(2);
    private static final Duration START_TIMEOUT = Duration.ofSeconds(15);

    private final Database database;
    private final PostgresSettings settings;
    private final List<Consumer<DomainEvent>> listeners = new CopyOnWriteArrayList<>();
    private final List<Runnable> gapListeners = new CopyOnWriteArrayList<>();
    private final CountDownLatch listening = new CountDownLatch(1);
    private final Thread thread;
    private volatile boolean running = true;
    private volatile Connection connection;

    private NotifyEventBus(Database database, PostgresSettings settings) {
        this.database = database;
        this.settings = settings;
        this.thread = new Thread(this::listenUntilClosed, "syncpoint-notify-listener");
        this.thread.setDaemon(true);
    }

    /** Starts the listener and returns once it is LISTENing, so no event committed afterwards is missed. */
    static NotifyEventBus start(Database database, PostgresSettings settings) {
        NotifyEventBus bus = new NotifyEventBus(database, settings);
        bus.thread.start();
        try {
            if (!bus.listening.await(START_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                bus.close();
                throw new StoreUnavailableException("could not LISTEN on " + CHANNEL + " within " + START_TIMEOUT, null);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            bus.close();
            throw new IllegalStateException("interrupted while starting the event listener", e);
        }
        return bus;
    }

    /** Sends {@code event} on {@code handle}'s connection; inside a transaction it is delivered only on commit. */
    static void notify(Handle handle, DomainEvent event) {
        handle.createQuery("SELECT pg_notify(:channel, :payload)")
                .bind("channel", CHANNEL)
                .bind("payload", EventCodec.encode(event))
                .map((rs, ctx) -> Boolean.TRUE)
                .one();
    }

    /**
     * Queues already encoded events on {@code batch} as one statement that sends them in list order;
     * inside a transaction they are delivered only on commit.
     */
    static void notifyInOrder(StatementBatch batch, List<String> payloads) {
        if (payloads.isEmpty()) {
            return;
        }
        batch.add("SELECT pg_notify(?, payload) FROM unnest(CAST(? AS text[])) AS payload", CHANNEL,
                payloads.toArray(String[]::new));
    }

    @Override
    public void publish(DomainEvent event) {
        database.withHandle(handle -> {
            notify(handle, event);
            return null;
        });
    }

    @Override
    public Subscription subscribe(Consumer<DomainEvent> listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    @Override
    public Subscription onGap(Runnable listener) {
        gapListeners.add(listener);
        return () -> gapListeners.remove(listener);
    }

    @Override
    public void close() {
        running = false;
        closeQuietly(connection);
        try {
            thread.join(TimeUnit.SECONDS.toMillis(2));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void listenUntilClosed() {
        Duration backoff = FIRST_BACKOFF;
        while (running) {
            try (Connection listener = connect()) {
                connection = listener;
                try (Statement statement = listener.createStatement()) {
                    statement.execute("LISTEN " + CHANNEL);
                }
                boolean reconnected = listening.getCount() == 0;
                listening.countDown();
                backoff = FIRST_BACKOFF;
                if (reconnected) {
                    LOG.info("event listener reconnected; events of the gap are lost, subscribers re-read state");
                    announceGap();
                }
                receive(listener.unwrap(PGConnection.class), listener);
            } catch (SQLException | RuntimeException e) {
                if (!running) {
                    return;
                }
                LOG.warn("event listener lost its connection, retrying in {} ms: {}", backoff.toMillis(), e.getMessage());
                sleep(backoff);
                backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
            }
        }
    }

    private void receive(PGConnection notifications, Connection listener) throws SQLException {
        long nextProbe = System.nanoTime() + PROBE_INTERVAL.toNanos();
        while (running) {
            PGNotification[] arrived = notifications.getNotifications(POLL_MILLIS);
            if (arrived != null) {
                for (PGNotification notification : arrived) {
                    deliver(notification.getParameter());
                }
            }
            // A silently dropped connection would otherwise just look quiet.
            if (System.nanoTime() > nextProbe) {
                if (!listener.isValid(2)) {
                    throw new SQLException("event listener connection is no longer valid", "08006");
                }
                nextProbe = System.nanoTime() + PROBE_INTERVAL.toNanos();
            }
        }
    }

    private void announceGap() {
        for (Runnable listener : gapListeners) {
            try {
                listener.run();
            } catch (RuntimeException e) {
                LOG.warn("gap listener failed", e);
            }
        }
    }

    private void deliver(String payload) {
        DomainEvent event;
        try {
            event = EventCodec.decode(payload);
        } catch (RuntimeException e) {
            LOG.warn("ignoring an unreadable event payload: {}", e.getMessage());
            return;
        }
        for (Consumer<DomainEvent> listener : listeners) {
            try {
                listener.accept(event);
            } catch (RuntimeException e) {
                LOG.warn("event listener failed on {}", event.getClass().getSimpleName(), e);
            }
        }
    }

    private Connection connect() throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("user", settings.user());
        properties.setProperty("password", settings.password());
        properties.setProperty("connectTimeout", "5");
        properties.setProperty("tcpKeepAlive", "true");
        properties.setProperty("ApplicationName", "syncpoint-events");
        return DriverManager.getConnection(settings.jdbcUrl(), properties);
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void closeQuietly(Connection connection) {
        if (connection == null) {
            return;
        }
        try {
            connection.close();
        } catch (SQLException e) {
            LOG.debug("closing the listener connection failed", e);
        }
    }
}
