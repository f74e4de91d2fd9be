package io.syncpoint.lock.persistence.jdbi;

import static org.assertj.core.api.Assertions.assertThat;

import io.syncpoint.lock.core.domain.Actor;
import io.syncpoint.lock.core.domain.Appointment;
import io.syncpoint.lock.core.domain.AppointmentDetails;
import io.syncpoint.lock.core.domain.LeasePolicy;
import io.syncpoint.lock.core.domain.Role;
import io.syncpoint.lock.core.domain.UserAccount;
import io.syncpoint.lock.core.event.DomainEvent;
import io.syncpoint.lock.core.port.in.AcquireLock;
import io.syncpoint.lock.core.port.in.CreateAppointment;
import io.syncpoint.lock.core.port.out.IdGenerator;
import io.syncpoint.lock.core.service.AppointmentService;
import io.syncpoint.lock.core.service.LockService;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The README's PostgreSQL example, run against the test database in place of a literal URL. */
class PostgresEmbeddingExampleTest {

    @Test
    void theReadmeExampleLocksOnPostgresAndHearsItsOwnEvent() throws InterruptedException {
        PostgresSettings settings = TestPostgres.server().newDatabase(2);
        BlockingQueue<DomainEvent> heard = new LinkedBlockingQueue<>();
        try (PostgresBackend db = PostgresBackend.start(settings)) {
            LockService locks = new LockService(db.locks(), db.history(), db.appointments(),
                    LeasePolicy.ofSeconds(300), IdGenerator.timeOrdered());
            db.eventSubscriptions().subscribe(heard::add);

            UserAccount alice = new UserAccount(UUID.randomUUID(), "alice@example.com", "Alice", Role.USER, "hash",
                    Instant.now());
            db.users().insertUser(alice);
            Actor actor = alice.asActor();
            Instant start = Instant.parse("2026-06-01T09:00:00Z");
            Appointment review = new AppointmentService(db.appointments(), db.locks(), IdGenerator.timeOrdered(),
                    Clock.systemUTC()).create(new CreateAppointment.Command(actor,
                    new AppointmentDetails("Design review", null, start, start.plusSeconds(3600), null, List.of(), null)));

            AcquireLock.Acquisition acquisition = locks.acquire(AcquireLock.Command.of(actor, review.id())).orElseThrow();

            DomainEvent event = heard.poll(10, TimeUnit.SECONDS);
            assertThat(event).isEqualTo(new DomainEvent.LockAcquired(acquisition.lock()));
        }
    }
}
