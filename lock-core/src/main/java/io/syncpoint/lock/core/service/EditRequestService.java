package io.syncpoint.lock.core.service;

import io.syncpoint.lock.core.domain.Actor;
import io.syncpoint.lock.core.domain.AppointmentLock;
import io.syncpoint.lock.core.domain.EditRequest;
import io.syncpoint.lock.core.domain.FairAccessPolicy;
import io.syncpoint.lock.core.domain.LeasePolicy;
import io.syncpoint.lock.core.domain.Outcome;
import io.syncpoint.lock.core.port.in.AnswerEditRequest;
import io.syncpoint.lock.core.port.in.AskToEdit;
import io.syncpoint.lock.core.port.in.ListEditRequests;
import io.syncpoint.lock.core.port.in.RunDueSteps;
import io.syncpoint.lock.core.port.in.WithdrawEditRequest;
import io.syncpoint.lock.core.port.out.IdGenerator;
import io.syncpoint.lock.core.port.out.LockStore;
import java.util.List;
import java.util.UUID;

/** Fair access: asking to edit, the queue, answers, offers and the timed steps, written once for every store. */
public final class EditRequestService
        implements AskToEdit, ListEditRequests, WithdrawEditRequest, AnswerEditRequest, RunDueSteps {

    private final LockStore locks;
    private final LeasePolicy leasePolicy;
    private final FairAccessPolicy policy;
    private final IdGenerator ids;

    public EditRequestService(LockStore locks, LeasePolicy leasePolicy, FairAccessPolicy policy, IdGenerator ids) {
        this.locks = locks;
        this.leasePolicy = leasePolicy;
        this.policy = policy;
        this.ids = ids;
    }

    public FairAccessPolicy fairAccessPolicy() {
        return policy;
    }

    @Override
    public Outcome<Answer> ask(AskToEdit.Command command) {
        throw new UnsupportedOperationException("not implemented yet");
    }

    @Override
    public Outcome<List<EditRequest>> openRequests(Actor actor, UUID appointmentId) {
        throw new UnsupportedOperationException("not implemented yet");
    }

    @Override
    public Outcome<EditRequest> withdraw(WithdrawEditRequest.Command command) {
        throw new UnsupportedOperationException("not implemented yet");
    }

    @Override
    public Outcome<AppointmentLock> accept(AnswerEditRequest.Command command) {
        throw new UnsupportedOperationException("not implemented yet");
    }

    @Override
    public Outcome<EditRequest> decline(DeclineCommand command) {
        throw new UnsupportedOperationException("not implemented yet");
    }

    @Override
    public int runDueSteps() {
        throw new UnsupportedOperationException("not implemented yet");
    }
}
