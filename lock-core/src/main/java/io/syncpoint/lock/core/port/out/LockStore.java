package io.syncpoint.lock.core.port.out;

import io.syncpoint.lock.core.domain.AppointmentLock;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;

/**
 * Where leases live. The locking rules are written once, in the core's services, against
 * {@link LockTransaction}; a store only provides the transaction and the storage commands.
 *
 * <p>The store owns the clock that decides expiry ({@link #now()}): with several nodes on one
 * database that is the database's clock, so nodes with skewed clocks agree on who holds a lease.
 */
public interface LockStore {

    /**
     * Runs {@code work} in one transaction, serialized with every other transaction on the same
     * appointment, on every node. Everything the work writes (lease, history row, appointment,
     * events) commits together or not at all; events are announced only after the commit. A
     * runtime exception thrown by {@code work} rolls back and propagates.
     *
     * <p>{@code work} may run more than once: a store that first decides a transaction on a state it
     * remembers runs it again on the stored rows when that state turns out stale. Only the last run's
     * writes and result count, so the work acts only through its transaction.
     */
    <T> T inTransaction(UUID appointmentId, Function<LockTransaction, T> work);

    /** The current time by the store's clock. */
    Instant now();

    /** Whether the appointment exists, its lease row and the store's time, read together (lock-status). */
    LeaseReading readLease(UUID appointmentId);

    /** The lease row of an appointment, live or not yet swept. */
    Optional<AppointmentLock> findLock(UUID appointmentId);

    /** The lease rows of several appointments, keyed by appointment id. */
    Map<UUID, AppointmentLock> findLocks(Collection<UUID> appointmentIds);

    /** Every lease row, oldest first. */
    List<AppointmentLock> findAllLocks();

    /** Up to {@code limit} lease rows whose expiry has passed by the store's clock. */
    List<AppointmentLock> findExpiredLocks(int limit);

    /**
     * Up to {@code limit} appointments whose scheduled step ({@link LockTransaction#scheduleDueStep})
     * has fallen due by the store's clock, earliest first.
     */
    List<UUID> findDueAppointments(int limit);
}
