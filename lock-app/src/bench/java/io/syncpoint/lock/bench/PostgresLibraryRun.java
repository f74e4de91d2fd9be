package io.syncpoint.lock.bench;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.syncpoint.lock.core.domain.Actor;
import io.syncpoint.lock.core.domain.AppointmentDetails;
import io.syncpoint.lock.core.domain.LeasePolicy;
import io.syncpoint.lock.core.domain.Role;
import io.syncpoint.lock.core.port.in.AcquireLock;
import io.syncpoint.lock.core.port.in.CreateAppointment;
import io.syncpoint.lock.core.port.in.ReleaseLock;
import io.syncpoint.lock.core.port.out.IdGenerator;
import io.syncpoint.lock.core.service.AppointmentService;
import io.syncpoint.lock.core.service.LockService;
import io.syncpoint.lock.persistence.jdbi.PostgresBackend;
import io.syncpoint.lock.persistence.jdbi.PostgresSettings;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import net.javacrumbs.shedlock.core.ClockProvider;
import net.javacrumbs.shedlock.core.LockConfiguration;
import net.javacrumbs.shedlock.core.SimpleLock;
import net.javacrumbs.shedlock.provider.jdbc.JdbcLockProvider;
import org.HdrHistogram.Histogram;

/**
 * lock-core embedded on the PostgreSQL store against ShedLock's JDBC provider on the same database:
 * each of {@code threads} threads locks and unlocks its own appointment (its own lock name) in a loop.
 */
final class PostgresLibraryRun {
    /** Lock + unlock pairs per second, and the latency of the lock half. */
    record Result(long pairs, long errors, double seconds, Histogram lockLatency, double clientCpuCores,
                  long failures, String firstFailure) {
        double pairsPerSecond() {
            return pairs / seconds;
        }

        double lockMillis(double percentile) {
            return lockLatency.getValueAtPercentile(percentile) / 1e6;
        }
    }

    /** One thread's pair: returns the nanoseconds the lock half took, or -1 when it was not granted. */
    private interface Pair {
        long lockAndUnlock() throws Exception;
    }

    private interface PairFactory {
        Pair forThread(int index);
    }

    private PostgresLibraryRun() {
    }

    static Result lockCore(PostgresSettings database, int threads, Duration warmUp, Duration measure) throws Exception {
        try (PostgresBackend backend = PostgresBackend.start(database)) {
            Clock clock = Clock.systemUTC();
            LockService locks = new LockService(backend.locks(), backend.history(), backend.appointments(),
                    LeasePolicy.ofSeconds(300), IdGenerator.timeOrdered());
            AppointmentService appointments = new AppointmentService(backend.appointments(), backend.locks(),
                    IdGenerator.timeOrdered(), clock);
            Instant start = Instant.parse("2030-01-01T09:00:00Z");
            return run(threads, warmUp, measure, index -> {
                Actor actor = new Actor(UUID.randomUUID(), "editor" + index + "@bench.test", "Editor " + index, Role.USER);
                UUID appointment = appointments.create(new CreateAppointment.Command(actor, new AppointmentDetails(
                        "Benchmark " + index, null, start, start.plusSeconds(3600), null, List.of(), null))).id();
                AcquireLock.Command acquire = AcquireLock.Command.of(actor, appointment);
                ReleaseLock.Command release = ReleaseLock.Command.of(actor, appointment);
                return () -> {
                    long before = System.nanoTime();
                    boolean granted = locks.acquire(acquire).isOk();
                    long took = System.nanoTime() - before;
                    return granted && locks.release(release).isOk() ? took : -1;
                };
            });
        }
    }

    static Result shedLock(PostgresSettings database, int threads, Duration warmUp, Duration measure) throws Exception {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(database.jdbcUrl());
        config.setUsername(database.user());
        config.setPassword(database.password());
        config.setMaximumPoolSize(database.poolSize());
        config.setMinimumIdle(database.poolSize());
        try (HikariDataSource dataSource = new HikariDataSource(config)) {
            try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
                statement.execute("CREATE TABLE IF NOT EXISTS shedlock (name VARCHAR(64) NOT NULL PRIMARY KEY, "
                        + "lock_until TIMESTAMP NOT NULL, locked_at TIMESTAMP NOT NULL, locked_by VARCHAR(255) NOT NULL)");
            }
            JdbcLockProvider provider = new JdbcLockProvider(dataSource);
            return run(threads, warmUp, measure, index -> {
                String name = "benchmark-" + index;
                return () -> {
                    long before = System.nanoTime();
                    // ShedLock's own clock (milliseconds), as its executors use it: with a finer createdAt the
                    // unlock time lies past the next attempt's "now" within the same millisecond and it is refused.
                    Optional<SimpleLock> lock = provider.lock(new LockConfiguration(ClockProvider.now(), name,
                            Duration.ofMinutes(5), Duration.ZERO));
                    long took = System.nanoTime() - before;
                    if (lock.isEmpty()) {
                        return -1;
                    }
                    lock.get().unlock();
                    return took;
                };
            });
        }
    }

    private static Result run(int threads, Duration warmUp, Duration measure, PairFactory pairs) throws Exception {
        List<Pair> loops = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            loops.add(pairs.forThread(i));
        }
        Histogram[] latencies = new Histogram[threads];
        long[] counts = new long[threads];
        long[] errors = new long[threads];
        var measuring = new java.util.concurrent.atomic.AtomicBoolean();
        var stopping = new java.util.concurrent.atomic.AtomicBoolean();
        var failures = new java.util.concurrent.atomic.AtomicLong();
        var firstFailure = new java.util.concurrent.atomic.AtomicReference<String>("");
        List<Thread> workers = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            int index = i;
            latencies[i] = new Histogram(3_600_000_000_000L, 3);
            workers.add(new Thread(() -> {
                while (!stopping.get()) {
                    long took;
                    try {
                        took = loops.get(index).lockAndUnlock();
                    } catch (Exception e) {
                        took = -1;
                        if (measuring.get()) {
                            failures.incrementAndGet();
                            firstFailure.compareAndSet("", e.toString());
                        }
                    }
                    if (measuring.get()) {
                        counts[index]++;
                        if (took < 0) {
                            errors[index]++;
                        } else {
                            latencies[index].recordValue(took);
                        }
                    }
                }
            }, "library-" + i));
        }
        workers.forEach(Thread::start);
        Thread.sleep(warmUp.toMillis());
        long cpuBefore = processCpuNanos();
        long start = System.nanoTime();
        measuring.set(true);
        Thread.sleep(measure.toMillis());
        measuring.set(false);
        double seconds = (System.nanoTime() - start) / 1e9;
        double cores = (processCpuNanos() - cpuBefore) / 1e9 / seconds;
        stopping.set(true);
        for (Thread worker : workers) {
            worker.join(60_000);
        }
        Histogram all = new Histogram(3_600_000_000_000L, 3);
        long pairCount = 0;
        long errorCount = 0;
        for (int i = 0; i < threads; i++) {
            all.add(latencies[i]);
            pairCount += counts[i] - errors[i];
            errorCount += errors[i];
        }
        return new Result(pairCount, errorCount, seconds, all, cores, failures.get(), firstFailure.get());
    }

    private static long processCpuNanos() {
        return LoadRun.processCpuNanos();
    }
}
