package io.syncpoint.lock.core.service;

import io.syncpoint.lock.core.domain.AppointmentLock;
import io.syncpoint.lock.core.domain.HistoryAction;
import io.syncpoint.lock.core.domain.LockHistoryEntry;
import io.syncpoint.lock.core.event.DomainEvent;
import io.syncpoint.lock.core.port.out.IdGenerator;
import io.syncpoint.lock.core.port.out.LockTransaction;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * Reads the live lease inside a lock transaction, and ends leases. A lease row whose expiry has
 * passed is ended on the spot: deleted, its {@code expired} row written and announced. Every
 * transaction on one appointment is serialized, so each expiry is recorded exactly once, whoever sees
 * it first: an acquire, a save, the timed steps or the sweeper of any node.
 *
 * <p>This is the one place a lease ends and leaves the appointment free (release, expiry,
 * force-release); when people are waiting, the lease is offered to the head of the line at once.
 */
final class LiveLease {
    private final IdGenerator ids;
    private final QueueKeeper queue;

    LiveLease(IdGenerator ids, QueueKeeper queue) {
        this.ids = ids;
        this.queue = queue;
    }

    Optional<AppointmentLock> in(LockTransaction tx, Instant now) {
        return in(tx, tx.lock(), now);
    }

    /** The same, for the lease row read already in this transaction. */
    Optional<AppointmentLock> in(LockTransaction tx, Optional<AppointmentLock> row, Instant now) {
        if (row.isEmpty() || row.get().isLiveAt(now)) {
            return row;
        }
        // The lease ended at its expiry instant, whenever the expiry is noticed.
        end(tx, row.get(), HistoryAction.EXPIRED, row.get().expiresAt(), null, null);
        return Optional.empty();
    }

    /** Deletes the lease, records and announces how it ended, and offers it to the head of the line. */
    void end(LockTransaction tx, AppointmentLock lock, HistoryAction action, Instant endedAt, UUID endedBy,
             String reason) {
        tx.deleteLock(lock);
        tx.appendHistory(LockHistoryEntry.ended(ids.newId(), lock, action, endedAt, endedBy, reason));
        tx.publish(new DomainEvent.LockReleased(lock.appointmentId(),
                DomainEvent.ReleaseReason.valueOf(action.name()), endedBy, lock));
        queue.offerNext(tx, tx.now());
    }
}
