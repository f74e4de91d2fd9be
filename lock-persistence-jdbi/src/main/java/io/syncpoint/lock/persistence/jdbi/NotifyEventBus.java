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
 * Events between nodes over PostgreSQL's NOTIFY. Every node keeps a dedicated connection and, while
 * anyone on it subscribes, LISTENs on one channel and hands what arrives to its local listeners, its
 * own events included, so delivery is the same whichever node caused an event. A node nobody on it
 * subscribes to does not LISTEN: the database then delivers its events to no one on it, which spares
 * the database a wake-up per event and this node its reading and decoding. Events sent while this
 * node's listener is reconnecting are not seen by it: after such a gap the {@link #onGap gap
 * listeners} run, so watchers re-read state.
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
    // How long a first subscriber waits for the LISTEN; one that gives up is told of a gap once it runs.
    private static final Duration SUBSCRIBE_TIMEOUT = Duration.ofSeconds(5);

    private final Database database;
    private final PostgresSettings settings;
    private final List<Consumer<DomainEvent>> listeners = new CopyOnWriteArrayList<>();
    private final List<Runnable> gapListeners = new CopyOnWriteArrayList<>();
    private final CountDownLatch connected = new CountDownLatch(1);
    private final Thread thread;
    private volatile boolean running = true;
    private volatile Connection connection;
    // Whether the connection LISTENs, and whether the listener thread is changing that; guarded by itself.
    private final Object listening = new Object();
    private boolean listens;
    private boolean changing;
    // Subscribers may have missed events: a subscriber gave up waiting, or a connection that LISTENed was lost.
    private boolean gapOwed;

    private NotifyEventBus(Database database, PostgresSettings settings) {
        this.database = database;
        this.settings = settings;
        this.thread = new Thread(this::listenUntilClosed, "syncpoint-notify-listener");
        this.thread.setDaemon(true);
    }

    /** Starts the listener thread and returns once its connection is open; it LISTENs from the first subscription. */
    static NotifyEventBus start(Database database, PostgresSettings settings) {
        NotifyEventBus bus = new NotifyEventBus(database, settings);
        bus.thread.start();
        try {
            if (!bus.connected.await(START_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                bus.close();
                throw new StoreUnavailableException("could not open the event listener's connection within "
                        + START_TIMEOUT, null);
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

    /**
     * Returns once this node LISTENs, so that every event committed afterwards reaches {@code listener};
     * or, when the database does not answer within {@link #SUBSCRIBE_TIMEOUT}, at once, and the gap
     * listeners run when it LISTENs. The last subscription's close ends the LISTEN within a poll.
     */
    @Override
    public Subscription subscribe(Consumer<DomainEvent> listener) {
        synchronized (listening) {
            listeners.add(listener);
            listening.notifyAll();
            long deadline = System.nanoTime() + SUBSCRIBE_TIMEOUT.toNanos();
            try {
                while (running && (!listens || changing)) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        LOG.warn("event listener not LISTENing after {}; subscribers re-read state once it does",
                                SUBSCRIBE_TIMEOUT);
                        gapOwed = true;
                        break;
                    }
                    TimeUnit.NANOSECONDS.timedWait(listening, left);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                gapOwed = true;
            }
        }
        return () -> listeners.remove(listener);
    }

    /** Whether the connection LISTENs now, for tests in this package. */
    boolean listens() {
        synchronized (listening) {
            return listens && !changing;
        }
    }

    @Override
    public Subscription onGap(Runnable listener) {
        gapListeners.add(listener);
        return () -> gapListeners.remove(listener);
    }

    @Override
    public void close() {
        running = false;
        synchronized (listening) {
            listening.notifyAll();
        }
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
                connected.countDown();
                backoff = FIRST_BACKOFF;
                serve(listener);
            } catch (SQLException | RuntimeException e) {
                synchronized (listening) {
                    gapOwed |= listens;
                    listens = false;
                    changing = false;
                }
                if (!running) {
                    return;
                }
                LOG.warn("event listener lost its connection, retrying in {} ms: {}", backoff.toMillis(), e.getMessage());
                sleep(backoff);
                backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /**
     * LISTENs while anyone subscribes and receives; waits for a subscriber while nobody does. Either
     * way the connection is probed now and then, since a silently dropped one would just look quiet.
     */
    private void serve(Connection listener) throws SQLException, InterruptedException {
        PGConnection notifications = listener.unwrap(PGConnection.class);
        long nextProbe = System.nanoTime() + PROBE_INTERVAL.toNanos();
        while (running) {
            boolean wanted;
            synchronized (listening) {
                wanted = !listeners.isEmpty();
                changing = wanted != listens;
            }
            if (wanted != listens) {
                try (Statement statement = listener.createStatement()) {
                    statement.execute((wanted ? "LISTEN " : "UNLISTEN ") + CHANNEL);
                }
                boolean gap;
                synchronized (listening) {
                    listens = wanted;
                    changing = false;
                    gap = wanted && gapOwed;
                    gapOwed &= !gap;
                    listening.notifyAll();
                }
                if (gap) {
                    LOG.info("event listener LISTENs again; events of the gap are lost, subscribers re-read state");
                    announceGap();
                }
            }
            if (listens) {
                PGNotification[] arrived = notifications.getNotifications(POLL_MILLIS);
                if (arrived != null) {
                    for (PGNotification notification : arrived) {
                        deliver(notification.getParameter());
                    }
                }
            } else {
                synchronized (listening) {
                    long untilProbe = nextProbe - System.nanoTime();
                    if (running && listeners.isEmpty() && untilProbe > 0) {
                        TimeUnit.NANOSECONDS.timedWait(listening, untilProbe);
                    }
                }
            }
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
