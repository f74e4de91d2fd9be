package io.syncpoint.lock.web;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.syncpoint.lock.core.contract.ManualClock;
import io.syncpoint.lock.core.domain.FairAccessPolicy;
import io.syncpoint.lock.core.domain.LeasePolicy;
import io.syncpoint.lock.core.domain.Role;
import io.syncpoint.lock.core.domain.UserAccount;
import io.syncpoint.lock.core.memory.HistoryRetention;
import io.syncpoint.lock.core.memory.InMemoryStore;
import io.syncpoint.lock.core.memory.InMemoryUserStore;
import io.syncpoint.lock.core.memory.InProcessEventBus;
import io.syncpoint.lock.core.port.out.EventPublisher;
import io.syncpoint.lock.core.port.out.EventSubscriptions;
import io.syncpoint.lock.core.port.out.IdGenerator;
import io.syncpoint.lock.core.port.out.PasswordHasher;
import io.syncpoint.lock.core.port.out.StoreUnavailableException;
import io.syncpoint.lock.core.port.out.UserStore;
import io.syncpoint.lock.core.service.AccountService;
import io.syncpoint.lock.core.service.AppointmentService;
import io.syncpoint.lock.core.service.EditRequestService;
import io.syncpoint.lock.core.service.LockService;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The in-memory store on a manual clock, which the tokens read too; "down" makes account reads fail and
 * health report down.
 */
final class InMemoryBackend implements TestBackend {
    static final String JWT_SECRET = "test-secret-test-secret-test-secret-0123";

    final ManualClock clock = ManualClock.startingNow();
    private final AtomicBoolean down = new AtomicBoolean();
    private final InProcessEventBus bus = new InProcessEventBus();
    // The API contract moves its clock by days and expects every row until an admin cleans up.
    private final InMemoryStore store = new InMemoryStore(clock, bus, new HistoryRetention(Duration.ofDays(3650), 1_000_000));
    private final Set<UUID> deletedAccounts = ConcurrentHashMap.newKeySet();
    private final JwtAccessTokens tokens = new JwtAccessTokens(JWT_SECRET, Duration.ofHours(24), clock);
    private final AtomicLong passwordChecks = new AtomicLong();
    private final AccountService accounts = new AccountService(new FailingWhenDown(new InMemoryUserStore()),
            new CountingHasher(new BcryptPasswordHasher(10)), tokens, IdGenerator.random(), clock);
    private final LockService locks = new LockService(store, store, store, new LeasePolicy(LEASE_TTL),
            FairAccessPolicy.defaults(), IdGenerator.random());
    private final EditRequestService editRequests = new EditRequestService(store, new LeasePolicy(LEASE_TTL),
            FairAccessPolicy.defaults(), IdGenerator.random());
    private final AppointmentService appointments = new AppointmentService(store, store, IdGenerator.random(), clock,
            FairAccessPolicy.defaults());

    @Override
    public WebDependencies dependencies(WebSettings settings) {
        return new WebDependencies(locks, editRequests, appointments, accounts, () -> !down.get(),
                locks::liveLeaseCount,
                new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), clock, settings, List.of());
    }

    @Override
    public AccountService accounts() {
        return accounts;
    }

    @Override
    public EventSubscriptions events() {
        return bus;
    }

    @Override
    public EventPublisher eventPublisher() {
        return bus;
    }

    @Override
    public int runDueSteps() {
        return editRequests.runDueSteps();
    }

    @Override
    public void advanceClock(Duration duration) {
        clock.advance(duration);
    }

    @Override
    public void deleteAccount(UUID userId) {
        deletedAccounts.add(userId);
    }

    @Override
    public void takeStoreDown() {
        down.set(true);
    }

    @Override
    public void bringStoreBack() {
        down.set(false);
    }

    /** How many times a password was compared with a stored hash. */
    long passwordChecks() {
        return passwordChecks.get();
    }

    @Override
    public void close() {
    }

    private final class CountingHasher implements PasswordHasher {
        private final PasswordHasher delegate;

        CountingHasher(PasswordHasher delegate) {
            this.delegate = delegate;
        }

        @Override
        public String hash(String password) {
            return delegate.hash(password);
        }

        @Override
        public boolean matches(String password, String hash) {
            passwordChecks.incrementAndGet();
            return delegate.matches(password, hash);
        }
    }

    /** A user store that behaves like an unreachable database while the backend is down, and hides deleted accounts. */
    private final class FailingWhenDown implements UserStore {
        private final UserStore delegate;

        FailingWhenDown(UserStore delegate) {
            this.delegate = delegate;
        }

        private void check() {
            if (down.get()) {
                throw new StoreUnavailableException("store is down", null);
            }
        }

        @Override
        public boolean insertUser(UserAccount user) {
            check();
            return delegate.insertUser(user);
        }

        @Override
        public Optional<UserAccount> findUserById(UUID id) {
            check();
            return delegate.findUserById(id).filter(account -> !deletedAccounts.contains(account.id()));
        }

        @Override
        public Optional<UserAccount> findUserByEmail(String email) {
            check();
            return delegate.findUserByEmail(email).filter(account -> !deletedAccounts.contains(account.id()));
        }

        @Override
        public Optional<UserAccount> updateRole(UUID id, Role role) {
            check();
            return deletedAccounts.contains(id) ? Optional.empty() : delegate.updateRole(id, role);
        }
    }
}
