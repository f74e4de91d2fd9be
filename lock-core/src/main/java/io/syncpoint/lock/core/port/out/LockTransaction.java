package io.syncpoint.lock.core.port.out;

import io.syncpoint.lock.core.domain.Appointment;
import io.syncpoint.lock.core.domain.AppointmentLock;
import io.syncpoint.lock.core.domain.EditQueue;
import io.syncpoint.lock.core.domain.EditRequest;
import io.syncpoint.lock.core.domain.FencingToken;
import io.syncpoint.lock.core.domain.LockHistoryEntry;
import io.syncpoint.lock.core.event.DomainEvent;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/** The storage commands available inside {@link LockStore#inTransaction}, all about one appointment. */
public interface LockTransaction {

    /**
     * The current time by the store's clock, read inside the transaction; or, where a store decides a
     * transaction on a state it remembers, a time the store has made sure of: no later than its clock
     * when the transaction commits, no earlier than the last time recorded for the appointment, and
     * with no expiry of the appointment's lease in between.
     */
    Instant now();

    /** The appointment this transaction is about, whether or not it exists. */
    UUID appointmentId();

    /** Whether the appointment exists; a store may answer it without reading the appointment's details. */
    default boolean appointmentExists() {
        return appointment().isPresent();
    }

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

    /**
     * The appointment's open edit requests in ticket order, and the highest ticket it has handed out
     * (open or closed requests; 0 when none). Reflects this transaction's own writes.
     */
    EditQueue editQueue();

    /** Stores a new request of this appointment; open or granted at once. */
    void insertEditRequest(EditRequest request);

    /** Stores a request's new state, {@code offeredUntil}, {@code updatedAt} and {@code reason}. */
    void updateEditRequest(EditRequest request);

    /**
     * When the next timed step of this appointment falls due, or null when none is pending; replaces
     * the previous instant. {@link LockStore#findDueAppointments} finds the appointment once it has
     * passed. The core calls this at the end of every transaction that may move it, often with an
     * unchanged value, which a store should make cheap.
     */
    void scheduleDueStep(Instant dueAtOrNull);

    /** Announces {@code event} once, and only if the transaction commits. */
    void publish(DomainEvent event);
}
