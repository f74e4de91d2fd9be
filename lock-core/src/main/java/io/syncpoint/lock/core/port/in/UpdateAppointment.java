package io.syncpoint.lock.core.port.in;

import io.syncpoint.lock.core.domain.Actor;
import io.syncpoint.lock.core.domain.Appointment;
import io.syncpoint.lock.core.domain.AppointmentDetails;
import io.syncpoint.lock.core.domain.Check;
import io.syncpoint.lock.core.domain.Outcome;
import java.util.UUID;

/**
 * Saves an edit. Only the live lease's holder may save, presenting the lease's fencing token and
 * the appointment version the edit was based on. Rejections, in the order they are checked:
 * not_found, lock_required, stale_lock_token, precondition_failed.
 */
public interface UpdateAppointment {
    Outcome<Appointment> update(Command command);

    record Command(Actor actor, UUID appointmentId, long expectedVersion, Long fencingToken,
                   AppointmentDetails details) {
        public Command {
            Check.present("actor", actor);
            Check.present("appointmentId", appointmentId);
            Check.positive("expectedVersion", expectedVersion);
            Check.present("details", details);
        }
    }
}
