package io.syncpoint.lock.core.port.in;

import io.syncpoint.lock.core.domain.Actor;
import io.syncpoint.lock.core.domain.AppointmentLock;
import io.syncpoint.lock.core.domain.Check;
import io.syncpoint.lock.core.domain.Outcome;
import java.util.UUID;

/** The holder ends their lease. Rejections: no_lock, not_lock_owner, version_conflict, lock_lost, not_found. */
public interface ReleaseLock {
    /** The ended lease. */
    Outcome<AppointmentLock> release(Command command);

    record Command(Actor actor, UUID appointmentId, Long expectedVersion) {
        public Command {
            Check.present("actor", actor);
            Check.present("appointmentId", appointmentId);
            if (expectedVersion != null) {
                Check.positive("expectedVersion", expectedVersion);
            }
        }

        public static Command of(Actor actor, UUID appointmentId) {
            return new Command(actor, appointmentId, null);
        }
    }
}
