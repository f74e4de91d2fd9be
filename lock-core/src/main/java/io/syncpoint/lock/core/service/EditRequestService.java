package io.syncpoint.lock.core.service;

import io.syncpoint.lock.core.domain.Actor;
import io.syncpoint.lock.core.domain.AppointmentLock;
import io.syncpoint.lock.core.domain.EditQueue;
import io.syncpoint.lock.core.domain.EditRequest;
import io.syncpoint.lock.core.domain.FairAccessPolicy;
import io.syncpoint.lock.core.domain.LeasePolicy;
import io.syncpoint.lock.core.domain.Outcome;
import io.syncpoint.lock.core.domain.Rejection;
import io.syncpoint.lock.core.event.DomainEvent;
import io.syncpoint.lock.core.port.in.AnswerEditRequest;
import io.syncpoint.lock.core.port.in.AskToEdit;
import io.syncpoint.lock.core.port.in.ListEditRequests;
import io.syncpoint.lock.core.port.in.RunDueSteps;
import io.syncpoint.lock.core.port.in.WithdrawEditRequest;
import io.syncpoint.lock.core.port.out.IdGenerator;
import io.syncpoint.lock.core.port.out.LockStore;
import io.syncpoint.lock.core.port.out.LockTransaction;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Fair access, written once for every store: asking to edit, the queue, the holder's answers, and the
 * timed steps (idle handoffs, lapsed offers). The lease transitions are the lock service's own.
 */
public final class EditRequestService
        implements AskToEdit, ListEditRequests, WithdrawEditRequest, AnswerEditRequest, RunDueSteps {

    private static final int DUE_BATCH = 200;

    private final LockStore locks;
    private final Leases leases;
    private final IdGenerator ids;

    public EditRequestService(LockStore locks, LeasePolicy leasePolicy, FairAccessPolicy policy, IdGenerator ids) {
        this.locks = locks;
        this.leases = new Leases(leasePolicy, policy, ids);
        this.ids = ids;
    }

    public FairAccessPolicy fairAccessPolicy() {
        return leases.queue().policy();
    }

    @Override
    public Outcome<Answer> ask(AskToEdit.Command command) {
        Actor actor = command.actor();
        return leases.inAppointment(locks, command.appointmentId(), (tx, now, settled) -> {
            Optional<AppointmentLock> live = settled.live();
            EditQueue queue = settled.queue();
            if (live.isPresent() && live.get().isHeldBy(actor.userId())) {
                return Outcome.rejected(new Rejection.Forbidden("You hold the lock already."));
            }
            Optional<EditRequest> own = queue.of(actor.userId());
            if (own.isPresent() && own.get().isOffered()) {
                AppointmentLock lease = leases.grantOutOfLine(tx, actor.asHolder(null), now, Map.of());
                return Outcome.ok(new Answer(own.get().grant(now), Optional.of(lease), false, 0));
            }
            if (own.isPresent()) {
                return Outcome.ok(new Answer(own.get(), Optional.empty(), false, queue.positionOf(own.get().id())));
            }
            // Settled, a free appointment with people waiting is offered to one of them.
            if (live.isEmpty() && queue.isEmpty()) {
                EditRequest granted = EditRequest.grantedAtOnce(ids.newId(), command.appointmentId(),
                        actor.asHolder(null), command.message(), now, queue.nextTicket());
                tx.insertEditRequest(granted);
                AppointmentLock lease = leases.grant(tx, actor.asHolder(null), now,
                        Map.of("requestId", granted.id().toString()));
                return Outcome.ok(new Answer(granted, Optional.of(lease), true, 0));
            }
            int limit = leases.queue().policy().maxOpenRequests();
            if (queue.size() >= limit) {
                return Outcome.rejected(new Rejection.QueueFull(limit));
            }
            EditRequest request = EditRequest.pending(ids.newId(), command.appointmentId(), actor.asHolder(null),
                    command.message(), now, queue.nextTicket());
            tx.insertEditRequest(request);
            int position = queue.size() + 1;
            tx.publish(new DomainEvent.EditRequested(request, position));
            leases.queue().scheduleNextStep(tx, now);
            return Outcome.ok(new Answer(request, Optional.empty(), true, position));
        });
    }

    @Override
    public Outcome<List<EditRequest>> openRequests(Actor actor, UUID appointmentId) {
        return locks.inTransaction(appointmentId, tx -> !tx.appointmentExists()
                ? Outcome.rejected(new Rejection.NotFound("appointment"))
                : Outcome.ok(tx.editQueue().open()));
    }

    @Override
    public Outcome<EditRequest> withdraw(WithdrawEditRequest.Command command) {
        return leases.inAppointment(locks, command.appointmentId(), (tx, now, settled) -> {
            Optional<EditRequest> found = settled.queue().find(command.requestId());
            if (found.isEmpty()) {
                return Outcome.rejected(new Rejection.NotFound("edit request"));
            }
            if (!found.get().isBy(command.actor().userId())) {
                return Outcome.rejected(new Rejection.Forbidden("Only the requester may withdraw an edit request."));
            }
            EditRequest withdrawn = found.get().withdraw(now);
            leases.queue().close(tx, settled.queue(), withdrawn);
            if (found.get().isOffered()) {
                leases.queue().offerNext(tx, now);
            }
            return Outcome.ok(withdrawn);
        });
    }

    @Override
    public Outcome<AppointmentLock> accept(AnswerEditRequest.Command command) {
        return answering(command.actor(), command.appointmentId(), command.requestId(),
                (tx, now, settled, request) -> Outcome.ok(
                        leases.handOver(tx, settled.queue(), settled.liveOrNull(), request, now, false)));
    }

    @Override
    public Outcome<EditRequest> decline(DeclineCommand command) {
        return answering(command.actor(), command.appointmentId(), command.requestId(),
                (tx, now, settled, request) -> {
                    EditRequest declined = request.decline(now, command.reason());
                    leases.queue().close(tx, settled.queue(), declined);
                    return Outcome.ok(declined);
                });
    }

    @FunctionalInterface
    private interface Answering<T> {
        Outcome<T> apply(LockTransaction tx, Instant now, Leases.Settled settled, EditRequest request);
    }

    /** Only the holder of the live lease answers, and only an open request. */
    private <T> Outcome<T> answering(Actor actor, UUID appointmentId, UUID requestId, Answering<T> answer) {
        return leases.inAppointment(locks, appointmentId, (tx, now, settled) -> {
            Optional<AppointmentLock> live = settled.live();
            if (live.isEmpty()) {
                return Outcome.rejected(new Rejection.NoLock());
            }
            if (!live.get().isHeldBy(actor.userId())) {
                return Outcome.rejected(new Rejection.NotLockOwner(live.get().holder()));
            }
            Optional<EditRequest> request = settled.queue().find(requestId);
            if (request.isEmpty()) {
                return Outcome.rejected(new Rejection.NotFound("edit request"));
            }
            return answer.apply(tx, now, settled, request.get());
        });
    }

    @Override
    public int runDueSteps() {
        int steps = 0;
        for (UUID appointmentId : locks.findDueAppointments(DUE_BATCH)) {
            steps += locks.inTransaction(appointmentId, tx -> {
                if (!tx.appointmentExists()) {
                    return 0;
                }
                Leases.Settled settled = leases.settle(tx, tx.now());
                // Re-recorded even when nothing was due after all (another node was first), so it is not found again.
                leases.queue().scheduleNextStep(tx, tx.now());
                return settled.steps();
            });
        }
        return steps;
    }
}
