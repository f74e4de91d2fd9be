package io.syncpoint.lock.web;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.syncpoint.lock.core.domain.FairAccessPolicy;
import io.syncpoint.lock.core.domain.LeasePolicy;
import io.syncpoint.lock.core.port.out.EventPublisher;
import io.syncpoint.lock.core.port.out.EventSubscriptions;
import io.syncpoint.lock.core.port.out.IdGenerator;
import io.syncpoint.lock.core.service.AccountService;
import io.syncpoint.lock.core.service.AppointmentService;
import io.syncpoint.lock.core.service.EditRequestService;
import io.syncpoint.lock.core.service.LockService;
import io.syncpoint.lock.persistence.jdbi.PostgresBackend;
import io.syncpoint.lock.persistence.jdbi.PostgresSettings;
import io.syncpoint.lock.persistence.jdbi.TestPostgres;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The PostgreSQL store on a fresh database of the shared test server. Time moves through the
 * store's clock offset, which the tokens and accounts read too; "down" closes the database to
 * connections and ends the open ones.
 */
final class PostgresBackendForTests implements TestBackend {
    private static final Duration RECOVERY_WAIT = Duration.ofSeconds(30);

    private final AtomicReference<Duration> clockOffset = new AtomicReference<>(Duration.ZERO);
    private final Clock clock = new Clock() {
        @Override
        public Instant instant() {
            return Instant.now().plus(clockOffset.get());
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    };
    private final PostgresSettings settings;
    private final PostgresBackend backend;
    private final AccountService accounts;
    private final LockService locks;
    private final EditRequestService editRequests;
    private final AppointmentService appointments;

    PostgresBackendForTests() {
        settings = TestPostgres.server().newDatabase(8);
        backend = PostgresBackend.start(settings, clockOffset::get);
        accounts = new AccountService(backend.users(), new BcryptPasswordHasher(10),
                new JwtAccessTokens(InMemoryBackend.JWT_SECRET, Duration.ofHours(24), clock), IdGenerator.random(), clock);
        locks = new LockService(backend.locks(), backend.history(), backend.appointments(), new LeasePolicy(LEASE_TTL),
                FairAccessPolicy.defaults(), IdGenerator.random());
        editRequests = new EditRequestService(backend.locks(), new LeasePolicy(LEASE_TTL), FairAccessPolicy.defaults(),
                IdGenerator.random());
        appointments = new AppointmentService(backend.appointments(), backend.locks(), IdGenerator.random(), clock,
                FairAccessPolicy.defaults());
    }

    @Override
    public WebDependencies dependencies(WebSettings settings) {
        return new WebDependencies(locks, editRequests, appointments, accounts, backend.health(), locks::liveLeaseCount,
                new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), clock, settings, List.of());
    }

    @Override
    public AccountService accounts() {
        return accounts;
    }

    @Override
    public EventSubscriptions events() {
        return backend.eventSubscriptions();
    }

    @Override
    public EventPublisher eventPublisher() {
        return backend.eventPublisher();
    }

    @Override
    public int runDueSteps() {
        return editRequests.runDueSteps();
    }

    @Override
    public void advanceClock(Duration duration) {
        clockOffset.updateAndGet(offset -> offset.plus(duration));
    }

    @Override
    public void deleteAccount(UUID userId) {
        TestPostgres.server().execute(settings, "DELETE FROM users WHERE id = ?", userId);
    }

    @Override
    public void takeStoreDown() {
        TestPostgres.server().setConnectionsAllowed(settings, false);
    }

    @Override
    public void bringStoreBack() {
        TestPostgres.server().setConnectionsAllowed(settings, true);
        long deadline = System.nanoTime() + RECOVERY_WAIT.toNanos();
        while (!backend.health().isAvailable()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the database did not come back within " + RECOVERY_WAIT);
            }
            try {
                TimeUnit.MILLISECONDS.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    @Override
    public void close() {
        TestPostgres.server().setConnectionsAllowed(settings, true);
        backend.close();
    }
}
