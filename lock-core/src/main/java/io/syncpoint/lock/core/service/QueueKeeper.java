package io.syncpoint.lock.core.service;

import io.syncpoint.lock.core.domain.AppointmentLock;
import io.syncpoint.lock.core.domain.EditQueue;
import io.syncpoint.lock.core.domain.EditRequest;
import io.syncpoint.lock.core.domain.FairAccessPolicy;
import io.syncpoint.lock.core.event.DomainEvent;
import io.syncpoint.lock.core.port.out.LockTransaction;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The queue's bookkeeping inside an appointment's transaction: offers, requests leaving the line
 * (with the moves of those behind announced), and the instant of the next timed step. Every change
 * of a request, or of its place in line, is announced.
 */
final class QueueKeeper {
    private final FairAccessPolicy policy;

    QueueKeeper(FairAccessPolicy policy) {
        this.policy = policy;
    }

    FairAccessPolicy policy() {
        return policy;
    }

    /**
     * On a free appointment, reserves the lease for the head of the line, unless an offer stands
     * already. The offer's end is the appointment's next timed step. True when an offer was made.
     */
    boolean offerNext(LockTransaction tx, Instant now) {
        EditQueue queue = tx.editQueue();
        if (queue.isEmpty() || queue.offered().isPresent()) {
            return false;
        }
        EditRequest offered = queue.head().orElseThrow().offer(now, policy.offerEndsFrom(now));
        tx.updateEditRequest(offered);
        tx.publish(new DomainEvent.LockOffered(offered.appointmentId(), offered.id(), offered.requesterId(),
                offered.offeredUntil()));
        tx.publish(new DomainEvent.EditRequestUpdated(offered, 1));
        tx.scheduleDueStep(offered.offeredUntil());
        return true;
    }

    /** Stores a request that leaves the line (granted, declined, withdrawn, expired); those behind move up. */
    void close(LockTransaction tx, EditQueue queue, EditRequest closed) {
        List<EditRequest> behind = queue.behind(closed.id());
        int position = queue.positionOf(closed.id());
        tx.updateEditRequest(closed);
        tx.publish(new DomainEvent.EditRequestUpdated(closed, 0));
        for (EditRequest moved : behind) {
            tx.publish(new DomainEvent.EditRequestUpdated(moved, position++));
        }
    }

    /**
     * {@code userId} took the lease outside the line's order (an acquisition, a takeover): their own
     * open request is granted, and a standing offer to someone else is withdrawn, its request waiting
     * at the head again. Returns the granted request, if they had one.
     */
    Optional<EditRequest> leaseTakenBy(LockTransaction tx, UUID userId, Instant now) {
        EditQueue queue = tx.editQueue();
        Optional<EditRequest> otherOffer = queue.offered().filter(offer -> !offer.isBy(userId));
        if (otherOffer.isPresent()) {
            EditRequest back = otherOffer.get().backInLine(now);
            tx.updateEditRequest(back);
            tx.publish(new DomainEvent.EditRequestUpdated(back, queue.positionOf(back.id())));
        }
        Optional<EditRequest> own = queue.of(userId).map(request -> request.grant(now));
        own.ifPresent(granted -> close(tx, tx.editQueue(), granted));
        return own;
    }

    /** Every open request expires: the appointment is going away. */
    void expireAll(LockTransaction tx, Instant now) {
        EditQueue queue = tx.editQueue();
        for (EditRequest open : queue.open()) {
            EditRequest expired = open.expire(now);
            tx.updateEditRequest(expired);
            tx.publish(new DomainEvent.EditRequestUpdated(expired, 0));
        }
        if (!queue.isEmpty()) {
            tx.scheduleDueStep(null);
        }
    }

    /** Records when the next timed step of the appointment falls due, given its current rows. */
    void scheduleNextStep(LockTransaction tx, Instant now) {
        AppointmentLock live = tx.lock().filter(lock -> lock.isLiveAt(now)).orElse(null);
        tx.scheduleDueStep(tx.editQueue().nextStepAt(live, policy).orElse(null));
    }
}
