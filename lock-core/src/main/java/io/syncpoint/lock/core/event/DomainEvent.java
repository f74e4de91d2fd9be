package io.syncpoint.lock.core.event;

import io.syncpoint.lock.core.domain.AppointmentLock;
import io.syncpoint.lock.core.domain.LockHolder;
import java.util.Locale;
import java.util.UUID;

/**
 * Something that happened to one appointment and that its watchers must learn at once. Lock and
 * appointment events are published only after the change that caused them has committed; cursor
 * events are presence, never stored.
 */
public sealed interface DomainEvent {
    UUID appointmentId();

    /** A new lease. */
    record LockAcquired(AppointmentLock lock) implements DomainEvent {
        public UUID appointmentId() {
            return lock.appointmentId();
        }
    }

    /** The same lease, renewed or moved to another position. */
    record LockUpdated(AppointmentLock lock) implements DomainEvent {
        public UUID appointmentId() {
            return lock.appointmentId();
        }
    }

    /** A lease ended; {@code by} is who ended it, absent for an expiry. */
    record LockReleased(UUID appointmentId, ReleaseReason reason, UUID by, AppointmentLock lock) implements DomainEvent {
    }

    /** An admin force-released {@code previousHolder}'s lease and took a new one in the same transaction. */
    record AdminTakeover(UUID appointmentId, LockHolder admin, LockHolder previousHolder, AppointmentLock lock)
            implements DomainEvent {
        public UUID adminId() {
            return admin.userId();
        }
    }

    record AppointmentUpdated(UUID appointmentId, long version, UUID updatedBy) implements DomainEvent {
    }

    record AppointmentDeleted(UUID appointmentId) implements DomainEvent {
    }

    /** A viewer's pointer moved; relayed to the other watchers of the appointment. */
    record CursorMoved(UUID appointmentId, UUID userId, String name, String email, double x, double y)
            implements DomainEvent {
    }

    record CursorRemoved(UUID appointmentId, UUID userId) implements DomainEvent {
    }

    enum ReleaseReason {
        RELEASED,
        EXPIRED,
        FORCE_RELEASED;

        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static ReleaseReason fromWireName(String value) {
            for (ReleaseReason reason : values()) {
                if (reason.wireName().equals(value)) {
                    return reason;
                }
            }
            throw new IllegalArgumentException("unknown release reason: " + value);
        }
    }
}
