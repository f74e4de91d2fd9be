package io.syncpoint.lock.app;

import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.syncpoint.lock.core.domain.FairAccessPolicy;
import io.syncpoint.lock.core.domain.LeasePolicy;
import io.syncpoint.lock.core.memory.HistoryRetention;
import io.syncpoint.lock.core.memory.InMemoryStore;
import io.syncpoint.lock.core.memory.InMemoryUserStore;
import io.syncpoint.lock.core.memory.InProcessEventBus;
import io.syncpoint.lock.core.port.in.RunDueSteps;
import io.syncpoint.lock.core.port.out.AppointmentStore;
import io.syncpoint.lock.core.port.out.EventPublisher;
import io.syncpoint.lock.core.port.out.EventSubscriptions;
import io.syncpoint.lock.core.port.out.IdGenerator;
import io.syncpoint.lock.core.port.out.LockHistory;
import io.syncpoint.lock.core.port.out.LockStore;
import io.syncpoint.lock.core.port.out.StoreHealth;
import io.syncpoint.lock.core.port.out.UserStore;
import io.syncpoint.lock.core.service.AccountService;
import io.syncpoint.lock.core.service.AppointmentService;
import io.syncpoint.lock.core.service.EditRequestService;
import io.syncpoint.lock.core.service.LockService;
import io.syncpoint.lock.persistence.jdbi.PostgresBackend;
import io.syncpoint.lock.persistence.jdbi.PostgresSettings;
import io.syncpoint.lock.web.BcryptPasswordHasher;
import io.syncpoint.lock.web.JwtAccessTokens;
import io.syncpoint.lock.web.WebDependencies;
import io.syncpoint.lock.web.WebServer;
import io.syncpoint.lock.web.WebSettings;
import io.syncpoint.lock.web.ws.WebSocketGateway;
import io.syncpoint.lock.web.ws.WebSocketSettings;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The whole object graph of the server, wired by hand from a {@link Configuration}: the stores
 * (in memory, or PostgreSQL), the core services, the HTTP and WebSocket adapters, the expiry sweeper and
 * the poll that takes the timed steps of fair access (idle handoffs, lapsed offers) when they fall due.
 */
public final class Application implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Application.class);
    /** Every node polls this often, so a timed step happens well within 2 s of its due time. */
    static final Duration DUE_STEP_POLL = Duration.ofMillis(500);

    private final Stores stores;
    private final WebSocketGateway gateway;
    private final WebServer web;
    private final ScheduledExecutorService timers;
    private final int port;

    private Application(Stores stores, WebSocketGateway gateway, WebServer web, ScheduledExecutorService timers,
                        int port) {
        this.stores = stores;
        this.gateway = gateway;
        this.web = web;
        this.timers = timers;
        this.port = port;
    }

    public static Application start(Configuration config) {
        return start(config, Clock.systemUTC(), UnaryOperator.identity());
    }

    /**
     * Starts with {@code clock} as this node's application clock and {@code lockStore} around the
     * configured lock store; tests use it for skewed nodes and for stores that break the rules on purpose.
     */
    static Application start(Configuration config, Clock clock, UnaryOperator<LockStore> lockStore) {
        Stores configured = config.database().map(Application::postgresStores)
                .orElseGet(() -> inMemoryStores(clock, config.memoryHistory()));
        Stores stores = configured.withLocks(lockStore.apply(configured.locks()));
        try {
            return start(config, stores, clock);
        } catch (RuntimeException e) {
            stores.close();
            throw e;
        }
    }

    private static Application start(Configuration config, Stores stores, Clock clock) {
        JwtAccessTokens tokens = new JwtAccessTokens(jwtSecret(config), config.jwtTtl(), clock);
        AccountService accounts = new AccountService(stores.users(), new BcryptPasswordHasher(), tokens,
                IdGenerator.timeOrdered(), clock);
        LeasePolicy leasePolicy = new LeasePolicy(config.leaseTtl());
        FairAccessPolicy fairAccess = new FairAccessPolicy(config.idle(), config.handoff(), config.offer(),
                config.idleRelease(), FairAccessPolicy.DEFAULT_MAX_OPEN_REQUESTS);
        LockService locks = new LockService(stores.locks(), stores.history(), stores.appointments(), leasePolicy,
                fairAccess, IdGenerator.timeOrdered());
        EditRequestService editRequests = new EditRequestService(stores.locks(), leasePolicy, fairAccess,
                IdGenerator.timeOrdered());
        AppointmentService appointments = new AppointmentService(stores.appointments(), stores.locks(),
                IdGenerator.timeOrdered(), clock, fairAccess);

        config.admin().ifPresent(admin -> {
            if (!accounts.ensureAdmin(admin.email(), "Administrator", admin.password()).isOk()) {
                throw new ConfigurationException("LOCK_ADMIN_PASSWORD", "is not the password of the existing account "
                        + admin.email() + " (LOCK_ADMIN_EMAIL); an existing account becomes admin only with its own password");
            }
            LOG.info("Admin account {} is ready", admin.email());
        });
        if (config.demoData()) {
            AccountService demoAccounts = new AccountService(stores.users(), DemoData.hasher(), tokens,
                    IdGenerator.timeOrdered(), clock);
            DemoData.load(demoAccounts, appointments, stores.appointments(), clock);
        }

        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new JvmMemoryMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new JvmGcMetrics().bindTo(registry);
        WebSettings settings = new WebSettings(config.port(), config.corsOrigins(),
                new WebSettings.RateLimits(config.requestsPerMinute(), config.lockAttemptsPerMinute(),
                        config.signInsPerAccountPerMinute(), config.signInsPerAddressPerMinute()),
                WebSettings.DEFAULT_MAX_BODY_BYTES, config.metricsPublic(), config.requestThreads());
        WebSocketGateway gateway = new WebSocketGateway(accounts, locks, stores.eventSubscriptions(),
                stores.eventPublisher(), registry, clock, WebSocketSettings.defaults()
                        .withAllowedOrigins(config.corsOrigins())
                        .withMaxConnectionsPerUser(config.webSocketConnectionsPerUser()));
        gateway.start();
        WebServer web = new WebServer(new WebDependencies(locks, editRequests, appointments, accounts, stores.health(),
                locks::liveLeaseCount, registry, clock, settings, List.of(gateway::register)));

        // Two threads, so that a slow sweep never holds up a due step.
        AtomicInteger timerThreads = new AtomicInteger();
        ScheduledExecutorService timers = Executors.newScheduledThreadPool(2, task -> {
            Thread thread = new Thread(task, "lease-timer-" + timerThreads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        long every = config.sweepInterval().toMillis();
        timers.scheduleWithFixedDelay(() -> sweep(locks), every, every, TimeUnit.MILLISECONDS);
        long poll = DUE_STEP_POLL.toMillis();
        timers.scheduleWithFixedDelay(() -> runDueSteps(editRequests), poll, poll, TimeUnit.MILLISECONDS);

        int port = web.start();
        LOG.info("SyncPoint is listening on http://localhost:{} ({} store)", port,
                config.embedded() ? "in-memory" : "PostgreSQL");
        return new Application(stores, gateway, web, timers, port);
    }

    public int port() {
        return port;
    }

    /**
     * Stops accepting requests and finishes those in flight, then stops the sweeper and the due-step poll
     * and closes the stores.
     */
    @Override
    public void close() {
        LOG.info("Shutting down");
        gateway.close();
        web.stop();
        timers.shutdown();
        try {
            if (!timers.awaitTermination(10, TimeUnit.SECONDS)) {
                timers.shutdownNow();
            }
        } catch (InterruptedException e) {
            timers.shutdownNow();
            Thread.currentThread().interrupt();
        }
        stores.close();
        LOG.info("Stopped");
    }

    private static Stores inMemoryStores(Clock clock, HistoryRetention retention) {
        InProcessEventBus events = new InProcessEventBus();
        InMemoryStore store = new InMemoryStore(clock, events, retention);
        return new Stores(store, store, store, new InMemoryUserStore(), events, events, StoreHealth.alwaysAvailable(),
                () -> { });
    }

    private static Stores postgresStores(Configuration.Database database) {
        PostgresBackend backend = PostgresBackend.start(new PostgresSettings(database.url(), database.user(),
                database.password(), database.poolSize()));
        return new Stores(backend.locks(), backend.history(), backend.appointments(), backend.users(),
                backend.eventPublisher(), backend.eventSubscriptions(), backend.health(), backend::close);
    }

    private static String jwtSecret(Configuration config) {
        if (config.jwtSecret().isPresent()) {
            return config.jwtSecret().get();
        }
        LOG.warn("LOCK_JWT_SECRET is not set: using a random secret for this run; sign-ins end when the server stops");
        byte[] bytes = new byte[48];
        new SecureRandom().nextBytes(bytes);
        return Base64.getEncoder().encodeToString(bytes);
    }

    private static void sweep(LockService locks) {
        try {
            int expired = locks.sweepExpired();
            if (expired > 0) {
                LOG.info("Recorded {} expired lease(s)", expired);
            }
        } catch (RuntimeException e) {
            // The next run tries again; a sweep that fails changes nothing.
            LOG.warn("Lease sweep failed: {}", e.getMessage());
        }
    }

    private static void runDueSteps(RunDueSteps steps) {
        try {
            int taken = steps.runDueSteps();
            if (taken > 0) {
                LOG.debug("Took {} due fair-access step(s)", taken);
            }
        } catch (RuntimeException e) {
            // Every step is re-decided from the rows, so the next poll simply tries again.
            LOG.warn("Due fair-access steps failed: {}", e.getMessage());
        }
    }

    /** The store adapters of one mode, and how to release them. */
    private record Stores(LockStore locks, LockHistory history, AppointmentStore appointments, UserStore users,
                          EventPublisher eventPublisher, EventSubscriptions eventSubscriptions, StoreHealth health,
                          AutoCloseable closer) {
        Stores withLocks(LockStore replacement) {
            return new Stores(replacement, history, appointments, users, eventPublisher, eventSubscriptions, health,
                    closer);
        }

        void close() {
            try {
                closer.close();
            } catch (Exception e) {
                LOG.warn("Closing the store failed: {}", e.getMessage());
            }
        }
    }
}
