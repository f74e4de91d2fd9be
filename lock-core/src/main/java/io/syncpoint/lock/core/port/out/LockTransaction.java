package io.syncpoint.lock.core.port.out;

import io.syncpoint.lock.core.domain.Appointment;
import io.syncpoint.lock.core.domain.AppointmentLock;
import io.syncpoint.lock.core.domain.FencingToken;
import io.syncpoint.lock.core.domain.LockHistoryEntry;
import io.syncpoint.lock.core.event.DomainEvent;
import java.time.Instant;
import java.util.Optional;

/** The storage commands available inside {@link LockStore#inTransaction}, all about one appointment. */
public interface LockTransaction {

    /** The current time by the store's clock, read inside the transaction. */
    Instant now();

    Optional<Appointment> appointment();

    /** The appointment's lease row, live or expired. */
    Optional<AppointmentLock> lock();

    /** A token strictly greater than every token handed out before for this appointment. */
    FencingToken nextFencingToken();

    void insertLock(AppointmentLock lock);

    void updateLock(AppointmentLock lock);

    void deleteLock(AppointmentLock lock);

    void updateAppointment(Appointment appointment);

    /** Deletes the appointment; its history stays. */
    void deleteAppointment();

    void appendHistory(LockHistoryEntry entry);

    /** Announces {@code event} once, and only if the transaction commits. */
    void publish(DomainEvent event);
}
