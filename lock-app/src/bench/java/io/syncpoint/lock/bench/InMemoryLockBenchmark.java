package io.syncpoint.lock.bench;

import io.syncpoint.lock.core.domain.Actor;
import io.syncpoint.lock.core.domain.AppointmentDetails;
import io.syncpoint.lock.core.domain.AppointmentLock;
import io.syncpoint.lock.core.domain.LeasePolicy;
import io.syncpoint.lock.core.domain.Outcome;
import io.syncpoint.lock.core.domain.Role;
import io.syncpoint.lock.core.memory.InMemoryStore;
import io.syncpoint.lock.core.memory.InProcessEventBus;
import io.syncpoint.lock.core.port.in.AcquireLock;
import io.syncpoint.lock.core.port.in.CreateAppointment;
import io.syncpoint.lock.core.port.in.ReleaseLock;
import io.syncpoint.lock.core.port.out.IdGenerator;
import io.syncpoint.lock.core.service.AppointmentService;
import io.syncpoint.lock.core.service.LockService;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * lock-core embedded on the in-memory store, as a program that embeds it calls it: one acquire and
 * one release per operation, each thread on its own appointment (run with 1 and 2 threads).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class InMemoryLockBenchmark {

    @State(Scope.Benchmark)
    public static class Library {
        LockService locks;
        AppointmentService appointments;

        @Setup
        public void start() {
            Clock clock = Clock.systemUTC();
            InMemoryStore store = new InMemoryStore(clock, new InProcessEventBus());
            locks = new LockService(store, store, store, LeasePolicy.ofSeconds(300), IdGenerator.timeOrdered());
            appointments = new AppointmentService(store, store, IdGenerator.timeOrdered(), clock);
        }
    }

    @State(Scope.Thread)
    public static class Editor {
        AcquireLock.Command acquire;
        ReleaseLock.Command release;

        @Setup
        public void start(Library library) {
            Actor actor = new Actor(UUID.randomUUID(), "editor@bench.test", "Editor", Role.USER);
            Instant start = Instant.parse("2030-01-01T09:00:00Z");
            UUID appointment = library.appointments.create(new CreateAppointment.Command(actor,
                    new AppointmentDetails("Benchmark", null, start, start.plusSeconds(3600), null, List.of(), null))).id();
            acquire = AcquireLock.Command.of(actor, appointment);
            release = ReleaseLock.Command.of(actor, appointment);
        }
    }

    @Benchmark
    public Outcome<AppointmentLock> acquireAndRelease(Library library, Editor editor) {
        Outcome<AcquireLock.Acquisition> acquired = library.locks.acquire(editor.acquire);
        if (!acquired.isOk()) {
            throw new IllegalStateException("not acquired: " + acquired);
        }
        return library.locks.release(editor.release);
    }
}
