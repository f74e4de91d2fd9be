package io.syncpoint.lock.core.port.out;

import io.syncpoint.lock.core.domain.Appointment;
import io.syncpoint.lock.core.domain.Page;
import io.syncpoint.lock.core.domain.PageRequest;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/** Appointments outside a lock transaction: creation and reads. Changes go through {@link LockTransaction}. */
public interface AppointmentStore {

    void insertAppointment(Appointment appointment);

    Optional<Appointment> findAppointment(UUID id);

    /**
     * Appointments ordered by start, then id; {@code from} and {@code to}, when given, keep those
     * that end after {@code from} and start before {@code to}.
     */
    Page<Appointment> listAppointments(Instant from, Instant to, PageRequest page);
}
