package io.syncpoint.lock.core.port.in;

import io.syncpoint.lock.core.domain.Actor;
import io.syncpoint.lock.core.domain.AppointmentLock;
import io.syncpoint.lock.core.domain.Check;
import io.syncpoint.lock.core.domain.LockHolder;
import io.syncpoint.lock.core.domain.Outcome;
import java.util.UUID;

/**
 * Takes a new lease on a free appointment, or renews the caller's own lease (expiry moves to
 * now + ttl, version + 1, token kept). {@code active} says the holder worked since the last renewal.
 * While the free appointment is offered to the head of the line, only they may take it. Rejections:
 * lock_held, lock_reserved, version_conflict, lock_lost, not_found.
 */
public interface AcquireLock {
    Outcome<Acquisition> acquire(Command command);

    record Command(Actor actor, UUID appointmentId, Long expectedVersion, String position, boolean active) {
        public Command {
            Check.present("actor", actor);
            Check.present("appointmentId", appointmentId);
            if (expectedVersion != null) {
                Check.positive("expectedVersion", expectedVersion);
            }
            position = Check.optionalText("position", position, LockHolder.MAX_POSITION_LENGTH);
        }

        /** An active acquisition or renewal. */
        public Command(Actor actor, UUID appointmentId, Long expectedVersion, String position) {
            this(actor, appointmentId, expectedVersion, position, true);
        }

        public static Command of(Actor actor, UUID appointmentId) {
            return new Command(actor, appointmentId, null, null);
        }
    }

    record Acquisition(AppointmentLock lock, boolean renewed) {
    }
}
