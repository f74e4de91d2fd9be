package io.syncpoint.lock.core.port.in;

import io.syncpoint.lock.core.domain.Actor;
import io.syncpoint.lock.core.domain.Outcome;
import java.util.UUID;

public interface GetAppointment {
    Outcome<AppointmentView> get(Actor actor, UUID appointmentId);
}
