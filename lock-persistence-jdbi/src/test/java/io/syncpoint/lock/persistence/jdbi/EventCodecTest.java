package io.syncpoint.lock.persistence.jdbi;

import static org.assertj.core.api.Assertions.assertThat;

import io.syncpoint.lock.core.domain.AppointmentLock;
import io.syncpoint.lock.core.domain.FencingToken;
import io.syncpoint.lock.core.domain.LockHolder;
import io.syncpoint.lock.core.event.DomainEvent;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class EventCodecTest {
    private static final UUID APPOINTMENT = UUID.randomUUID();
    private static final LockHolder ALICE = new LockHolder(UUID.randomUUID(), "Alice", "alice@example.com", "title");
    private static final LockHolder ADMIN = new LockHolder(UUID.randomUUID(), "Ada Admin", "admin@example.com", null);

    @Test
    void everyEventSurvivesTheWireUnchanged() {
        AppointmentLock lock = lockOf(ALICE);
        List<DomainEvent> events = List.of(
                new DomainEvent.LockAcquired(lock),
                new DomainEvent.LockUpdated(lock),
                new DomainEvent.LockReleased(APPOINTMENT, DomainEvent.ReleaseReason.FORCE_RELEASED, ADMIN.userId(), lock),
                new DomainEvent.LockReleased(APPOINTMENT, DomainEvent.ReleaseReason.EXPIRED, null, lock),
                new DomainEvent.AdminTakeover(APPOINTMENT, ADMIN, ALICE, lockOf(ADMIN)),
                new DomainEvent.AppointmentUpdated(APPOINTMENT, 7, ALICE.userId()),
                new DomainEvent.AppointmentDeleted(APPOINTMENT),
                new DomainEvent.CursorMoved(APPOINTMENT, ALICE.userId(), "Alice", "alice@example.com", 0.125, 0.5),
                new DomainEvent.CursorRemoved(APPOINTMENT, ALICE.userId()));

        for (DomainEvent event : events) {
            String payload = EventCodec.encode(event);
            assertThat(EventCodec.decode(payload)).as(payload).isEqualTo(event);
        }
    }

    @Test
    void theLargestPossibleEventFitsInOneNotification() {
        String name = "Ω".repeat(100);
        String email = "a".repeat(64) + "@" + "b".repeat(185) + ".com";
        String position = "𝄞".repeat(LockHolder.MAX_POSITION_LENGTH / 2);
        LockHolder big = new LockHolder(UUID.randomUUID(), name, email, position);

        String payload = EventCodec.encode(new DomainEvent.AdminTakeover(APPOINTMENT, big, big, lockOf(big)));

        assertThat(payload.getBytes(StandardCharsets.UTF_8).length).isLessThan(EventCodec.MAX_PAYLOAD_BYTES);
    }

    private static AppointmentLock lockOf(LockHolder holder) {
        Instant granted = Instant.parse("2026-03-02T10:00:00.123456Z");
        return new AppointmentLock(UUID.randomUUID(), APPOINTMENT, holder, granted, granted.plusSeconds(300), 3,
                new FencingToken(42), 2, granted.plusSeconds(60));
    }
}
