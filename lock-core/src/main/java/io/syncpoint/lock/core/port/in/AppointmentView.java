package io.syncpoint.lock.core.port.in;

import io.syncpoint.lock.core.domain.Appointment;
import io.syncpoint.lock.core.domain.AppointmentLock;
import java.util.Optional;

/** An appointment with its live lease, if any. */
public record AppointmentView(Appointment appointment, Optional<AppointmentLock> lock) {
}
