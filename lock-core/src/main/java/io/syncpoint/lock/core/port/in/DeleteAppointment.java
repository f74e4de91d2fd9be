package io.syncpoint.lock.core.port.in;

import io.syncpoint.lock.core.domain.Actor;
import io.syncpoint.lock.core.domain.Appointment;
import io.syncpoint.lock.core.domain.Check;
import io.syncpoint.lock.core.domain.Outcome;
import java.util.UUID;

/**
 * Deletes an appointment and ends its lease. The live lease's holder may delete, presenting the
 * lease's fencing token; admins may delete without a lease. {@code expectedVersion}, when given, must
 * be the appointment's version. Rejections: not_found, lock_required, stale_lock_token,
 * precondition_failed.
 */
public interface DeleteAppointment {
    /** The deleted appointment. */
    Outcome<Appointment> delete(Command command);

    record Command(Actor actor, UUID appointmentId, Long expectedVersion, Long fencingToken) {
        public Command {
            Check.present("actor", actor);
            Check.present("appointmentId", appointmentId);
            if (expectedVersion != null) {
                Check.positive("expectedVersion", expectedVersion);
            }
        }
    }
}
