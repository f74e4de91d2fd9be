package io.syncpoint.lock.core.service;

import io.syncpoint.lock.core.domain.AppointmentLock;
import io.syncpoint.lock.core.domain.EditQueue;
import io.syncpoint.lock.core.domain.EditRequest;
import io.syncpoint.lock.core.domain.FairAccessPolicy;
import io.syncpoint.lock.core.domain.HistoryAction;
import io.syncpoint.lock.core.domain.LeasePolicy;
import io.syncpoint.lock.core.domain.LockHistoryEntry;
import io.syncpoint.lock.core.domain.LockHolder;
import io.syncpoint.lock.core.domain.Outcome;
import io.syncpoint.lock.core.domain.Rejection;
import io.syncpoint.lock.core.event.DomainEvent;
import io.syncpoint.lock.core.port.out.IdGenerator;
import io.syncpoint.lock.core.port.out.LockStore;
import io.syncpoint.lock.core.port.out.LockTransaction;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The lease transitions shared by the lock and the edit-request use cases: grants, renewals,
 * handoffs, and the timed steps of fair access, each written once.
 */
final class Leases {
    static final String HOLDER_IDLE = "holder_idle";

    private final LeasePolicy leasePolicy;
    private final IdGenerator ids;
    private final QueueKeeper queue;
    private final LiveLease liveLease;

    Leases(LeasePolicy leasePolicy, FairAccessPolicy fairAccess, IdGenerator ids) {
        this.leasePolicy = leasePolicy;
        this.ids = ids;
        this.queue = new QueueKeeper(fairAccess);
        this.liveLease = new LiveLease(ids, queue);
    }

    LeasePolicy leasePolicy() {
        return leasePolicy;
    }

    QueueKeeper queue() {
        return queue;
    }

    LiveLease liveLease() {
        return liveLease;
    }

    /** An appointment's state once every step that has fallen due is taken. */
    record Settled(Optional<AppointmentLock> live, EditQueue queue, int steps) {
        AppointmentLock liveOrNull() {
            return live.orElse(null);
        }
    }

    /** What a use case does in an appointment's transaction, once it is known to exist and is settled. */
    @FunctionalInterface
    interface Step<T> {
        Outcome<T> apply(LockTransaction tx, Instant now, Settled settled);
    }

    /**
     * Runs {@code step} in the appointment's transaction after taking the steps that have fallen due,
     * and records when the next one falls due. An unknown appointment is not_found.
     */
    <T> Outcome<T> inAppointment(LockStore store, UUID appointmentId, Step<T> step) {
        return store.inTransaction(appointmentId, tx -> {
            if (!tx.appointmentExists()) {
                return Outcome.rejected(new Rejection.NotFound("appointment"));
            }
            Instant now = tx.now();
            Settled settled = settle(tx, now);
            Outcome<T> outcome = step.apply(tx, now, settled);
            // Lease changes move the next step; with nobody waiting there is none, before or after.
            if (!settled.queue().isEmpty()) {
                queue.scheduleNextStep(tx, now);
            }
            return outcome;
        });
    }

    /**
     * Takes every step that has fallen due, re-deciding each from the rows, so a step run twice (by
     * two nodes) acts once: an expired lease is recorded (and offered on), a lapsed offer expires and
     * passes to the next in line, an idle holder hands over to the head of the line.
     */
    Settled settle(LockTransaction tx, Instant now) {
        int steps = 0;
        Optional<AppointmentLock> row = tx.lock();
        Optional<AppointmentLock> live = liveLease.in(tx, row, now);
        if (row.isPresent() && live.isEmpty()) {
            steps++;
        }
        EditQueue line = tx.editQueue();
        Optional<EditRequest> offer = line.offered();
        if (offer.isPresent() && offer.get().hasLapsedAt(now)) {
            queue.close(tx, line, offer.get().expire(now));
            steps++;
            line = tx.editQueue();
        }
        if (live.isEmpty() && queue.offerNext(tx, now)) {
            steps++;
            line = tx.editQueue();
        }
        if (live.isPresent()) {
            Optional<Instant> handoffAt = line.idleHandoffAt(live.get(), queue.policy());
            if (handoffAt.isPresent() && !now.isBefore(handoffAt.get())) {
                live = Optional.of(handOver(tx, line, live.get(), line.head().orElseThrow(), now, true));
                steps++;
                line = tx.editQueue();
            }
        }
        if (steps > 0) {
            queue.scheduleNextStep(tx, now);
        }
        return new Settled(live, line, steps);
    }

    /** A new lease for {@code holder}, recorded and announced. */
    AppointmentLock grant(LockTransaction tx, LockHolder holder, Instant now, Map<String, String> metadata) {
        AppointmentLock lock = newLease(tx, holder, now, metadata);
        tx.publish(new DomainEvent.LockAcquired(lock));
        return lock;
    }

    /**
     * A new lease for {@code holder} on the free appointment, taken outside the line's order or by the
     * holder of the offer: their own open request is granted (and named in the history), a standing
     * offer to anyone else goes back in line.
     */
    AppointmentLock grantOutOfLine(LockTransaction tx, LockHolder holder, Instant now,
                                   Map<String, String> metadata) {
        Map<String, String> rowMetadata = new HashMap<>(metadata);
        tx.editQueue().of(holder.userId()).ifPresent(own -> rowMetadata.put("requestId", own.id().toString()));
        AppointmentLock lock = grant(tx, holder, now, rowMetadata);
        queue.leaseTakenBy(tx, holder.userId(), now);
        return lock;
    }

    AppointmentLock renew(LockTransaction tx, AppointmentLock live, Instant now, String position, boolean active) {
        AppointmentLock renewed = live.renew(now, leasePolicy, position, active);
        tx.updateLock(renewed);
        tx.publish(new DomainEvent.LockUpdated(renewed));
        return renewed;
    }

    /**
     * The handoff, atomic like a takeover: the holder's lease ends ({@code released}, naming whom it
     * went to), the requester gets a new lease with the next fencing token ({@code acquired}, naming
     * whom it came from), and the request is granted. {@code auto}: the holder was idle.
     */
    AppointmentLock handOver(LockTransaction tx, EditQueue line, AppointmentLock live, EditRequest request,
                             Instant now, boolean auto) {
        String requestId = request.id().toString();
        tx.deleteLock(live);
        tx.appendHistory(LockHistoryEntry.ended(ids.newId(), live, HistoryAction.RELEASED, now,
                auto ? null : live.holderId(), null,
                Map.of("handedOverTo", request.requesterId().toString(), "requestId", requestId)));
        Map<String, String> metadata = new HashMap<>();
        metadata.put("handedOverFrom", live.holderId().toString());
        metadata.put("requestId", requestId);
        if (auto) {
            metadata.put("auto", HOLDER_IDLE);
        }
        AppointmentLock lease = newLease(tx, request.requester(), now, metadata);
        tx.publish(new DomainEvent.LockHandedOver(live.appointmentId(), live.holder(), lease.holder(), lease,
                request.id(), auto));
        queue.close(tx, line, request.grant(now));
        return lease;
    }

    private AppointmentLock newLease(LockTransaction tx, LockHolder holder, Instant now, Map<String, String> metadata) {
        AppointmentLock lock = AppointmentLock.grant(ids.newId(), tx.appointmentId(), holder, now,
                leasePolicy, tx.nextFencingToken());
        tx.insertLock(lock);
        tx.appendHistory(LockHistoryEntry.acquired(ids.newId(), lock, metadata));
        return lock;
    }
}
