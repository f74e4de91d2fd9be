package io.syncpoint.lock.core.port.in;

import io.syncpoint.lock.core.domain.Actor;
import io.syncpoint.lock.core.domain.Appointment;
import io.syncpoint.lock.core.domain.AppointmentDetails;
import io.syncpoint.lock.core.domain.Check;

public interface CreateAppointment {
    Appointment create(Command command);

    record Command(Actor actor, AppointmentDetails details) {
        public Command {
            Check.present("actor", actor);
            Check.present("details", details);
        }
    }
}
