package io.syncpoint.lock.core.example;

import static org.assertj.core.api.Assertions.assertThat;

import io.syncpoint.lock.core.domain.Actor;
import io.syncpoint.lock.core.domain.Appointment;
import io.syncpoint.lock.core.domain.AppointmentDetails;
import io.syncpoint.lock.core.domain.LeasePolicy;
import io.syncpoint.lock.core.domain.Outcome;
import io.syncpoint.lock.core.domain.Rejection;
import io.syncpoint.lock.core.domain.Role;
import io.syncpoint.lock.core.memory.InMemoryStore;
import io.syncpoint.lock.core.memory.InProcessEventBus;
import io.syncpoint.lock.core.port.in.AcquireLock;
import io.syncpoint.lock.core.port.in.CreateAppointment;
import io.syncpoint.lock.core.port.out.IdGenerator;
import io.syncpoint.lock.core.service.AppointmentService;
import io.syncpoint.lock.core.service.LockService;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The README's "Embed lock-core" example, kept compiling and running. Keep the two in step. */
class EmbeddingExampleTest {

    @Test
    void theReadmeExampleGrantsOneEditorAndRefusesTheOther() {
        // README example begins
        Clock clock = Clock.systemUTC();
        InMemoryStore store = new InMemoryStore(clock, new InProcessEventBus());
        LockService locks = new LockService(store, store, store, LeasePolicy.ofSeconds(300), IdGenerator.timeOrdered());
        AppointmentService appointments = new AppointmentService(store, store, IdGenerator.timeOrdered(), clock);

        Actor alice = new Actor(UUID.randomUUID(), "alice@example.com", "Alice", Role.USER);
        Actor bob = new Actor(UUID.randomUUID(), "bob@example.com", "Bob", Role.USER);
        Instant start = Instant.parse("2026-06-01T09:00:00Z");
        Appointment review = appointments.create(new CreateAppointment.Command(alice,
                new AppointmentDetails("Design review", null, start, start.plusSeconds(3600), null, List.of(), null)));

        Outcome<AcquireLock.Acquisition> mine = locks.acquire(AcquireLock.Command.of(alice, review.id()));
        Outcome<AcquireLock.Acquisition> theirs = locks.acquire(AcquireLock.Command.of(bob, review.id()));
        if (theirs instanceof Outcome.Rejected<AcquireLock.Acquisition> no
                && no.rejection() instanceof Rejection.LockHeld held) {
            System.out.println(held.lock().holder().name() + " edits until " + held.lock().expiresAt());
        }
        // README example ends

        assertThat(mine.orElseThrow().lock().holder().userId()).isEqualTo(alice.userId());
        assertThat(theirs.rejectionOrThrow()).isInstanceOf(Rejection.LockHeld.class);
    }
}
