package io.syncpoint.lock.core.event;

import io.syncpoint.lock.core.domain.AppointmentLock;
import io.syncpoint.lock.core.domain.EditRequest;
import io.syncpoint.lock.core.domain.LockHolder;
import java.time.Instant;
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

    /**
     * A user asked to edit and joined the line at {@code position} (1 = head). Positions are not
     * stored, so every event about a request carries the one it has at the moment of the event.
     */
    record EditRequested(EditRequest request, int position) implements DomainEvent {
        public UUID appointmentId() {
            return request.appointmentId();
        }
    }

    /**
     * An edit request changed: its state (offered, back in line, granted, declined, withdrawn, expired)
     * or its place in line. {@code position} is 0 once the request is no longer open.
     */
    record EditRequestUpdated(EditRequest request, int position) implements DomainEvent {
        public UUID appointmentId() {
            return request.appointmentId();
        }
    }

    /**
     * The holder's lease ended and the requester got a new one in the same transaction: accepted by
     * the holder, or {@code auto} because the holder was idle. Announced instead of a release and an
     * acquisition.
     */
    record LockHandedOver(UUID appointmentId, LockHolder from, LockHolder to, AppointmentLock lock, UUID requestId,
                          boolean auto) implements DomainEvent {
    }

    /** The free appointment is reserved for the head of the line until {@code until}. */
    record LockOffered(UUID appointmentId, UUID requestId, UUID userId, Instant until) implements DomainEvent {
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
