package io.syncpoint.lock.core.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.syncpoint.lock.core.contract.ManualClock;
import io.syncpoint.lock.core.domain.Actor;
import io.syncpoint.lock.core.domain.Appointment;
import io.syncpoint.lock.core.domain.AppointmentDetails;
import io.syncpoint.lock.core.domain.AppointmentStatus;
import io.syncpoint.lock.core.domain.HistoryAction;
import io.syncpoint.lock.core.domain.LeasePolicy;
import io.syncpoint.lock.core.domain.LockHistoryEntry;
import io.syncpoint.lock.core.domain.Page;
import io.syncpoint.lock.core.domain.PageRequest;
import io.syncpoint.lock.core.domain.Role;
import io.syncpoint.lock.core.domain.UserAccount;
import io.syncpoint.lock.core.port.in.AcquireLock;
import io.syncpoint.lock.core.port.in.ReleaseLock;
import io.syncpoint.lock.core.port.out.IdGenerator;
import io.syncpoint.lock.core.service.LockService;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class InMemoryHistoryRetentionTest {
    private final ManualClock clock = ManualClock.startingNow();
    private final Actor alice = new UserAccount(UUID.randomUUID(), "alice@example.com", "Alice", Role.USER,
            "hash-not-used", Instant.now()).asActor();

    @Test
    void pastTheMaximumCountTheOldestRowsGoFirst() {
        InMemoryStore store = new InMemoryStore(clock, event -> { }, new HistoryRetention(Duration.ofDays(7), 5));
        LockService locks = service(store);
        Appointment first = appointment(store, "First");
        Appointment second = appointment(store, "Second");

        lockAndRelease(locks, first.id());
        lockAndRelease(locks, second.id());
        lockAndRelease(locks, first.id());
        lockAndRelease(locks, second.id());

        assertThat(store.historySize()).isEqualTo(5);
        Page<LockHistoryEntry> ofFirst = store.ofAppointment(first.id(), PageRequest.standard());
        Page<LockHistoryEntry> ofSecond = store.ofAppointment(second.id(), PageRequest.standard());
        Page<LockHistoryEntry> ofAlice = store.ofUser(alice.userId(), PageRequest.standard());
        assertThat(ofFirst.data()).extracting(LockHistoryEntry::action)
                .containsExactly(HistoryAction.RELEASED, HistoryAction.ACQUIRED);
        assertThat(ofSecond.data()).extracting(LockHistoryEntry::action)
                .containsExactly(HistoryAction.RELEASED, HistoryAction.ACQUIRED, HistoryAction.RELEASED);
        assertThat(ofAlice.total()).isEqualTo(5);
        assertThat(store.statistics(first.id()).totals().get(HistoryAction.ACQUIRED)).isEqualTo(1);
    }

    @Test
    void rowsOlderThanTheMaximumAgeGoWhenNewRowsArrive() {
        InMemoryStore store = new InMemoryStore(clock, event -> { }, new HistoryRetention(Duration.ofDays(7), 50_000));
        LockService locks = service(store);
        Appointment meeting = appointment(store, "Planning");
        lockAndRelease(locks, meeting.id());
        clock.advance(Duration.ofDays(6));
        lockAndRelease(locks, meeting.id());

        assertThat(store.historySize()).isEqualTo(4);

        clock.advance(Duration.ofDays(2));
        lockAndRelease(locks, meeting.id());

        assertThat(store.historySize()).isEqualTo(4);
        List<LockHistoryEntry> kept = store.ofAppointment(meeting.id(), PageRequest.standard()).data();
        assertThat(kept).allSatisfy(entry -> assertThat(entry.at()).isAfter(clock.instant().minus(Duration.ofDays(7))));
    }

    @Test
    void aRetentionMustKeepSomething() {
        assertThatThrownBy(() -> new HistoryRetention(Duration.ZERO, 10)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new HistoryRetention(Duration.ofDays(1), 0)).isInstanceOf(IllegalArgumentException.class);
    }

    private LockService service(InMemoryStore store) {
        return new LockService(store, store, store, new LeasePolicy(Duration.ofMinutes(5)), IdGenerator.random());
    }

    private Appointment appointment(InMemoryStore store, String title) {
        Instant start = Instant.parse("2026-03-02T10:00:00Z");
        Instant now = clock.instant();
        Appointment appointment = new Appointment(UUID.randomUUID(), new AppointmentDetails(title, null, start,
                start.plus(Duration.ofHours(1)), null, List.of(), AppointmentStatus.SCHEDULED), 1, alice.userId(), now, now);
        store.insertAppointment(appointment);
        return appointment;
    }

    private void lockAndRelease(LockService locks, UUID appointmentId) {
        locks.acquire(AcquireLock.Command.of(alice, appointmentId)).orElseThrow();
        locks.release(ReleaseLock.Command.of(alice, appointmentId)).orElseThrow();
    }
}
